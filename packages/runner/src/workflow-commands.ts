/** A `::name key=value,…::data` line printed by a step. */
export interface WorkflowCommand {
  name: string;
  properties: Record<string, string>;
  data: string;
}

const COMMAND_LINE = /^::([A-Za-z][\w-]*)(?: ([^]*?))?::([^]*)$/;

function unescapeData(value: string): string {
  return value.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}

function unescapeProperty(value: string): string {
  return value
    .replace(/%0D/gi, '\r')
    .replace(/%0A/gi, '\n')
    .replace(/%3A/gi, ':')
    .replace(/%2C/gi, ',')
    .replace(/%25/g, '%');
}

/** Parses a workflow command line; undefined when the line is ordinary output. */
export function parseWorkflowCommand(line: string): WorkflowCommand | undefined {
  const match = COMMAND_LINE.exec(line);
  if (!match) return undefined;
  const properties: Record<string, string> = {};
  for (const pair of (match[2] ?? '').split(',')) {
    const separator = pair.indexOf('=');
    if (separator <= 0) continue;
    properties[pair.slice(0, separator).trim()] = unescapeProperty(pair.slice(separator + 1));
  }
  return { name: match[1].toLowerCase(), properties, data: unescapeData(match[3]) };
}

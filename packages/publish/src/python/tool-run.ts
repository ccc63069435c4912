/** Running Python and its tools: output streamed into a collapsed log group, and kept for messages. */
import * as core from '@actions/core';
import * as exec from '@actions/exec';

/** What a finished tool printed, and how it ended. */
export interface ToolOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ToolRunOptions {
  cwd?: string;
  /** Added to (or, when undefined, removed from) the action's environment. */
  env?: Record<string, string | undefined>;
  /** When set, the output is shown in a log group with this title; otherwise it is not printed. */
  group?: string;
}

/** Runs a command to completion; a non-zero exit is returned, not thrown. */
export async function runTool(
  command: string,
  args: string[],
  options: ToolRunOptions = {}
): Promise<ToolOutput> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...process.env, ...options.env })) {
    if (value !== undefined) env[name] = value;
  }
  const execute = () =>
    exec.getExecOutput(command, args, {
      cwd: options.cwd,
      env,
      ignoreReturnCode: true,
      silent: options.group === undefined
    });
  return options.group === undefined ? execute() : core.group(options.group, execute);
}

/** The last lines a tool printed, to quote in a failure message. */
export function toolMessage(output: ToolOutput, lines = 15): string {
  const text = `${output.stdout}\n${output.stderr}`
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '');
  return text.slice(-lines).join('\n');
}

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import path from 'node:path';

/** The per-step files behind GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH, GITHUB_STATE and GITHUB_STEP_SUMMARY. */
export interface FileCommandPaths {
  GITHUB_OUTPUT: string;
  GITHUB_ENV: string;
  GITHUB_PATH: string;
  GITHUB_STATE: string;
  GITHUB_STEP_SUMMARY: string;
}

/** What a step left in its file commands. */
export interface FileCommandResults {
  outputs: Record<string, string>;
  env: Record<string, string>;
  paths: string[];
  state: Record<string, string>;
  summary: string;
}

/** A file command the runner refuses, with GitHub's reason; the step fails. */
export class FileCommandError extends Error {}

const FILE_NAMES: Record<keyof FileCommandPaths, string> = {
  GITHUB_OUTPUT: 'set_output',
  GITHUB_ENV: 'set_env',
  GITHUB_PATH: 'add_path',
  GITHUB_STATE: 'save_state',
  GITHUB_STEP_SUMMARY: 'step_summary'
};

/** Creates fresh, empty file-command files for one step under RUNNER_TEMP/_runner_file_commands. */
export async function createFileCommands(runnerTemp: string): Promise<FileCommandPaths> {
  const folder = path.join(runnerTemp, '_runner_file_commands');
  await mkdir(folder, { recursive: true });
  const suffix = randomUUID();
  const entries = Object.entries(FILE_NAMES).map(([key, name]) => [
    key,
    path.join(folder, `${name}_${suffix}`)
  ]);
  await Promise.all(entries.map(([, file]) => writeFile(file, '')));
  return Object.fromEntries(entries) as FileCommandPaths;
}

/** Parses `name=value` lines and `name<<DELIMITER` … `DELIMITER` blocks, as GITHUB_OUTPUT and GITHUB_ENV use. */
export function parseKeyValueFile(content: string, fileName: string): Record<string, string> {
  const lines = content.split(/\r?\n/);
  const values: Record<string, string> = {};
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (line === '') continue;
    const heredoc = line.indexOf('<<');
    const equals = line.indexOf('=');
    if (heredoc > 0 && (equals < 0 || heredoc < equals)) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      const end = lines.indexOf(delimiter, index + 1);
      if (delimiter === '' || end < 0) {
        throw new FileCommandError(
          `Invalid value in ${fileName}. Matching delimiter not found '${delimiter}'`
        );
      }
      values[name] = lines.slice(index + 1, end).join('\n');
      index = end;
    } else if (equals > 0) {
      values[line.slice(0, equals)] = line.slice(equals + 1);
    } else {
      throw new FileCommandError(`Invalid format '${line}' in ${fileName}`);
    }
  }
  return values;
}

/** Reads what a finished step wrote to its file-command files. */
export async function readFileCommands(paths: FileCommandPaths): Promise<FileCommandResults> {
  const [output, env, addPath, state, summary] = await Promise.all(
    (['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY'] as const).map(
      (key) => readFile(paths[key], 'utf8').catch(() => '')
    )
  );
  const envValues = parseKeyValueFile(env, 'GITHUB_ENV');
  for (const name of Object.keys(envValues)) {
    // GitHub blocks these so a step cannot inject code into every later node process.
    if (name.toUpperCase() === 'NODE_OPTIONS') {
      throw new FileCommandError(`Can't store ${name} output parameter using '$GITHUB_ENV' command.`);
    }
  }
  return {
    outputs: parseKeyValueFile(output, 'GITHUB_OUTPUT'),
    env: envValues,
    paths: addPath.split(/\r?\n/).filter((line) => line.trim() !== ''),
    state: parseKeyValueFile(state, 'GITHUB_STATE'),
    summary
  };
}

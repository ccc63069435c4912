/** twine: found in the interpreter or installed into a venv, then `twine check` and `twine upload`. */
import * as core from '@actions/core';
import { urlForLog } from '@codeartifact-actions/kit';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { DistributionFile } from './distributions.js';
import type { PythonInterpreter } from './interpreter.js';
import { runTool, toolMessage } from './tool-run.js';

/** How to run twine: `command ...prefix <twine arguments>`. */
export interface TwineCommand {
  command: string;
  prefix: string[];
  /** Where this twine came from, for the log. */
  origin: string;
}

/** The index pip would install from, credentials removed, for the log. */
export function describePipIndex(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.PIP_INDEX_URL?.trim();
  return (url && urlForLog(url)) || "pip's configured index";
}

/**
 * The interpreter's own twine; without one, a venv under `tempRoot` gets twine from the package index
 * the job already uses (with setup-codeartifact, the repository and its PyPI upstream).
 */
export async function resolveTwine(python: PythonInterpreter, tempRoot: string): Promise<TwineCommand> {
  if (python.modules.twine) return { command: python.path, prefix: ['-m', 'twine'], origin: python.path };
  const venv = join(tempRoot, 'publish-python-twine');
  const venvPython = join(venv, 'bin', 'python');
  const reused = await access(venvPython).then(
    () => true,
    () => false
  );
  core.info(
    `twine is not installed in ${python.path}: installing it into a virtual environment (${venv}) from ${describePipIndex()}.`
  );
  if (!reused) await mustRun(python.path, ['-m', 'venv', venv], 'Creating a venv for twine');
  await mustRun(
    venvPython,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', 'twine'],
    'pip install twine'
  );
  return { command: venvPython, prefix: ['-m', 'twine'], origin: `a venv under RUNNER_TEMP (${venv})` };
}

async function mustRun(command: string, args: string[], title: string): Promise<void> {
  const run = await runTool(command, args, { group: title });
  if (run.exitCode !== 0) {
    throw new Error(
      `${title} failed (exit ${run.exitCode}); twine is needed to upload. Install twine into the interpreter, or make the index reachable:\n${toolMessage(run)}`
    );
  }
}

/** `twine check`: fails naming the check, with twine's words, when the metadata or README would be rejected. */
export async function checkDistributions(twine: TwineCommand, files: DistributionFile[]): Promise<void> {
  const run = await runTool(
    twine.command,
    [...twine.prefix, '--no-color', 'check', ...files.map((f) => f.path)],
    {
      group: 'twine check (verify-metadata)'
    }
  );
  if (run.exitCode !== 0) {
    throw new Error(
      `The metadata check (twine check, input verify-metadata) rejected the distributions; nothing was uploaded. twine said:\n${toolMessage(run)}`
    );
  }
}

/** `twine upload` to the repository endpoint; the token goes in TWINE_PASSWORD, never argv. */
export async function uploadDistributions(
  twine: TwineCommand,
  endpoint: string,
  token: string,
  files: DistributionFile[]
): Promise<void> {
  const args = [
    ...twine.prefix,
    '--no-color',
    'upload',
    '--non-interactive',
    '--disable-progress-bar',
    '--verbose',
    '--repository-url',
    endpoint,
    ...files.map((f) => f.path)
  ];
  const run = await runTool(twine.command, args, {
    group: `twine upload (${files.length} file${files.length === 1 ? '' : 's'})`,
    env: {
      TWINE_USERNAME: 'aws',
      TWINE_PASSWORD: token,
      TWINE_REPOSITORY: undefined,
      TWINE_REPOSITORY_URL: undefined,
      TWINE_CERT: process.env.TWINE_CERT
    }
  });
  if (run.exitCode !== 0) {
    throw new Error(
      `twine upload to ${endpoint} failed (exit ${run.exitCode}). twine and the repository said:\n${toolMessage(run, 25)}`
    );
  }
}

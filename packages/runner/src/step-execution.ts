import { writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  inputVariableName,
  inputWarnings,
  loadActionManifest,
  type ActionManifest
} from './action-manifest.js';
import { interpolate } from './expressions.js';
import {
  createFileCommands,
  readFileCommands,
  type FileCommandPaths,
  type FileCommandResults
} from './file-commands.js';
import { expressionContext, stepEnvironment, type JobState } from './job-state.js';
import { runStepProcess, type ProcessExit } from './step-process.js';
import { StepOutputHandler } from './step-output.js';
import type { StepSpec } from './types.js';

const DEFAULT_STEP_TIMEOUT_MINUTES = 10;
const CANCELLED_CLEANUP_MINUTES = 5;
const SHELLS = {
  bash: {
    argv: ['bash', '--noprofile', '--norc', '-eo', 'pipefail'],
    shown: 'bash --noprofile --norc -e -o pipefail {0}'
  },
  sh: { argv: ['sh', '-e'], shown: 'sh -e {0}' }
};

/** How one process-running step (main or post) ended. */
export interface StepExecution {
  exitCode: number | null;
  failed: boolean;
  files: FileCommandResults;
}

/** What an action step needs again for its post step. */
export interface ActionInvocation {
  manifest: ActionManifest;
  inputs: Record<string, string>;
  /** Printed under the step's header, like GitHub's unexpected-input warning. */
  warnings: string[];
}

interface ProcessPlan {
  argv: string[];
  cwd: string;
  stepEnv: Record<string, string>;
  extraEnv: Record<string, string>;
  timeoutMinutes: number;
  /** Print `Process completed with exit code N.` on failure, as GitHub does for `run:` steps. */
  reportExitCode: boolean;
}

function emptyFiles(): FileCommandResults {
  return { outputs: {}, env: {}, paths: [], state: {}, summary: '' };
}

function writeHeader(
  state: JobState,
  title: string,
  sections: Array<[string, Record<string, string>]>,
  body: string[] = []
): void {
  state.log.write(`##[group]${title}`);
  for (const line of body) state.log.write(line);
  for (const [label, values] of sections) {
    const entries = Object.entries(values);
    if (entries.length === 0) continue;
    state.log.write(`${label}:`);
    for (const [name, value] of entries) state.log.write(`  ${name}: ${value}`);
  }
  state.log.write('##[endgroup]');
}

/** The step's time limit, and whether it is the job's remaining time rather than the step's own. */
function stepTimeLimit(state: JobState, stepMinutes: number): { minutes: number; jobLimited: boolean } {
  const remainingMinutes = (state.deadline - Date.now()) / 60_000;
  // Once the job is cancelled, always() and post steps still get a cleanup budget, as on GitHub.
  if (remainingMinutes <= 0)
    return { minutes: Math.min(stepMinutes, CANCELLED_CLEANUP_MINUTES), jobLimited: false };
  return { minutes: Math.min(stepMinutes, remainingMinutes), jobLimited: remainingMinutes < stepMinutes };
}

function reportExit(
  state: JobState,
  plan: ProcessPlan,
  exit: ProcessExit,
  limit: { minutes: number; jobLimited: boolean },
  handler: StepOutputHandler
): void {
  if (exit.error) handler.error(`An error occurred trying to start process '${plan.argv[0]}': ${exit.error}`);
  if (exit.timedOut && limit.jobLimited) {
    state.status.cancelled = true;
    handler.error(`The job has exceeded its maximum execution time of ${state.spec.timeoutMinutes} minutes.`);
  } else if (exit.timedOut) {
    handler.error(`The step has timed out after ${Math.round(limit.minutes * 60)} seconds.`);
  } else if (plan.reportExitCode && exit.exitCode !== 0 && exit.exitCode !== null) {
    handler.error(`Process completed with exit code ${exit.exitCode}.`);
  }
}

async function readFileCommandsReporting(paths: FileCommandPaths, handler: StepOutputHandler) {
  try {
    return { files: await readFileCommands(paths), fileError: false };
  } catch (error) {
    handler.error(error instanceof Error ? error.message : String(error));
    return { files: emptyFiles(), fileError: true };
  }
}

/** Runs a process with fresh file commands, then reads what it left there. */
async function executeProcess(
  state: JobState,
  plan: ProcessPlan,
  handler: StepOutputHandler
): Promise<StepExecution> {
  const filePaths = await createFileCommands(state.folders.runnerTemp);
  const env = stepEnvironment(state, plan.stepEnv, { ...plan.extraEnv, ...filePaths });
  const limit = stepTimeLimit(state, plan.timeoutMinutes);
  state.argv.push(plan.argv);
  const exit = await runStepProcess(
    {
      argv: plan.argv,
      cwd: plan.cwd,
      env,
      timeoutMs: limit.minutes * 60_000,
      onLine: (line) => handler.handleLine(line),
      onRaw: (text) => state.log.recordRaw(text)
    },
    state.groups
  );
  reportExit(state, plan, exit, limit, handler);
  const { files, fileError } = await readFileCommandsReporting(filePaths, handler);
  const failed = exit.exitCode !== 0 || exit.timedOut || handler.failed || fileError;
  return { exitCode: exit.exitCode, failed, files };
}

function evaluateValues(
  state: JobState,
  values: Record<string, unknown> | undefined,
  stepEnv: Record<string, string> = {}
): Record<string, string> {
  const context = expressionContext(state, stepEnv);
  return Object.fromEntries(
    Object.entries(values ?? {}).map(([name, value]) => [name, interpolate(String(value), context)])
  );
}

function resolveWorkingDirectory(state: JobState, step: StepSpec, stepEnv: Record<string, string>): string {
  const folder = step['working-directory'];
  if (!folder) return state.folders.workspace;
  return path.resolve(state.folders.workspace, interpolate(folder, expressionContext(state, stepEnv)));
}

/** The step's own `env:`, with its expressions evaluated. */
export function evaluateStepEnv(state: JobState, step: StepSpec): Record<string, string> {
  return evaluateValues(state, step.env);
}

/** Runs a `run:` step's script with bash (or sh) from a temp file. */
export async function runScriptStep(
  state: JobState,
  step: StepSpec,
  name: string,
  handler: StepOutputHandler
): Promise<StepExecution> {
  const stepEnv = evaluateStepEnv(state, step);
  const script = interpolate(step.run ?? '', expressionContext(state, stepEnv));
  const shell = SHELLS[step.shell ?? 'bash'];
  writeHeader(
    state,
    name,
    [['env', stepEnv]],
    [...script.replace(/\n$/, '').split('\n'), `shell: ${shell.shown}`]
  );
  const scriptFile = path.join(state.folders.runnerTemp, `${randomUUID()}.sh`);
  await writeFile(scriptFile, script);
  return executeProcess(
    state,
    {
      argv: [...shell.argv, scriptFile],
      cwd: resolveWorkingDirectory(state, step, stepEnv),
      stepEnv,
      extraEnv: { GITHUB_ACTION: handler.actionId },
      timeoutMinutes: step['timeout-minutes'] ?? DEFAULT_STEP_TIMEOUT_MINUTES,
      reportExitCode: true
    },
    handler
  );
}

/** Resolves inputs the way the runner does: declared defaults (with expressions), then the step's `with:`. */
function resolveInputs(
  state: JobState,
  manifest: ActionManifest,
  given: Record<string, string>
): Record<string, string> {
  const context = expressionContext(state);
  const inputs: Record<string, string> = {};
  // Given inputs first, then defaults, so the step header reads like the workflow's `with:`.
  for (const [name, value] of Object.entries(given)) {
    const declared = Object.keys(manifest.inputs).find(
      (candidate) => candidate.toLowerCase() === name.toLowerCase()
    );
    inputs[declared ?? name] = value;
  }
  for (const [name, input] of Object.entries(manifest.inputs)) {
    if (input.default !== undefined && !(name in inputs)) inputs[name] = interpolate(input.default, context);
  }
  return inputs;
}

function inputEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([name, value]) => [inputVariableName(name), value]));
}

/** Reads the action's metadata and its inputs for a `uses:` step. */
export async function prepareAction(state: JobState, step: StepSpec): Promise<ActionInvocation> {
  const manifest = await loadActionManifest(path.resolve(state.repoRoot, step.uses ?? ''));
  const stepEnv = evaluateStepEnv(state, step);
  const given = evaluateValues(state, step.with, stepEnv);
  const warnings = inputWarnings(manifest, given);
  if (manifest.pre) warnings.push(`runs.pre of '${step.uses}' is not run by this runner.`);
  return { manifest, inputs: resolveInputs(state, manifest, given), warnings };
}

/** Runs an action's `main` (or, with `phase: 'post'`, its `post`) with node. */
export async function runActionScript(
  state: JobState,
  step: StepSpec,
  invocation: ActionInvocation,
  phase: { title: string; script: string; savedState: Record<string, string> },
  handler: StepOutputHandler
): Promise<StepExecution> {
  const stepEnv = evaluateStepEnv(state, step);
  writeHeader(state, phase.title, [
    ['with', invocation.inputs],
    ['env', stepEnv]
  ]);
  for (const warning of invocation.warnings) handler.warning(warning);
  const stateEnv = Object.fromEntries(
    Object.entries(phase.savedState).map(([name, value]) => [`STATE_${name}`, value])
  );
  return executeProcess(
    state,
    {
      argv: [process.execPath, phase.script],
      cwd: state.folders.workspace,
      stepEnv,
      extraEnv: {
        ...inputEnv(invocation.inputs),
        ...stateEnv,
        GITHUB_ACTION: handler.actionId,
        GITHUB_ACTION_PATH: invocation.manifest.folder,
        GITHUB_ACTION_REPOSITORY: ''
      },
      timeoutMinutes: step['timeout-minutes'] ?? DEFAULT_STEP_TIMEOUT_MINUTES,
      reportExitCode: false
    },
    handler
  );
}

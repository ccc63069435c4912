import { evaluateCondition, interpolate } from './expressions.js';
import type { FileCommandResults } from './file-commands.js';
import {
  actionId,
  expressionContext,
  prepareJob,
  removeJobFolders,
  type JobState,
  type PendingPost
} from './job-state.js';
import { prepareAction, runActionScript, runScriptStep, type StepExecution } from './step-execution.js';
import { StepOutputHandler } from './step-output.js';
import type { JobResult, JobSpec, RunOptions, StepOutcome, StepResult, StepSpec } from './types.js';

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The name GitHub shows for a step: its `name`, else `Run <action>` or `Run <first script line>`. */
function displayName(state: JobState, step: StepSpec): string {
  if (step.name) {
    try {
      return interpolate(step.name, expressionContext(state));
    } catch {
      // GitHub shows the raw name when it cannot evaluate it; the step itself still runs.
      return step.name;
    }
  }
  if (step.uses) return `Run ${step.uses}`;
  return `Run ${(step.run ?? '').trim().split('\n')[0]}`;
}

/** 'run', 'skip', or 'invalid' when the condition cannot be evaluated (the step then fails, as on GitHub). */
function conditionVerdict(
  state: JobState,
  condition: string | undefined,
  handler: StepOutputHandler
): 'run' | 'skip' | 'invalid' {
  try {
    return evaluateCondition(condition, expressionContext(state)) ? 'run' : 'skip';
  } catch (error) {
    handler.error(errorMessage(error));
    return 'invalid';
  }
}

/** Folds what a step wrote to its files into the job: env for later steps, PATH, summary. */
function applyFileCommands(state: JobState, files: FileCommandResults): void {
  Object.assign(state.env, files.env);
  state.paths.push(...files.paths);
  state.summary += files.summary;
}

function recordResult(
  state: JobState,
  step: StepSpec,
  name: string,
  phase: StepResult['phase'],
  execution: { outcome: StepOutcome; exitCode: number | null; outputs: Record<string, string> },
  handler: StepOutputHandler
): StepResult {
  const continueOnError = phase === 'main' && step['continue-on-error'] === true;
  const conclusion: StepOutcome =
    execution.outcome === 'failure' && continueOnError ? 'success' : execution.outcome;
  if (conclusion === 'failure') state.status.failed = true;
  const { outcome, exitCode, outputs } = execution;
  const result: StepResult = {
    id: step.id,
    name,
    outcome,
    conclusion,
    exitCode,
    outputs,
    log: state.log.stepLog(),
    phase
  };
  state.results.push(result);
  state.annotations.push(...handler.annotations);
  if (step.id && phase === 'main') state.steps[step.id] = { outputs, outcome, conclusion };
  return result;
}

async function executeMain(
  state: JobState,
  step: StepSpec,
  name: string,
  handler: StepOutputHandler
): Promise<StepExecution> {
  if (step.run !== undefined) return runScriptStep(state, step, name, handler);
  const invocation = await prepareAction(state, step);
  const execution = await runActionScript(
    state,
    step,
    invocation,
    { title: name, script: invocation.manifest.main, savedState: {} },
    handler
  );
  if (invocation.manifest.post) {
    const { manifest, inputs } = invocation;
    state.posts.push({
      step,
      manifest,
      name,
      actionId: handler.actionId,
      inputs,
      state: { ...execution.files.state, ...handler.state }
    });
  }
  return execution;
}

async function runMainStep(state: JobState, step: StepSpec): Promise<void> {
  const name = displayName(state, step);
  state.log.beginStep();
  const handler = new StepOutputHandler(state.log, name, state.debug, actionId(state, step));
  if (Date.now() >= state.deadline) state.status.cancelled = true;
  const verdict = conditionVerdict(state, step.if, handler);
  if (verdict !== 'run') {
    const outcome = verdict === 'invalid' ? 'failure' : 'skipped';
    recordResult(state, step, name, 'main', { outcome, exitCode: null, outputs: {} }, handler);
    return;
  }
  try {
    if ((step.run === undefined) === (step.uses === undefined))
      throw new Error(`Step '${name}' needs exactly one of 'run' and 'uses'.`);
    const execution = await executeMain(state, step, name, handler);
    applyFileCommands(state, execution.files);
    const outputs = { ...handler.outputs, ...execution.files.outputs };
    recordResult(
      state,
      step,
      name,
      'main',
      { outcome: execution.failed ? 'failure' : 'success', exitCode: execution.exitCode, outputs },
      handler
    );
  } catch (error) {
    handler.error(errorMessage(error));
    recordResult(state, step, name, 'main', { outcome: 'failure', exitCode: null, outputs: {} }, handler);
  }
}

async function runPostStep(state: JobState, post: PendingPost): Promise<void> {
  const name = `Post ${post.name}`;
  state.log.beginStep();
  const handler = new StepOutputHandler(state.log, name, state.debug, post.actionId);
  const verdict = conditionVerdict(state, post.manifest.postIf ?? 'always()', handler);
  if (verdict !== 'run') {
    const outcome = verdict === 'invalid' ? 'failure' : 'skipped';
    recordResult(state, post.step, name, 'post', { outcome, exitCode: null, outputs: {} }, handler);
    return;
  }
  try {
    const invocation = { manifest: post.manifest, inputs: post.inputs, warnings: [] };
    const script = post.manifest.post ?? '';
    const execution = await runActionScript(
      state,
      post.step,
      invocation,
      { title: name, script, savedState: post.state },
      handler
    );
    applyFileCommands(state, execution.files);
    const outcome = execution.failed ? 'failure' : 'success';
    recordResult(
      state,
      post.step,
      name,
      'post',
      { outcome, exitCode: execution.exitCode, outputs: {} },
      handler
    );
  } catch (error) {
    handler.error(errorMessage(error));
    recordResult(
      state,
      post.step,
      name,
      'post',
      { outcome: 'failure', exitCode: null, outputs: {} },
      handler
    );
  }
}

function buildResult(state: JobState): JobResult {
  return {
    conclusion: state.status.failed || state.status.cancelled ? 'failure' : 'success',
    steps: state.results,
    log: state.log.text(),
    rawOutput: state.log.rawOutput(),
    summary: state.summary,
    env: { ...state.env },
    paths: [...state.paths],
    annotations: state.annotations,
    workspace: state.folders.workspace,
    home: state.folders.home,
    runnerTemp: state.folders.runnerTemp,
    argv: state.argv,
    cleanup: () => removeJobFolders(state)
  };
}

/** Runs a job's steps, then the post steps of its actions in reverse order, the way a GitHub runner does. */
export async function runJob(job: JobSpec, options: RunOptions = {}): Promise<JobResult> {
  const state = await prepareJob(job, options);
  try {
    for (const step of job.steps) await runMainStep(state, step);
    for (const post of [...state.posts].reverse()) await runPostStep(state, post);
  } finally {
    state.groups.killAll();
  }
  return buildResult(state);
}

/** Runs one action step (and its post step) in a job of its own. */
export function runAction(
  uses: string,
  inputs: Record<string, string>,
  job: Omit<JobSpec, 'steps'> = {},
  options: RunOptions = {}
): Promise<JobResult> {
  return runJob({ ...job, steps: [{ id: 'action', uses, with: inputs }] }, options);
}

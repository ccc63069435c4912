import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ActionManifest } from './action-manifest.js';
import { githubContext, machineEnvironment, runnerVariables, type JobFolders } from './environment.js';
import { interpolate, type ExpressionContext, type JobStatus } from './expressions.js';
import { JobLog } from './job-log.js';
import { ProcessGroups } from './step-process.js';
import type { Annotation, GithubContext, JobSpec, RunOptions, StepResult, StepSpec } from './types.js';

/** A post step waiting for the end of the job. */
export interface PendingPost {
  step: StepSpec;
  manifest: ActionManifest;
  name: string;
  actionId: string;
  inputs: Record<string, string>;
  state: Record<string, string>;
}

/** What a step exposes to later steps through `steps.<id>`. */
export interface StepContext {
  outputs: Record<string, string>;
  outcome: string;
  conclusion: string;
}

/** Everything a running job keeps between steps. */
export interface JobState {
  spec: JobSpec;
  repoRoot: string;
  root: string;
  folders: JobFolders;
  github: GithubContext;
  debug: boolean;
  log: JobLog;
  groups: ProcessGroups;
  machineEnv: Record<string, string>;
  /** The job's env plus everything later steps wrote to GITHUB_ENV. */
  env: Record<string, string>;
  paths: string[];
  summary: string;
  steps: Record<string, StepContext>;
  status: JobStatus;
  results: StepResult[];
  annotations: Annotation[];
  argv: string[][];
  posts: PendingPost[];
  actionIds: Map<string, number>;
  deadline: number;
}

const DEFAULT_JOB_TIMEOUT_MINUTES = 360;

async function createFolders(job: JobSpec, root: string, repository: string): Promise<JobFolders> {
  const folders: JobFolders = {
    workspace: job.workspace ?? path.join(root, 'work', repository.split('/').pop() ?? 'repo'),
    home: job.home ?? path.join(root, 'home'),
    runnerTemp: path.join(root, 'temp'),
    toolCache: path.join(root, 'tool-cache'),
    eventPath: path.join(root, 'workflow', 'event.json')
  };
  await Promise.all(
    [
      folders.workspace,
      folders.home,
      folders.runnerTemp,
      folders.toolCache,
      path.dirname(folders.eventPath)
    ].map((folder) => mkdir(folder, { recursive: true }))
  );
  return folders;
}

/** Creates the job's folders, event file, contexts and log. */
export async function prepareJob(job: JobSpec, options: RunOptions): Promise<JobState> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'ca-runner-'));
  const repository = job.github?.repository ?? 'octo-org/octo-repo';
  const folders = await createFolders(job, root, repository);
  const github = githubContext(job.github ?? {}, folders.workspace);
  await writeFile(folders.eventPath, JSON.stringify(github.event, null, 2));
  // GitHub reads step debug from a secret or a variable; a job env entry is accepted too.
  const debug = [job.env, job.secrets, job.vars].some((values) => values?.ACTIONS_STEP_DEBUG === 'true');
  const state: JobState = {
    spec: job,
    repoRoot: path.resolve(options.repoRoot ?? process.cwd()),
    root,
    folders,
    github,
    debug,
    log: new JobLog(options.echo ?? false),
    groups: new ProcessGroups(),
    machineEnv: machineEnvironment(),
    env: {},
    paths: [],
    summary: '',
    steps: {},
    status: { failed: false, cancelled: false },
    results: [],
    annotations: [],
    argv: [],
    posts: [],
    actionIds: new Map(),
    deadline: Date.now() + (job.timeoutMinutes ?? DEFAULT_JOB_TIMEOUT_MINUTES) * 60_000
  };
  if (job.oidc) state.log.masker.add(job.oidc.requestToken);
  for (const secret of Object.values(job.secrets ?? {})) state.log.masker.add(secret);
  for (const [name, value] of Object.entries(job.env ?? {}))
    state.env[name] = interpolate(String(value), expressionContext(state));
  return state;
}

/** The contexts `${{ }}` expressions see at this point of the job. */
export function expressionContext(state: JobState, stepEnv: Record<string, string> = {}): ExpressionContext {
  const jobStatus = state.status.cancelled ? 'cancelled' : state.status.failed ? 'failure' : 'success';
  return {
    contexts: {
      github: state.github,
      env: { ...state.env, ...stepEnv },
      steps: state.steps,
      inputs: state.spec.inputs ?? {},
      runner: {
        os: 'Linux',
        arch: 'X64',
        name: 'codeartifact-actions-local-runner',
        temp: state.folders.runnerTemp,
        tool_cache: state.folders.toolCache,
        debug: state.debug ? '1' : ''
      },
      job: { ...state.spec.job, status: jobStatus },
      secrets: state.spec.secrets ?? {},
      needs: state.spec.needs ?? {},
      vars: state.spec.vars ?? {}
    },
    status: state.status
  };
}

/** The environment of one step's process: machine env, job env, step env, then the runner's own variables. */
export function stepEnvironment(
  state: JobState,
  stepEnv: Record<string, string>,
  extra: Record<string, string>
): Record<string, string> {
  const userEnv = { ...state.env, ...stepEnv };
  const env: Record<string, string> = {
    ...state.machineEnv,
    ...runnerVariables(state.github, state.folders, state.debug),
    ...extra
  };
  // User env may override anything but the runner's own GITHUB_* / RUNNER_* names, as on GitHub.
  for (const [name, value] of Object.entries(userEnv)) {
    if (!/^(GITHUB|RUNNER)_/i.test(name)) env[name] = value;
  }
  const oidc = state.spec.oidc;
  if (oidc && state.spec.permissions?.['id-token'] === 'write') {
    env.ACTIONS_ID_TOKEN_REQUEST_URL = oidc.requestUrl;
    env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = oidc.requestToken;
  }
  const basePath = env.PATH ?? '';
  env.PATH = [...[...state.paths].reverse(), ...(basePath ? [basePath] : [])].join(path.delimiter);
  return env;
}

/** GITHUB_ACTION for a step: its id, or `__run` / `__self` numbered like GitHub's generated ids. */
export function actionId(state: JobState, step: StepSpec): string {
  if (step.id) return step.id;
  const base = step.run !== undefined ? '__run' : '__self';
  const count = (state.actionIds.get(base) ?? 0) + 1;
  state.actionIds.set(base, count);
  return count === 1 ? base : `${base}_${count}`;
}

/** Removes the folders the runner created (not a workspace or home the caller gave). */
export async function removeJobFolders(state: JobState): Promise<void> {
  await rm(state.root, { recursive: true, force: true });
}

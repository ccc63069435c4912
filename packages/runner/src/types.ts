/** One step of a job: either a local action (`uses`) or a shell script (`run`). */
export interface StepSpec {
  id?: string;
  name?: string;
  /** A local action folder, relative to the repository root (e.g. 'actions/setup-codeartifact') or absolute. */
  uses?: string;
  with?: Record<string, string | number | boolean>;
  /** A bash script. */
  run?: string;
  shell?: 'bash' | 'sh';
  env?: Record<string, string>;
  /** 'success()' (default), 'always()', 'failure()', 'cancelled()' or an expression, with or without `${{ }}`. */
  if?: string;
  'continue-on-error'?: boolean;
  'working-directory'?: string;
  /** Per-step time limit; 10 minutes unless given. */
  'timeout-minutes'?: number;
}

/** The `github` context, as the runner exposes it to expressions and GITHUB_* variables. */
export interface GithubContext {
  repository: string;
  repository_owner: string;
  ref: string;
  ref_name: string;
  ref_type: 'tag' | 'branch';
  sha: string;
  event_name: string;
  workflow: string;
  run_id: string;
  run_number: string;
  actor: string;
  server_url: string;
  api_url: string;
  workspace: string;
  job: string;
  event: Record<string, unknown>;
}

/** A job: its steps plus what the workflow and the runner machine give it. */
export interface JobSpec {
  steps: StepSpec[];
  env?: Record<string, string>;
  /** Defaults: repository 'octo-org/octo-repo', ref 'refs/heads/main', event 'push', a fixed sha. */
  github?: Partial<GithubContext>;
  /** `'id-token': 'write'` is needed for ACTIONS_ID_TOKEN_REQUEST_* to be set. */
  permissions?: Record<string, 'read' | 'write' | 'none'>;
  /** The OIDC token request endpoint, e.g. from the emulator's ready line. */
  oidc?: { requestUrl: string; requestToken: string };
  /** An existing folder to use as GITHUB_WORKSPACE (default: a fresh temp folder). */
  workspace?: string;
  /** Default: a fresh sandboxed HOME. */
  home?: string;
  /** The `inputs` context. */
  inputs?: Record<string, unknown>;
  /** The `secrets` context; every value is masked in the log from the start, as on GitHub. */
  secrets?: Record<string, string>;
  /** The `vars` context (repository variables). */
  vars?: Record<string, string>;
  /** Limit for the whole job, main and post steps together. */
  timeoutMinutes?: number;
  /** Extra `job` context properties, e.g. `workflow_repository` and `workflow_sha` of a called workflow. */
  job?: Record<string, string>;
  /** The `needs` context: earlier jobs' `result` and `outputs`. */
  needs?: Record<string, unknown>;
}

export type StepOutcome = 'success' | 'failure' | 'skipped';

export interface StepResult {
  id?: string;
  name: string;
  outcome: StepOutcome;
  conclusion: StepOutcome;
  exitCode: number | null;
  outputs: Record<string, string>;
  /** This step's part of the job log, masked. */
  log: string;
  phase: 'main' | 'post';
}

/** An `::error::`, `::warning::` or `::notice::` command, with its properties. */
export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  properties: Record<string, string>;
  step: string;
}

export interface JobResult {
  conclusion: 'success' | 'failure';
  /** Main steps, then post steps. */
  steps: StepResult[];
  /** The whole job log as GitHub would show it, masked values as ***. */
  log: string;
  /** Everything the processes printed, unmasked: lets tests assert a secret was masked. */
  rawOutput: string;
  /** GITHUB_STEP_SUMMARY contents of all steps, concatenated. */
  summary: string;
  /** The job env after all steps, GITHUB_ENV applied. */
  env: Record<string, string>;
  /** GITHUB_PATH additions, in the order they were added. */
  paths: string[];
  annotations: Annotation[];
  workspace: string;
  home: string;
  runnerTemp: string;
  /** Every command line the runner itself started (for secret-in-argv checks). */
  argv: string[][];
  /** Removes the temp folders the runner created. */
  cleanup(): Promise<void>;
}

export interface RunOptions {
  /** Where `uses` paths are resolved from; default: the current directory. */
  repoRoot?: string;
  /** Mirror the log to stderr as it is written. */
  echo?: boolean;
}

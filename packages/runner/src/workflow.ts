import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { evaluateCondition, interpolate, type ExpressionContext } from './expressions.js';
import { githubContext } from './environment.js';
import { runJob } from './job.js';
import type { GithubContext, JobResult, JobSpec, RunOptions, StepSpec } from './types.js';
import {
  loadWorkflowFile,
  resolveWorkflowInputs,
  type Permissions,
  type WorkflowEvent,
  type WorkflowFile,
  type WorkflowJob
} from './workflow-file.js';
import { localStep, parseRemoteReference, type LocalSources } from './workflow-steps.js';
import { pushNotTriggered } from './triggers.js';

/** The simulated event and what the run gets from the machine (emulator endpoint, OIDC). */
export interface WorkflowRunSpec {
  event: WorkflowEvent;
  /** `with:` of a caller (workflow_call) or the dispatch form's values (workflow_dispatch). */
  inputs?: Record<string, unknown>;
  /** Default: `refs/tags/v1.2.3` for push, `refs/heads/main` otherwise. */
  ref?: string;
  /** Run only this job (its `needs` are then not run and read as empty). */
  job?: string;
  github?: Partial<GithubContext>;
  /** Permissions of the calling job (workflow_call), which a called workflow cannot exceed. */
  callerPermissions?: Record<string, 'read' | 'write' | 'none'>;
  /** The runner machine's extra environment, e.g. AWS_ENDPOINT_URL of the emulator. */
  env?: Record<string, string>;
  oidc?: JobSpec['oidc'];
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  /** A project folder that checking out the calling repository copies into the workspace. */
  checkout?: string;
  home?: string;
  /** The interpreter actions/setup-python stands for (default: python3 on PATH). */
  python?: string;
}

export interface WorkflowRunOptions extends RunOptions {
  /** The `owner/repo` under which workflows refer to this repository's actions and workflows. Default 'OWNER/REPO'. */
  actionsRepository?: string;
}

export interface WorkflowResult {
  conclusion: 'success' | 'failure';
  /** Errors that failed the run before or between jobs (inputs, permissions, unsupported actions). */
  errors: string[];
  /** Each job's result; a caller job's called jobs appear as `caller/called`. */
  jobs: Record<string, JobResult>;
  /** Each job's evaluated `outputs`. */
  jobOutputs: Record<string, Record<string, string>>;
  /** `on.workflow_call.outputs`, evaluated. */
  outputs: Record<string, string>;
  cleanup(): Promise<void>;
}

/** GitHub's default GITHUB_TOKEN permissions (restricted setting) when a workflow declares none. */
const DEFAULT_PERMISSIONS: Record<string, 'read' | 'write' | 'none'> = { contents: 'read', packages: 'read' };
const WRITE_ALL_SCOPES = [
  'actions',
  'checks',
  'contents',
  'deployments',
  'id-token',
  'issues',
  'packages',
  'pull-requests',
  'statuses'
];

function expandPermissions(
  permissions: Permissions | undefined
): Record<string, 'read' | 'write' | 'none'> | undefined {
  if (permissions === undefined) return undefined;
  if (permissions === 'read-all' || permissions === 'write-all') {
    const level = permissions === 'read-all' ? 'read' : 'write';
    return Object.fromEntries(WRITE_ALL_SCOPES.map((scope) => [scope, level]));
  }
  return { ...permissions };
}

const LEVELS = { none: 0, read: 1, write: 2 };

/** A called job may only keep or lower the caller's permissions; GitHub refuses the run otherwise. */
function permissionErrors(
  jobId: string,
  requested: Record<string, 'read' | 'write' | 'none'>,
  allowed: Record<string, 'read' | 'write' | 'none'>
): string[] {
  return Object.entries(requested)
    .filter(([scope, level]) => LEVELS[level] > LEVELS[allowed[scope] ?? 'none'])
    .map(
      ([scope, level]) =>
        `The nested job '${jobId}' is requesting '${scope}: ${level}', but is only allowed '${scope}: ${allowed[scope] ?? 'none'}'.`
    );
}

function eventPayload(
  spec: WorkflowRunSpec,
  github: GithubContext,
  inputs: Record<string, unknown>
): Record<string, unknown> {
  const [owner, name] = github.repository.split('/');
  const base = {
    repository: { full_name: github.repository, name, owner: { login: owner } },
    sender: { login: github.actor }
  };
  if (spec.event === 'push') return { ...base, ref: github.ref, after: github.sha };
  if (spec.event === 'workflow_dispatch') return { ...base, ref: github.ref, inputs };
  return { ...base, ref: github.ref };
}

/** The simulated ref: given, else a v1.2.3 tag for a push and main otherwise. */
function runRef(spec: WorkflowRunSpec): string {
  return spec.ref ?? spec.github?.ref ?? (spec.event === 'push' ? 'refs/tags/v1.2.3' : 'refs/heads/main');
}

function runGithubContext(
  spec: WorkflowRunSpec,
  workflow: WorkflowFile,
  inputs: Record<string, unknown>
): GithubContext {
  const ref = runRef(spec);
  const github = githubContext(
    { workflow: workflow.name, ...spec.github, ref, event_name: spec.github?.event_name ?? spec.event },
    ''
  );
  if (!spec.github?.event) github.event = eventPayload(spec, github, inputs);
  return github;
}

interface RunState {
  workflow: WorkflowFile;
  spec: WorkflowRunSpec;
  options: WorkflowRunOptions;
  github: GithubContext;
  inputs: Record<string, unknown>;
  result: WorkflowResult;
  folders: string[];
  needs: Record<string, { result: string; outputs: Record<string, string> }>;
}

function contextFor(state: RunState, extra: Record<string, unknown> = {}): ExpressionContext {
  return {
    contexts: {
      github: state.github,
      inputs: state.inputs,
      needs: state.needs,
      vars: state.spec.vars ?? {},
      secrets: state.spec.secrets ?? {},
      ...extra
    },
    status: { failed: Object.values(state.needs).some((need) => need.result === 'failure'), cancelled: false }
  };
}

function evaluateMap(
  values: Record<string, unknown> | undefined,
  context: ExpressionContext
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values ?? {}).map(([name, value]) => [name, interpolate(String(value), context)])
  );
}

/** Job ids in an order where each job comes after its `needs`. */
function jobOrder(workflow: WorkflowFile, only?: string): string[] {
  if (only) {
    if (!workflow.jobs[only]) throw new Error(`${workflow.file}: there is no job '${only}'.`);
    return [only];
  }
  const ordered: string[] = [];
  const visit = (id: string, trail: string[]): void => {
    if (ordered.includes(id)) return;
    if (trail.includes(id))
      throw new Error(`${workflow.file}: jobs ${[...trail, id].join(' -> ')} need each other.`);
    const job = workflow.jobs[id];
    if (!job) throw new Error(`${workflow.file}: job '${trail.at(-1)}' needs '${id}', which does not exist.`);
    for (const need of [job.needs ?? []].flat()) visit(need, [...trail, id]);
    ordered.push(id);
  };
  for (const id of Object.keys(workflow.jobs)) visit(id, []);
  return ordered;
}

function jobPermissions(state: RunState, job: WorkflowJob): Record<string, 'read' | 'write' | 'none'> {
  const declared = expandPermissions(job.permissions) ?? expandPermissions(state.workflow.permissions);
  // A called workflow that declares nothing inherits its caller's token.
  return declared ?? state.spec.callerPermissions ?? DEFAULT_PERMISSIONS;
}

function localSources(state: RunState, workspace: string): LocalSources {
  return {
    repoRoot: path.resolve(state.options.repoRoot ?? process.cwd()),
    actionsRepository: state.options.actionsRepository ?? 'OWNER/REPO',
    checkoutSource: state.spec.checkout,
    python: state.spec.python,
    workspace
  };
}

/** The commit of the local checkout, standing for the commit a remote `@ref` resolves to. */
function checkoutCommit(repoRoot: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: 'pipe'
    }).trim();
  } catch {
    return undefined;
  }
}

/** The `job` context of a job defined in this workflow file: where the file itself comes from. */
function workflowIdentity(state: RunState): Record<string, string> {
  const sources = localSources(state, '');
  const repoRoot = sources.repoRoot;
  const relative = path.relative(repoRoot, state.workflow.file);
  const ownFile = !relative.startsWith('..');
  const repository = ownFile ? sources.actionsRepository : state.github.repository;
  return {
    workflow_repository: repository,
    workflow_sha: (ownFile ? checkoutCommit(repoRoot) : undefined) ?? state.github.sha,
    workflow_ref: `${repository}/${ownFile ? relative : path.basename(state.workflow.file)}@${state.github.ref}`,
    workflow_file_path: ownFile ? relative : path.basename(state.workflow.file)
  };
}

async function runStepsJob(state: RunState, id: string, job: WorkflowJob): Promise<void> {
  const workspace = await mkdtemp(path.join(os.tmpdir(), 'ca-workflow-ws-'));
  state.folders.push(workspace);
  const sources = localSources(state, workspace);
  const context = contextFor(state);
  const runDefaults = job.defaults?.run ?? {};
  const steps: StepSpec[] = (job.steps ?? []).map((step) =>
    localStep(
      {
        ...step,
        shell: step.shell ?? runDefaults.shell,
        'working-directory':
          step.run !== undefined ? (step['working-directory'] ?? runDefaults['working-directory']) : undefined
      },
      sources
    )
  );
  const result = await runJob(
    {
      steps,
      env: {
        ...state.spec.env,
        ...evaluateMap(state.workflow.env, context),
        ...evaluateMap(job.env, context)
      },
      github: { ...state.github, job: id },
      permissions: jobPermissions(state, job),
      oidc: state.spec.oidc,
      workspace,
      home: state.spec.home,
      inputs: state.inputs,
      secrets: state.spec.secrets,
      vars: state.spec.vars,
      timeoutMinutes: job['timeout-minutes'],
      job: workflowIdentity(state),
      needs: state.needs
    },
    state.options
  );
  state.result.jobs[id] = result;
  const stepsContext = Object.fromEntries(
    result.steps
      .filter((step) => step.id && step.phase === 'main')
      .map((step) => [step.id, { outputs: step.outputs, outcome: step.outcome, conclusion: step.conclusion }])
  );
  const outputs = evaluateMap(job.outputs, contextFor(state, { steps: stepsContext }));
  finishJob(state, id, result.conclusion, outputs);
}

function finishJob(
  state: RunState,
  id: string,
  conclusion: 'success' | 'failure',
  outputs: Record<string, string>
) {
  state.result.jobOutputs[id] = outputs;
  state.needs[id] = { result: conclusion, outputs };
  if (conclusion === 'failure') state.result.conclusion = 'failure';
}

/** Resolves a job's `uses:` to a workflow file in this repository. */
function calledWorkflowFile(state: RunState, uses: string): string {
  const repoRoot = localSources(state, '').repoRoot;
  if (uses.startsWith('./')) return path.resolve(repoRoot, uses);
  const remote = parseRemoteReference(uses);
  if (remote && remote.repository === (state.options.actionsRepository ?? 'OWNER/REPO'))
    return path.join(repoRoot, remote.subPath);
  throw new Error(
    `The called workflow '${uses}' cannot run locally: only ./ and this repository's workflows can.`
  );
}

async function runCallerJob(state: RunState, id: string, job: WorkflowJob): Promise<void> {
  const context = contextFor(state);
  const inputs: Record<string, unknown> = {};
  // `with:` keeps booleans and numbers typed unless an expression makes them strings.
  for (const [name, value] of Object.entries(job.with ?? {}))
    inputs[name] = typeof value === 'string' ? interpolate(value, context) : value;
  const secrets = job.secrets === 'inherit' ? state.spec.secrets : evaluateMap(job.secrets, context);
  const called = await runWorkflow(
    calledWorkflowFile(state, job.uses ?? ''),
    {
      ...state.spec,
      event: 'workflow_call',
      inputs,
      job: undefined,
      secrets,
      github: { ...state.github },
      callerPermissions: jobPermissions(state, job)
    },
    state.options
  );
  state.result.errors.push(...called.errors);
  for (const [calledId, jobResult] of Object.entries(called.jobs))
    state.result.jobs[`${id}/${calledId}`] = jobResult;
  const cleanupCalled = state.result.cleanup;
  state.result.cleanup = async () => {
    await called.cleanup();
    await cleanupCalled();
  };
  finishJob(state, id, called.conclusion, called.outputs);
}

async function runJobs(state: RunState): Promise<void> {
  for (const id of jobOrder(state.workflow, state.spec.job)) {
    const job = state.workflow.jobs[id];
    const unsupported = (['strategy', 'container', 'services'] as const).filter(
      (key) => job[key] !== undefined
    );
    if (unsupported.length > 0)
      throw new Error(`Job '${id}': ${unsupported.join(', ')} is not supported by the local runner.`);
    if (!evaluateCondition(job.if, contextFor(state))) {
      finishJob(state, id, 'success', {});
      state.needs[id].result = 'skipped';
      continue;
    }
    if (job.uses) await runCallerJob(state, id, job);
    else await runStepsJob(state, id, job);
  }
}

function checkCallPermissions(state: RunState): void {
  const caller = state.spec.callerPermissions;
  if (state.spec.event !== 'workflow_call' || !caller) return;
  for (const [id, job] of Object.entries(state.workflow.jobs)) {
    const declared = expandPermissions(job.permissions) ?? expandPermissions(state.workflow.permissions);
    if (declared) state.result.errors.push(...permissionErrors(id, declared, caller));
  }
}

/**
 * Runs a workflow file's jobs for a simulated event, with this repository's actions from the local
 * checkout and third-party setup/checkout actions stood in for by the machine.
 */
export async function runWorkflow(
  file: string,
  spec: WorkflowRunSpec,
  options: WorkflowRunOptions = {}
): Promise<WorkflowResult> {
  const workflow = await loadWorkflowFile(path.resolve(options.repoRoot ?? process.cwd(), file));
  const folders: string[] = [];
  const result: WorkflowResult = {
    conclusion: 'success',
    errors: [],
    jobs: {},
    jobOutputs: {},
    outputs: {},
    cleanup: async () => {
      await Promise.all(Object.values(result.jobs).map((job) => job.cleanup()));
      await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
    }
  };
  if (!(spec.event in workflow.on)) {
    result.errors.push(
      `${file}: the workflow is not triggered by '${spec.event}' (on: ${Object.keys(workflow.on).join(', ')}).`
    );
  } else if (spec.event === 'push') {
    const ref = runRef(spec);
    const reason = pushNotTriggered(workflow.on.push, ref);
    if (reason) result.errors.push(`${file}: a push of ${ref} does not trigger the workflow: ${reason}.`);
  }
  const { inputs, errors } = resolveWorkflowInputs(workflow, spec.event, spec.inputs ?? {});
  result.errors.push(...errors);
  const state: RunState = {
    workflow,
    spec,
    options,
    github: runGithubContext(spec, workflow, inputs),
    inputs,
    result,
    folders,
    needs: {}
  };
  checkCallPermissions(state);
  if (result.errors.length === 0) {
    try {
      await runJobs(state);
    } catch (error) {
      result.errors.push((error as Error).message);
    }
  }
  if (result.errors.length > 0) result.conclusion = 'failure';
  const callOutputs = (workflow.on.workflow_call?.outputs ?? {}) as Record<string, { value?: string }>;
  const jobsContext = Object.fromEntries(
    Object.entries(state.needs).map(([id, need]) => [id, { result: need.result, outputs: need.outputs }])
  );
  const outputsContext = contextFor(state, { jobs: jobsContext });
  for (const [name, output] of Object.entries(callOutputs))
    result.outputs[name] = interpolate(String(output?.value ?? ''), outputsContext);
  return result;
}

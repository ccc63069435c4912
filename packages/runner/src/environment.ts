import type { GithubContext } from './types.js';

// A job starts clean: credentials, tool configuration and runner state of the developer's shell stay out.
const DROPPED_PREFIXES = [
  'AWS_',
  'CODEARTIFACT_',
  'NPM_CONFIG_',
  'NPM_',
  'PIP_',
  'UV_',
  'POETRY_',
  'TWINE_',
  'YARN_',
  'PNPM_',
  'GRADLE_',
  'GITHUB_',
  'RUNNER_',
  'ACTIONS_',
  'INPUT_',
  'STATE_',
  'JEST_',
  'XDG_CONFIG_',
  'XDG_CACHE_',
  'XDG_DATA_'
];
const DROPPED_NAMES = [
  'NODE_AUTH_TOKEN',
  'NODE_OPTIONS',
  'MAVEN_ARGS',
  'CI',
  'HOME',
  'PWD',
  'OLDPWD',
  'INIT_CWD'
];

/** The runner machine's own environment, without anything that would leak the developer's setup into a job. */
export function machineEnvironment(parent: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value === undefined) continue;
    const upper = name.toUpperCase();
    if (DROPPED_NAMES.includes(upper) || DROPPED_PREFIXES.some((prefix) => upper.startsWith(prefix)))
      continue;
    kept[name] = value;
  }
  return kept;
}

/** Folders a job runs in. */
export interface JobFolders {
  workspace: string;
  home: string;
  runnerTemp: string;
  toolCache: string;
  eventPath: string;
}

/** The GITHUB_* and RUNNER_* variables every step of a job gets. */
export function runnerVariables(
  github: GithubContext,
  folders: JobFolders,
  debug: boolean
): Record<string, string> {
  const variables: Record<string, string> = {
    CI: 'true',
    HOME: folders.home,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: folders.workspace,
    GITHUB_REPOSITORY: github.repository,
    GITHUB_REPOSITORY_OWNER: github.repository_owner,
    GITHUB_REF: github.ref,
    GITHUB_REF_NAME: github.ref_name,
    GITHUB_REF_TYPE: github.ref_type,
    GITHUB_REF_PROTECTED: 'false',
    GITHUB_SHA: github.sha,
    GITHUB_EVENT_NAME: github.event_name,
    GITHUB_EVENT_PATH: folders.eventPath,
    GITHUB_WORKFLOW: github.workflow,
    GITHUB_WORKFLOW_REF: `${github.repository}/.github/workflows/${github.workflow}.yml@${github.ref}`,
    GITHUB_RUN_ID: github.run_id,
    GITHUB_RUN_NUMBER: github.run_number,
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTOR: github.actor,
    GITHUB_TRIGGERING_ACTOR: github.actor,
    GITHUB_SERVER_URL: github.server_url,
    GITHUB_API_URL: github.api_url,
    GITHUB_GRAPHQL_URL: `${github.api_url}/graphql`,
    GITHUB_JOB: github.job,
    GITHUB_RETENTION_DAYS: '90',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'codeartifact-actions-local-runner',
    RUNNER_ENVIRONMENT: 'self-hosted',
    RUNNER_TEMP: folders.runnerTemp,
    RUNNER_TOOL_CACHE: folders.toolCache,
    RUNNER_WORKSPACE: folders.workspace
  };
  if (debug) variables.RUNNER_DEBUG = '1';
  return variables;
}

/** GitHub's default context for a push to main of octo-org/octo-repo, with the caller's overrides. */
export function githubContext(overrides: Partial<GithubContext>, workspace: string): GithubContext {
  const repository = overrides.repository ?? 'octo-org/octo-repo';
  const ref = overrides.ref ?? 'refs/heads/main';
  const refType = overrides.ref_type ?? (ref.startsWith('refs/tags/') ? 'tag' : 'branch');
  const refName = overrides.ref_name ?? ref.replace(/^refs\/(heads|tags)\//, '');
  const context: GithubContext = {
    repository,
    repository_owner: overrides.repository_owner ?? repository.split('/')[0],
    ref,
    ref_name: refName,
    ref_type: refType,
    sha: overrides.sha ?? '3f786850e387550fdab836ed7e6dc881de23001b',
    event_name: overrides.event_name ?? 'push',
    workflow: overrides.workflow ?? 'ci',
    run_id: overrides.run_id ?? '1',
    run_number: overrides.run_number ?? '1',
    actor: overrides.actor ?? 'octocat',
    server_url: overrides.server_url ?? 'https://github.com',
    api_url: overrides.api_url ?? 'https://api.github.com',
    workspace,
    job: overrides.job ?? 'build',
    event: overrides.event ?? {}
  };
  if (!overrides.event) context.event = defaultEvent(context);
  return context;
}

function defaultEvent(github: GithubContext): Record<string, unknown> {
  const [owner, name] = github.repository.split('/');
  return {
    ref: github.ref,
    after: github.sha,
    repository: { full_name: github.repository, name, owner: { login: owner } },
    sender: { login: github.actor }
  };
}

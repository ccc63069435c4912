/**
 * The local CodeArtifact's configuration: one JSON file (every field optional) describing the
 * account, its credentials, the GitHub OIDC claims it mints, the IAM roles tokens may assume,
 * the domains and repositories that exist at start, and folders standing in for public registries.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ACCOUNT_ID, DOMAIN, REPOSITORY, checkName } from '@codeartifact-actions/model';

/** GitHub's OIDC token claims the emulator mints (all strings, as GitHub sends them). */
export interface GithubClaims {
  /** `repo:ORG/REPO:ref:REF`, `repo:ORG/REPO:environment:NAME` or `repo:ORG/REPO:pull_request`; derived unless set. */
  sub: string;
  /** `ORG/REPO`. */
  repository: string;
  /** Derived from `repository` unless set. */
  repository_owner: string;
  /** `refs/tags/v1.2.3`, `refs/heads/main`, `refs/pull/1/merge`. */
  ref: string;
  /** `tag` or `branch`; derived from `ref` unless set. */
  ref_type: string;
  sha: string;
  /** `ORG/REPO/.github/workflows/FILE@REF`; derived unless set. */
  workflow_ref: string;
  /** The reusable workflow's ref when one runs the job; equals `workflow_ref` unless set. */
  job_workflow_ref: string;
  workflow: string;
  /** `push`, `workflow_dispatch`, `pull_request`, ... */
  event_name: string;
  /** The deployment environment; changes `sub` to the environment form. Empty for none. */
  environment: string;
  actor: string;
  run_id: string;
  run_number: string;
  run_attempt: string;
  repository_visibility: string;
  runner_environment: string;
}

/** One IAM role that GitHub OIDC tokens may assume (AssumeRoleWithWebIdentity). */
export interface RoleConfig {
  /** Role name (`[\w+=,.@-]`, 1-64 characters). */
  name: string;
  /** Role ARN; `arn:aws:iam::<accountId>:role/<name>` when omitted. */
  arn: string;
  /** The trust policy: who may assume the role. */
  trust: {
    /** `token.actions.githubusercontent.com:aud` StringEquals values; default `["sts.amazonaws.com"]`. */
    audience: string[];
    /** `token.actions.githubusercontent.com:sub` StringLike patterns (`*`, `?`), e.g. `repo:org/*:ref:refs/tags/v*`. */
    subjects: string[];
  };
  /** IAM actions the role's sessions may perform: `codeartifact:ReadFromRepository`, `codeartifact:List*`, `*`. */
  actions: string[];
  /** The longest session (DurationSeconds) the role allows, 3600-43200; AWS's default is 3600. */
  maxSessionDuration: number;
}

/** One CodeArtifact repository created at start. */
export interface RepositoryConfig {
  /** Repository name (2-100 characters: letters, digits, `.`, `_`, `-`). */
  name: string;
  description?: string;
  /** Names of repositories in the same domain to resolve packages from, in order. */
  upstreams: string[];
  /** External connections: `public:pypi`, `public:npmjs`, `public:maven-central`, ... */
  externalConnections: string[];
}

/** One CodeArtifact domain created at start. */
export interface DomainConfig {
  /** Domain name (2-50 characters: lowercase letters, digits, `-`). */
  name: string;
  repositories: RepositoryConfig[];
}

/** The emulator's configuration with every default applied. */
export interface EmulatorConfig {
  /** The account that owns every domain and role; default `111122223333`. */
  accountId: string;
  /** The region in endpoints and ARNs; default `us-east-1`. */
  region: string;
  /** The account's static access key (its root); generated at each start when omitted. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  oidc: {
    /** Claims of every minted token; the token request URL's query can override them per request. */
    claims: Partial<GithubClaims>;
    /** The bearer token the request URL wants (ACTIONS_ID_TOKEN_REQUEST_TOKEN); generated when omitted. */
    requestToken?: string;
  };
  /** Roles tokens may assume; one permissive role (`DEFAULT_ROLE_NAME`) when omitted. */
  roles: RoleConfig[];
  /** Domains and repositories that exist at start; none when omitted. */
  domains: DomainConfig[];
  /** A folder standing in for each external connection (`"public:pypi": "./pypi-mirror"`), relative to the config file. */
  externalConnections: Record<string, string>;
}

/** A configuration file that is not what the emulator understands; the message names the field. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const DEFAULT_ACCOUNT_ID = '111122223333';
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ROLE_NAME = 'codeartifact-actions';
export const DEFAULT_AUDIENCE = 'sts.amazonaws.com';

/** What the actions need: a token, endpoints, reading, publishing and listing; no domain or repository administration. */
export const DEFAULT_ROLE_ACTIONS: readonly string[] = [
  'sts:GetServiceBearerToken',
  'codeartifact:GetAuthorizationToken',
  'codeartifact:GetRepositoryEndpoint',
  'codeartifact:ReadFromRepository',
  'codeartifact:PublishPackageVersion',
  'codeartifact:PutPackageMetadata',
  'codeartifact:UpdatePackageVersionsStatus',
  'codeartifact:GetPackageVersionAsset',
  'codeartifact:GetPackageVersionReadme',
  'codeartifact:Describe*',
  'codeartifact:List*'
];

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_ARN = /^arn:aws:iam::([0-9]{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const ACTION = /^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$/;

/** The configuration used when there is no file: one account, one role trusting any repository, no domains. */
export function defaultConfig(): EmulatorConfig {
  return parseConfig({}, 'default configuration');
}

/** Reads and validates a configuration file; without a path, the defaults. */
export function loadConfig(path?: string): EmulatorConfig {
  if (path === undefined) return defaultConfig();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the configuration file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseConfig(json, path, dirname(resolve(path)));
}

/**
 * Validates a parsed configuration and applies the defaults. `source` names it in messages;
 * `baseDir` resolves relative external connection folders.
 */
export function parseConfig(json: unknown, source: string, baseDir = process.cwd()): EmulatorConfig {
  const at = new FieldReader(source);
  const root = at.object(json, '');
  at.only(root, '', [
    'accountId',
    'region',
    'credentials',
    'oidc',
    'roles',
    'domains',
    'externalConnections'
  ]);
  const accountId = at.named(root.accountId, 'accountId', ACCOUNT_ID) ?? DEFAULT_ACCOUNT_ID;
  const region = at.matching(root.region, 'region', /^[a-z]{2}(-[a-z]+)+-\d$/, 'a region such as us-east-1');
  return {
    accountId,
    region: region ?? DEFAULT_REGION,
    credentials: readCredentials(at, root.credentials),
    oidc: readOidc(at, root.oidc),
    roles: readRoles(at, root.roles, accountId),
    domains: readDomains(at, root.domains),
    externalConnections: readExternalConnections(at, root.externalConnections, baseDir)
  };
}

function readCredentials(at: FieldReader, value: unknown): EmulatorConfig['credentials'] {
  if (value === undefined) return undefined;
  const credentials = at.object(value, 'credentials');
  at.only(credentials, 'credentials', ['accessKeyId', 'secretAccessKey']);
  const accessKeyId = at.matching(
    credentials.accessKeyId,
    'credentials.accessKeyId',
    /^AKIA[A-Z0-9]{12,124}$/,
    '"AKIA" and 12 or more uppercase letters or digits'
  );
  const secretAccessKey = at.matching(
    credentials.secretAccessKey,
    'credentials.secretAccessKey',
    /^[A-Za-z0-9/+=]{16,128}$/,
    '16-128 characters of A-Z, a-z, 0-9, "/", "+", "="'
  );
  if (!accessKeyId || !secretAccessKey) {
    throw at.error('credentials', 'needs both accessKeyId and secretAccessKey');
  }
  return { accessKeyId, secretAccessKey };
}

const CLAIM_NAMES: ReadonlyArray<keyof GithubClaims> = [
  'sub',
  'repository',
  'repository_owner',
  'ref',
  'ref_type',
  'sha',
  'workflow_ref',
  'job_workflow_ref',
  'workflow',
  'event_name',
  'environment',
  'actor',
  'run_id',
  'run_number',
  'run_attempt',
  'repository_visibility',
  'runner_environment'
];

/** Whether `name` is a claim the emulator lets configuration and request URLs set. */
export function isClaimName(name: string): name is keyof GithubClaims {
  return (CLAIM_NAMES as readonly string[]).includes(name);
}

function readOidc(at: FieldReader, value: unknown): EmulatorConfig['oidc'] {
  if (value === undefined) return { claims: {} };
  const oidc = at.object(value, 'oidc');
  at.only(oidc, 'oidc', ['claims', 'requestToken']);
  const claims: Partial<GithubClaims> = {};
  if (oidc.claims !== undefined) {
    const given = at.object(oidc.claims, 'oidc.claims');
    at.only(given, 'oidc.claims', CLAIM_NAMES);
    for (const [name, claim] of Object.entries(given)) {
      claims[name as keyof GithubClaims] = at.string(claim, `oidc.claims.${name}`);
    }
    if (claims.repository !== undefined && !/^[^/\s]+\/[^/\s]+$/.test(claims.repository)) {
      throw at.error('oidc.claims.repository', `"${claims.repository}" is not in the form OWNER/REPO`);
    }
  }
  const requestToken = at.matching(
    oidc.requestToken,
    'oidc.requestToken',
    /^[\x21-\x7e]{8,}$/,
    '8 or more printable characters without spaces'
  );
  return { claims, requestToken };
}

function readRoles(at: FieldReader, value: unknown, accountId: string): RoleConfig[] {
  if (value === undefined) return [defaultRole(accountId)];
  const roles = at
    .array(value, 'roles')
    .map((item, index) => readRole(at, item, `roles[${index}]`, accountId));
  const seen = new Set<string>();
  for (const [index, role] of roles.entries()) {
    if (seen.has(role.arn)) throw at.error(`roles[${index}].name`, `role ${role.arn} is defined twice`);
    seen.add(role.arn);
  }
  return roles;
}

function defaultRole(accountId: string): RoleConfig {
  return {
    name: DEFAULT_ROLE_NAME,
    arn: `arn:aws:iam::${accountId}:role/${DEFAULT_ROLE_NAME}`,
    trust: { audience: [DEFAULT_AUDIENCE], subjects: ['repo:*'] },
    actions: [...DEFAULT_ROLE_ACTIONS],
    // The emulator's own role allows any DurationSeconds so every duration can be tried against it.
    maxSessionDuration: 43200
  };
}

function readRole(at: FieldReader, value: unknown, field: string, accountId: string): RoleConfig {
  const role = at.object(value, field);
  at.only(role, field, ['name', 'arn', 'trust', 'actions', 'maxSessionDuration']);
  const name = at.matching(
    role.name,
    `${field}.name`,
    ROLE_NAME,
    '1-64 characters of letters, digits and +=,.@_-'
  );
  if (name === undefined) throw at.error(`${field}.name`, 'is required');
  const arn = at.matching(role.arn, `${field}.arn`, ROLE_ARN, 'arn:aws:iam::<12 digits>:role/<name>');
  if (arn !== undefined && ROLE_ARN.exec(arn)?.[1] !== accountId) {
    throw at.error(`${field}.arn`, `"${arn}" belongs to another account than accountId ${accountId}`);
  }
  if (arn !== undefined && ROLE_ARN.exec(arn)?.[2] !== name) {
    throw at.error(`${field}.arn`, `"${arn}" does not end in the role name "${name}"`);
  }
  const trust = at.object(role.trust, `${field}.trust`);
  at.only(trust, `${field}.trust`, ['subjects', 'audience']);
  const subjects = at.strings(
    trust.subjects,
    `${field}.trust.subjects`,
    'StringLike patterns such as "repo:org/*"'
  );
  const audience =
    trust.audience === undefined
      ? [DEFAULT_AUDIENCE]
      : at.strings(trust.audience, `${field}.trust.audience`, 'audiences such as "sts.amazonaws.com"');
  const actions = at.strings(
    role.actions,
    `${field}.actions`,
    'IAM actions such as "codeartifact:ReadFromRepository"'
  );
  for (const [index, action] of actions.entries()) {
    if (!ACTION.test(action)) {
      throw at.error(
        `${field}.actions[${index}]`,
        `"${action}" is not "service:Action" (wildcards * and ? allowed) or "*"`
      );
    }
  }
  const maxSessionDuration = role.maxSessionDuration ?? 3600;
  if (
    !Number.isInteger(maxSessionDuration) ||
    Number(maxSessionDuration) < 3600 ||
    Number(maxSessionDuration) > 43200
  ) {
    throw at.error(`${field}.maxSessionDuration`, 'must be a whole number of seconds from 3600 to 43200');
  }
  return {
    name,
    arn: arn ?? `arn:aws:iam::${accountId}:role/${name}`,
    trust: { audience, subjects },
    actions,
    maxSessionDuration: Number(maxSessionDuration)
  };
}

function readDomains(at: FieldReader, value: unknown): DomainConfig[] {
  if (value === undefined) return [];
  const domains = at.array(value, 'domains').map((item, index) => {
    const field = `domains[${index}]`;
    const domain = at.object(item, field);
    at.only(domain, field, ['name', 'repositories']);
    const name = at.named(domain.name, `${field}.name`, DOMAIN);
    if (name === undefined) throw at.error(`${field}.name`, 'is required');
    const repositories =
      domain.repositories === undefined ? [] : at.array(domain.repositories, `${field}.repositories`);
    return {
      name,
      repositories: repositories.map((repo, r) => readRepository(at, repo, `${field}.repositories[${r}]`))
    };
  });
  at.unique(
    domains.map((domain) => domain.name),
    'domains',
    'domain'
  );
  for (const [index, domain] of domains.entries()) checkUpstreams(at, domain, `domains[${index}]`);
  return domains;
}

function readRepository(at: FieldReader, value: unknown, field: string): RepositoryConfig {
  const repo = at.object(value, field);
  at.only(repo, field, ['name', 'description', 'upstreams', 'externalConnections']);
  const name = at.named(repo.name, `${field}.name`, REPOSITORY);
  if (name === undefined) throw at.error(`${field}.name`, 'is required');
  const description =
    repo.description === undefined ? undefined : at.string(repo.description, `${field}.description`);
  const upstreams =
    repo.upstreams === undefined
      ? []
      : at.strings(repo.upstreams, `${field}.upstreams`, 'repository names', true);
  const externalConnections =
    repo.externalConnections === undefined
      ? []
      : at.strings(
          repo.externalConnections,
          `${field}.externalConnections`,
          'names such as "public:pypi"',
          true
        );
  for (const [index, connection] of externalConnections.entries()) {
    if (!/^public:[a-z0-9-]+$/.test(connection)) {
      throw at.error(
        `${field}.externalConnections[${index}]`,
        `"${connection}" is not a name such as "public:pypi"`
      );
    }
  }
  return { name, description, upstreams, externalConnections };
}

function checkUpstreams(at: FieldReader, domain: DomainConfig, field: string): void {
  const names = domain.repositories.map((repo) => repo.name);
  at.unique(names, `${field}.repositories`, 'repository');
  for (const [index, repo] of domain.repositories.entries()) {
    for (const upstream of repo.upstreams) {
      if (!names.includes(upstream) || upstream === repo.name) {
        throw at.error(
          `${field}.repositories[${index}].upstreams`,
          `"${upstream}" is not another repository of domain ${domain.name}`
        );
      }
    }
  }
}

function readExternalConnections(at: FieldReader, value: unknown, baseDir: string): Record<string, string> {
  if (value === undefined) return {};
  const connections = at.object(value, 'externalConnections');
  const folders: Record<string, string> = {};
  for (const [name, folder] of Object.entries(connections)) {
    if (!/^public:[a-z0-9-]+$/.test(name)) {
      throw at.error(`externalConnections`, `"${name}" is not a connection name such as "public:pypi"`);
    }
    folders[name] = resolve(baseDir, at.string(folder, `externalConnections["${name}"]`));
  }
  return folders;
}

/** Reads fields of untrusted JSON, throwing ConfigError naming the field and the allowed form. */
class FieldReader {
  constructor(private readonly source: string) {}

  error(field: string, problem: string): ConfigError {
    return new ConfigError(`${this.source}: ${field || 'the configuration'} ${problem}`);
  }

  object(value: unknown, field: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw this.error(field, 'must be a JSON object');
    }
    return value as Record<string, unknown>;
  }

  only(value: Record<string, unknown>, field: string, allowed: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        throw this.error(
          field ? `${field}.${key}` : key,
          `is not a known field (known: ${allowed.join(', ')})`
        );
      }
    }
  }

  array(value: unknown, field: string): unknown[] {
    if (!Array.isArray(value)) throw this.error(field, 'must be a JSON array');
    return value;
  }

  string(value: unknown, field: string): string {
    if (typeof value !== 'string') throw this.error(field, 'must be a string');
    return value;
  }

  strings(value: unknown, field: string, form: string, allowEmpty = false): string[] {
    const items = this.array(value, field);
    if (!allowEmpty && items.length === 0) throw this.error(field, `must list at least one of ${form}`);
    return items.map((item, index) => {
      if (typeof item !== 'string' || item === '')
        throw this.error(`${field}[${index}]`, `must be one of ${form}`);
      return item;
    });
  }

  matching(value: unknown, field: string, pattern: RegExp, form: string): string | undefined {
    if (value === undefined) return undefined;
    const text = this.string(value, field);
    if (!pattern.test(text)) throw this.error(field, `"${text}" is not ${form}`);
    return text;
  }

  named(value: unknown, field: string, rule: Parameters<typeof checkName>[0]): string | undefined {
    if (value === undefined) return undefined;
    const problem = checkName(rule, this.string(value, field));
    if (problem) throw this.error(field, problem);
    return value as string;
  }

  unique(names: string[], field: string, what: string): void {
    const duplicate = names.find((name, index) => names.indexOf(name) !== index);
    if (duplicate !== undefined) throw this.error(field, `name the ${what} "${duplicate}" twice`);
  }
}

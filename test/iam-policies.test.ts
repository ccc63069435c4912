/**
 * The documented IAM policies (docs/iam) are enough for the actions they are written for, and
 * every action they grant is needed: the emulator's roles get exactly the policy's actions and the
 * trust policy's conditions, the actions run through the runner, then one action is taken away.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { parseConfig, startEmulator, type RunningEmulator } from '@codeartifact-actions/emulator';
import { runJob, type JobResult, type StepSpec } from '@codeartifact-actions/runner';

const MAKE_DISTS = join(process.cwd(), 'test', 'fixtures', 'formats', 'make_dists.py');
const POLICY_DIR = join(process.cwd(), 'docs', 'iam');
const DOMAIN = 'acme';
const REPOSITORY = 'releases';
const CALLER = { ORG: 'acme', REPO: 'app', ENVIRONMENT: 'release' };
const GITHUB_SUB_KEY = 'token.actions.githubusercontent.com:sub';
const GITHUB_AUD_KEY = 'token.actions.githubusercontent.com:aud';

type ConditionBlock = Record<string, Record<string, string | string[]>>;
interface Statement {
  Effect: 'Allow' | 'Deny';
  Principal?: string | Record<string, string | string[]>;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: ConditionBlock;
}
interface PolicyDocument {
  Statement: Statement[];
}

function readPolicy(file: string): PolicyDocument {
  return JSON.parse(readFileSync(join(POLICY_DIR, file), 'utf8')) as PolicyDocument;
}

function asList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The actions a policy allows, as the emulator's role `actions` list. */
function allowedActions(file: string): string[] {
  const actions = readPolicy(file)
    .Statement.filter((s) => s.Effect === 'Allow')
    .flatMap((s) => asList(s.Action));
  return [...new Set(actions)].sort();
}

function fillPlaceholders(pattern: string): string {
  return pattern.replace(/\b(ORG|REPO|ENVIRONMENT)\b/g, (name) => CALLER[name as keyof typeof CALLER]);
}

/** A trust policy's sub and aud conditions as the emulator's role `trust` (StringEquals is a pattern without wildcards). */
function trustFrom(file: string): { subjects: string[]; audience: string[] } {
  const conditions = readPolicy(file).Statement.map((s) => s.Condition ?? {});
  const values = (key: string) =>
    conditions.flatMap((block) =>
      ['StringEquals', 'StringLike'].flatMap((operator) => asList(block[operator]?.[key]))
    );
  return { subjects: values(GITHUB_SUB_KEY).map(fillPlaceholders), audience: values(GITHUB_AUD_KEY) };
}

function without(actions: string[], removed: string): string[] {
  expect(actions).toContain(removed);
  return actions.filter((action) => action !== removed);
}

const READ_ONLY = allowedActions('read-only.json');
const PUBLISH_GENERIC = allowedActions('publish-generic.json');
const DOWNLOAD_GENERIC = allowedActions('download-generic.json');
const PUBLISH_PYTHON = allowedActions('publish-python.json');
const PUBLISH_NPM = allowedActions('publish-npm.json');
const PUBLISH_MAVEN = allowedActions('publish-maven.json');
// The machine's Maven cache stands in for Maven Central behind the repository's upstream.
const MAVEN_CACHE = join(homedir(), '.m2', 'repository');
const TAG_TRUST = trustFrom('trust-tags.json');

const ROLES = {
  reader: { trust: TAG_TRUST, actions: READ_ONLY },
  readerWithoutToken: { trust: TAG_TRUST, actions: without(READ_ONLY, 'codeartifact:GetAuthorizationToken') },
  readerWithoutBearer: { trust: TAG_TRUST, actions: without(READ_ONLY, 'sts:GetServiceBearerToken') },
  readerWithoutEndpoint: {
    trust: TAG_TRUST,
    actions: without(READ_ONLY, 'codeartifact:GetRepositoryEndpoint')
  },
  readerWithoutRead: { trust: TAG_TRUST, actions: without(READ_ONLY, 'codeartifact:ReadFromRepository') },
  genericPublisher: { trust: TAG_TRUST, actions: PUBLISH_GENERIC },
  genericPublisherWithoutPublish: {
    trust: TAG_TRUST,
    actions: without(PUBLISH_GENERIC, 'codeartifact:PublishPackageVersion')
  },
  genericPublisherWithoutDescribe: {
    trust: TAG_TRUST,
    actions: without(PUBLISH_GENERIC, 'codeartifact:DescribePackageVersion')
  },
  genericDownloader: { trust: TAG_TRUST, actions: DOWNLOAD_GENERIC },
  genericDownloaderWithoutAssets: {
    trust: TAG_TRUST,
    actions: without(DOWNLOAD_GENERIC, 'codeartifact:ListPackageVersionAssets')
  },
  pythonPublisher: { trust: TAG_TRUST, actions: PUBLISH_PYTHON },
  pythonPublisherWithoutPublish: {
    trust: TAG_TRUST,
    actions: without(PUBLISH_PYTHON, 'codeartifact:PublishPackageVersion')
  },
  pythonPublisherWithoutRead: {
    trust: TAG_TRUST,
    actions: without(PUBLISH_PYTHON, 'codeartifact:ReadFromRepository')
  },
  npmPublisher: { trust: TAG_TRUST, actions: PUBLISH_NPM },
  npmPublisherWithoutPublish: {
    trust: TAG_TRUST,
    actions: without(PUBLISH_NPM, 'codeartifact:PublishPackageVersion')
  },
  npmPublisherWithoutToken: {
    trust: TAG_TRUST,
    actions: without(PUBLISH_NPM, 'codeartifact:GetAuthorizationToken')
  },
  mavenPublisher: { trust: TAG_TRUST, actions: PUBLISH_MAVEN },
  mavenPublisherWithoutDescribe: {
    trust: TAG_TRUST,
    actions: without(PUBLISH_MAVEN, 'codeartifact:DescribePackageVersion')
  },
  mavenPublisherWithoutPublish: {
    trust: TAG_TRUST,
    actions: without(PUBLISH_MAVEN, 'codeartifact:PublishPackageVersion')
  },
  environmentReader: { trust: trustFrom('trust-environment.json'), actions: READ_ONLY }
};
type RoleKey = keyof typeof ROLES;

let emulator: RunningEmulator;
let mirrorRoot: string;
const roleArns = {} as Record<RoleKey, string>;
const finished: JobResult[] = [];
const scratch: string[] = [];

beforeAll(async () => {
  mirrorRoot = mkdtempSync(join(tmpdir(), 'iam-pypi-'));
  const config = parseConfig(
    {
      oidc: { claims: { repository: `${CALLER.ORG}/${CALLER.REPO}`, ref: 'refs/tags/v1.2.3' } },
      roles: Object.entries(ROLES).map(([name, role]) => ({ name, ...role })),
      domains: [
        {
          name: DOMAIN,
          repositories: [
            { name: REPOSITORY, upstreams: ['pypi-store', 'maven-store'] },
            { name: 'pypi-store', externalConnections: ['public:pypi'] },
            { name: 'maven-store', externalConnections: ['public:maven-central'] }
          ]
        }
      ],
      externalConnections: { 'public:pypi': 'pypi-mirror', 'public:maven-central': MAVEN_CACHE }
    },
    'iam-policies',
    mirrorRoot
  );
  execFileSync('python3', [MAKE_DISTS, join(mirrorRoot, 'pypi-mirror'), 'greeter', '1.0.0']);
  emulator = await startEmulator({ config });
  Object.keys(ROLES).forEach((key, index) => {
    roleArns[key as RoleKey] = emulator.info.roles[index];
  });
});

afterAll(async () => {
  await emulator?.close();
  rmSync(mirrorRoot, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(finished.splice(0).map((result) => result.cleanup()));
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A job of a tag push in acme/app whose only AWS credentials come from GitHub OIDC. */
async function oidcJob(steps: StepSpec[], workspace?: string, home?: string): Promise<JobResult> {
  const result = await runJob(
    {
      steps,
      workspace,
      home,
      permissions: { 'id-token': 'write', contents: 'read' },
      oidc: emulator.info.oidc,
      github: { repository: `${CALLER.ORG}/${CALLER.REPO}`, ref: 'refs/tags/v1.2.3' },
      env: { AWS_ENDPOINT_URL: emulator.info.endpoint, AWS_REGION: emulator.info.region }
    },
    { repoRoot: process.cwd() }
  );
  finished.push(result);
  return result;
}

function workspaceWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'iam-ws-'));
  scratch.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** setup-codeartifact for pip, then a pip install through the repository (its PyPI upstream serves the wheel). */
function readerSteps(role: RoleKey): StepSpec[] {
  return [
    {
      id: 'setup',
      uses: 'actions/setup-codeartifact',
      with: { 'role-to-assume': roleArns[role], domain: DOMAIN, repository: REPOSITORY, tools: 'pip' }
    },
    {
      id: 'install',
      run: [
        // pip hides why an index refused it; the same request with curl shows the answer.
        'curl -sS -o index.txt -w "index-status=%{http_code}\\n" -H "Authorization: Bearer $TOKEN" "${ENDPOINT}simple/greeter/"',
        'grep -v "<" index.txt || true',
        'python3 -m pip install --no-cache-dir --no-input --disable-pip-version-check --target site greeter'
      ].join('\n'),
      // Only the repository may answer: not the machine's pip configuration or wheel folders.
      env: {
        PIP_CONFIG_FILE: '/dev/null',
        PIP_FIND_LINKS: '',
        TOKEN: '${{ steps.setup.outputs.token }}',
        ENDPOINT: '${{ steps.setup.outputs.pypi-endpoint }}'
      }
    }
  ];
}

function publishStep(role: RoleKey, version: string): StepSpec {
  return {
    id: 'publish',
    uses: 'actions/publish-generic',
    with: {
      'role-to-assume': roleArns[role],
      domain: DOMAIN,
      repository: REPOSITORY,
      namespace: 'tools',
      package: 'notes',
      version,
      path: 'notes.txt'
    }
  };
}

function downloadStep(role: RoleKey, version: string): StepSpec {
  return {
    id: 'download',
    uses: 'actions/download-generic',
    with: {
      'role-to-assume': roleArns[role],
      domain: DOMAIN,
      repository: REPOSITORY,
      namespace: 'tools',
      package: 'notes',
      version,
      path: 'out',
      extract: 'true'
    }
  };
}

/** A minimal setuptools project at version 1.2.3, the tag the jobs run for. */
function pythonProject(): string {
  const ws = workspaceWith({
    'pyproject.toml': [
      '[build-system]',
      'requires = ["setuptools>=61"]',
      'build-backend = "setuptools.build_meta"',
      '',
      '[project]',
      'name = "iam-demo"',
      'version = "1.2.3"',
      'description = "A project the IAM policy tests publish"',
      'readme = "README.md"',
      '',
      '[tool.setuptools]',
      'packages = ["iam_demo"]',
      ''
    ].join('\n'),
    'README.md': '# iam-demo\n\nPublished by the IAM policy tests.\n'
  });
  mkdirSync(join(ws, 'iam_demo'));
  writeFileSync(join(ws, 'iam_demo', '__init__.py'), 'GREETING = "hello"\n');
  return ws;
}

function publishPythonStep(role: RoleKey): StepSpec {
  return {
    id: 'publish',
    uses: 'actions/publish-python',
    with: {
      'role-to-assume': roleArns[role],
      domain: DOMAIN,
      repository: REPOSITORY,
      python: '/usr/bin/python3'
    }
  };
}

/** An npm package at version 1.2.3, the tag the jobs run for. */
function npmPackage(name: string): string {
  return workspaceWith({
    'package.json': `${JSON.stringify({ name, version: '1.2.3', main: 'index.js' }, null, 2)}\n`,
    'index.js': 'module.exports = "hello";\n'
  });
}

function publishNpmStep(role: RoleKey): StepSpec {
  return {
    id: 'publish',
    uses: 'actions/publish-npm',
    with: { 'role-to-assume': roleArns[role], domain: DOMAIN, repository: REPOSITORY }
  };
}

/** setup-codeartifact for Maven (its mirror brings the deploy plugin through the repository), then deploy-file of a jar. */
function mavenSteps(role: RoleKey, ws: string, artifactId = 'tool'): StepSpec[] {
  const auth = { 'role-to-assume': roleArns[role], domain: DOMAIN, repository: REPOSITORY };
  return [
    { id: 'setup', uses: 'actions/setup-codeartifact', with: { ...auth, tools: 'maven' } },
    {
      id: 'publish',
      uses: 'actions/publish-maven',
      with: {
        ...auth,
        file: 'tool.jar',
        'group-id': 'com.acme.iam',
        'artifact-id': artifactId,
        version: '1.2.3',
        'maven-args': `-Dmaven.repo.local=${join(ws, 'm2')}`
      }
    }
  ];
}

function jarWorkspace(): string {
  const ws = workspaceWith({ 'tool.txt': 'a prebuilt tool\n' });
  execFileSync('jar', ['cf', 'tool.jar', 'tool.txt'], { cwd: ws });
  return ws;
}

function errorsOf(result: JobResult): string {
  return result.annotations
    .filter((a) => a.level === 'error')
    .map((a) => a.message)
    .join('\n');
}

describe('read-only policy with setup-codeartifact', () => {
  it('is enough to get a token, the endpoint, and pip install through the repository', async () => {
    const ws = workspaceWith({});
    const result = await oidcJob(readerSteps('reader'), ws);
    expect(errorsOf(result)).toBe('');
    expect(result.log).toContain('index-status=200');
    expect(readFileSync(join(ws, 'site', 'greeter', '__init__.py'), 'utf8')).toContain("VERSION = '1.0.0'");
  });

  it.each([
    ['readerWithoutToken', 'codeartifact:GetAuthorizationToken'],
    ['readerWithoutBearer', 'sts:GetServiceBearerToken'],
    ['readerWithoutEndpoint', 'codeartifact:GetRepositoryEndpoint']
  ] as const)('%s: setup fails naming %s', async (role, action) => {
    const result = await oidcJob(readerSteps(role));
    expect(result.conclusion).toBe('failure');
    expect(result.log).toContain(action);
  });

  it('without ReadFromRepository pip is refused by the repository', async () => {
    const result = await oidcJob(readerSteps('readerWithoutRead'), workspaceWith({}));
    expect(result.conclusion).toBe('failure');
    expect(result.log).toContain('index-status=403');
    expect(result.log).toContain('codeartifact:ReadFromRepository');
    expect(result.log).toContain('No matching distribution found for greeter');
  });
});

describe('generic publish and download policies', () => {
  it('publish-generic publishes with the publish policy and download-generic reads it back with its own', async () => {
    const ws = workspaceWith({ 'notes.txt': 'release notes' });
    const result = await oidcJob(
      [publishStep('genericPublisher', '1.0.0'), downloadStep('genericDownloader', '1.0.0')],
      ws
    );
    expect(errorsOf(result)).toBe('');
    expect(readFileSync(join(ws, 'out', 'notes.txt'), 'utf8')).toBe('release notes');
  });

  it.each([
    ['genericPublisherWithoutPublish', 'codeartifact:PublishPackageVersion'],
    ['genericPublisherWithoutDescribe', 'codeartifact:DescribePackageVersion']
  ] as const)('%s: publish-generic fails naming %s', async (role, action) => {
    const ws = workspaceWith({ 'notes.txt': 'more notes' });
    const result = await oidcJob([publishStep(role, '2.0.0')], ws);
    expect(result.conclusion).toBe('failure');
    expect(errorsOf(result)).toContain(action);
  });

  it('download-generic without ListPackageVersionAssets fails naming it', async () => {
    const ws = workspaceWith({ 'notes.txt': 'notes to fetch' });
    const published = await oidcJob([publishStep('genericPublisher', '3.0.0')], ws);
    expect(errorsOf(published)).toBe('');
    const result = await oidcJob([downloadStep('genericDownloaderWithoutAssets', '3.0.0')], ws);
    expect(result.conclusion).toBe('failure');
    expect(errorsOf(result)).toContain('codeartifact:ListPackageVersionAssets');
  });
});

describe('python publish policy with publish-python', () => {
  it('is enough to build and publish, and a role without publishing fails naming the action', async () => {
    const denied = await oidcJob([publishPythonStep('pythonPublisherWithoutPublish')], pythonProject());
    expect(denied.conclusion).toBe('failure');
    expect(denied.log).toContain('codeartifact:PublishPackageVersion');

    const result = await oidcJob([publishPythonStep('pythonPublisher')], pythonProject());
    expect(errorsOf(result)).toBe('');
    const store = emulator.repository(DOMAIN, REPOSITORY);
    const versions = await store!.listVersions({ format: 'pypi', package: 'iam-demo' });
    expect(versions.map((v) => [v.version, v.status, v.originType])).toEqual([
      ['1.2.3', 'Published', 'INTERNAL']
    ]);
  });

  it('without ReadFromRepository the publish fails naming it', async () => {
    const result = await oidcJob([publishPythonStep('pythonPublisherWithoutRead')], pythonProject());
    expect(result.conclusion).toBe('failure');
    expect(result.log).toContain('codeartifact:ReadFromRepository');
  });
});

describe('npm publish policy with publish-npm', () => {
  it('is enough to publish with the action alone', async () => {
    const result = await oidcJob([publishNpmStep('npmPublisher')], npmPackage('iam-widget'));
    expect(errorsOf(result)).toBe('');
    const versions = await emulator
      .repository(DOMAIN, REPOSITORY)!
      .listVersions({ format: 'npm', package: 'iam-widget' });
    expect(versions.map((v) => [v.version, v.status])).toEqual([['1.2.3', 'Published']]);
  });

  it.each([
    ['npmPublisherWithoutPublish', 'codeartifact:PublishPackageVersion'],
    ['npmPublisherWithoutToken', 'codeartifact:GetAuthorizationToken']
  ] as const)('%s: publish-npm fails naming %s', async (role, action) => {
    const result = await oidcJob([publishNpmStep(role)], npmPackage(`iam-denied-${role.toLowerCase()}`));
    expect(result.conclusion).toBe('failure');
    expect(result.log).toContain(action);
  });
});

describe('maven publish policy with publish-maven', () => {
  it('is enough to deploy a jar, its plugins coming through the repository', async () => {
    const ws = jarWorkspace();
    const result = await oidcJob(mavenSteps('mavenPublisher', ws), ws, workspaceWith({}));
    expect(errorsOf(result)).toBe('');
    const versions = await emulator.repository(DOMAIN, REPOSITORY)!.listVersions({
      format: 'maven',
      namespace: 'com.acme.iam',
      package: 'tool'
    });
    expect(versions.map((v) => [v.version, v.status])).toEqual([['1.2.3', 'Published']]);
  }, 120_000);

  it.each([
    ['mavenPublisherWithoutDescribe', 'codeartifact:DescribePackageVersion'],
    ['mavenPublisherWithoutPublish', 'codeartifact:PublishPackageVersion']
  ] as const)(
    '%s: publish-maven fails naming %s',
    async (role, action) => {
      const ws = jarWorkspace();
      // An artifact of its own: a version already Published would be skipped before any upload.
      const result = await oidcJob(mavenSteps(role, ws, role.toLowerCase()), ws, workspaceWith({}));
      expect(result.conclusion).toBe('failure');
      expect(result.log).toContain(action);
    },
    120_000
  );
});

describe('trust policies', () => {
  async function assumeWith(role: RoleKey, claims: Record<string, string>): Promise<string> {
    const token = await emulator.issueOidcToken({ aud: 'sts.amazonaws.com', ...claims });
    const sts = new STSClient({
      endpoint: emulator.info.endpoint,
      region: emulator.info.region,
      maxAttempts: 1
    });
    try {
      const answer = await sts.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: roleArns[role],
          RoleSessionName: 'trust-check',
          WebIdentityToken: token
        })
      );
      return answer.AssumedRoleUser?.Arn ?? '';
    } finally {
      sts.destroy();
    }
  }

  const refused = { name: expect.stringMatching(/^(AccessDenied|InvalidIdentityToken)/) };

  it('the tag trust accepts a v* tag of the repository only', async () => {
    await expect(
      assumeWith('reader', { repository: 'acme/app', ref: 'refs/tags/v2.0.0' })
    ).resolves.toContain(':assumed-role/reader/');
    await expect(
      assumeWith('reader', { repository: 'acme/other', ref: 'refs/tags/v2.0.0' })
    ).rejects.toMatchObject(refused);
    await expect(
      assumeWith('reader', { repository: 'acme/app', ref: 'refs/heads/main' })
    ).rejects.toMatchObject(refused);
    await expect(
      assumeWith('reader', { repository: 'acme/app', ref: 'refs/tags/2.0.0' })
    ).rejects.toMatchObject(refused);
  });

  it('the tag trust refuses another audience', async () => {
    await expect(
      assumeWith('reader', { repository: 'acme/app', ref: 'refs/tags/v2.0.0', aud: 'api://other' })
    ).rejects.toMatchObject(refused);
  });

  it('the environment trust accepts jobs of that environment only', async () => {
    const inEnvironment = { repository: 'acme/app', ref: 'refs/heads/main', environment: 'release' };
    await expect(assumeWith('environmentReader', inEnvironment)).resolves.toContain(':assumed-role/');
    await expect(
      assumeWith('environmentReader', { ...inEnvironment, environment: 'staging' })
    ).rejects.toMatchObject(refused);
    await expect(
      assumeWith('environmentReader', { ...inEnvironment, repository: 'acme/other' })
    ).rejects.toMatchObject(refused);
    // A tag push outside the environment is not enough either.
    await expect(
      assumeWith('environmentReader', { repository: 'acme/app', ref: 'refs/tags/v2.0.0' })
    ).rejects.toMatchObject(refused);
  });

  it('no documented trust policy trusts every repository', () => {
    for (const file of ['trust-tags.json', 'trust-environment.json']) {
      const { subjects, audience } = trustFrom(file);
      expect(audience).toEqual(['sts.amazonaws.com']);
      expect(subjects.length).toBeGreaterThan(0);
      for (const subject of subjects)
        expect(subject).toMatch(/^repo:acme\/app:(ref:refs\/tags\/v\*|environment:release)$/);
    }
  });
});

describe('resource scoping the emulator does not check', () => {
  const ARN_FORMS = [
    /^arn:aws:codeartifact:REGION:ACCOUNT_ID:domain\/DOMAIN$/,
    /^arn:aws:codeartifact:REGION:ACCOUNT_ID:repository\/DOMAIN\/REPOSITORY$/,
    /^arn:aws:codeartifact:REGION:ACCOUNT_ID:package\/DOMAIN\/REPOSITORY\/(pypi|npm|maven|generic)\/[A-Z_*]+(\/\*)?$/
  ];
  const IDENTITY_POLICIES = [
    'read-only.json',
    'download-generic.json',
    'publish-python.json',
    'publish-maven.json',
    'publish-npm.json',
    'publish-generic.json'
  ];

  it.each(IDENTITY_POLICIES)(
    '%s scopes CodeArtifact actions to documented ARN forms, and bearer tokens to CodeArtifact',
    (file) => {
      for (const statement of readPolicy(file).Statement) {
        const actions = asList(statement.Action);
        const resources = asList(statement.Resource);
        if (actions.includes('sts:GetServiceBearerToken')) {
          expect(actions).toEqual(['sts:GetServiceBearerToken']);
          expect(statement.Condition).toEqual({
            StringEquals: { 'sts:AWSServiceName': 'codeartifact.amazonaws.com' }
          });
          continue;
        }
        expect(actions.every((action) => /^codeartifact:[A-Za-z]+$/.test(action))).toBe(true);
        expect(resources.length).toBeGreaterThan(0);
        for (const resource of resources) expect(ARN_FORMS.some((form) => form.test(resource))).toBe(true);
      }
    }
  );

  it.each(['domain-policy.json', 'repository-policy.json'])(
    '%s opens to the organization only, and publishing to the owning account only',
    (file) => {
      for (const statement of readPolicy(file).Statement) {
        const publishes = asList(statement.Action).some((action) =>
          /PublishPackageVersion|PutPackageMetadata|UpdatePackageVersionsStatus/.test(action)
        );
        if (statement.Principal === '*') {
          expect(statement.Condition).toEqual({ StringEquals: { 'aws:PrincipalOrgID': 'ORG_ID' } });
          expect(publishes).toBe(false);
        } else {
          expect(statement.Principal).toEqual({ AWS: 'arn:aws:iam::ACCOUNT_ID:root' });
        }
      }
    }
  );
});

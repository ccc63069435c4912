/**
 * publish-npm end to end: the bundled action runs through the local runner after
 * setup-codeartifact, with the real npm, against the local CodeArtifact.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, startEmulator, type RunningEmulator } from '@codeartifact-actions/emulator';
import { runAction, runJob, type JobResult, type StepSpec } from '@codeartifact-actions/runner';

const ACTION = 'actions/publish-npm';

// A role that may read and look versions up but not publish.
const READER_ACTIONS = [
  'sts:GetServiceBearerToken',
  'codeartifact:GetAuthorizationToken',
  'codeartifact:GetRepositoryEndpoint',
  'codeartifact:ReadFromRepository',
  'codeartifact:DescribePackageVersion'
];

let emulator: RunningEmulator;
let scratch: string;
const finished: JobResult[] = [];

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'npm-publish-'));
  const config = parseConfig(
    {
      roles: [
        {
          name: 'ci',
          trust: { subjects: ['repo:*'] },
          actions: ['sts:GetServiceBearerToken', 'codeartifact:*']
        },
        { name: 'reader', trust: { subjects: ['repo:*'] }, actions: READER_ACTIONS }
      ],
      domains: [{ name: 'acme', repositories: [{ name: 'store' }] }]
    },
    'npm-publish'
  );
  emulator = await startEmulator({ config });
});

afterAll(async () => {
  await emulator?.close();
  await rm(scratch, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(finished.splice(0).map((result) => result.cleanup()));
  emulator.clearRequestLog();
});

/** A workspace holding one package: package.json plus index.js. */
async function workspaceWith(
  name: string,
  manifest: Record<string, unknown>,
  code = 'module.exports = "v1";\n'
) {
  const workspace = join(scratch, name);
  await mkdir(workspace, { recursive: true });
  await writeFile(
    join(workspace, 'package.json'),
    `${JSON.stringify({ main: 'index.js', ...manifest }, null, 2)}\n`
  );
  await writeFile(join(workspace, 'index.js'), code);
  return workspace;
}

async function job(
  workspace: string,
  ref: string,
  inputs: Record<string, string> = {},
  after: StepSpec[] = [],
  role = 0
) {
  const result = await runJob(
    {
      permissions: { 'id-token': 'write' },
      oidc: { requestUrl: emulator.info.oidc.requestUrl, requestToken: emulator.info.oidc.requestToken },
      env: { AWS_ENDPOINT_URL: emulator.info.endpoint, AWS_REGION: emulator.info.region },
      github: { repository: 'acme/widgets', ref },
      workspace,
      steps: [
        {
          id: 'setup',
          uses: 'actions/setup-codeartifact',
          with: {
            'role-to-assume': emulator.info.roles[role],
            domain: 'acme',
            repository: 'store',
            tools: 'npm',
            'npm-scopes': '@acme'
          }
        },
        { id: 'publish', uses: ACTION, with: inputs },
        ...after
      ]
    },
    { repoRoot: process.cwd() }
  );
  finished.push(result);
  return result;
}

function step(result: JobResult, id: string) {
  const found = result.steps.find((s) => s.id === id && s.phase === 'main');
  if (!found) throw new Error(`no step ${id}`);
  return found;
}

function requests(name: string) {
  return emulator.requestLog().filter((entry) => entry.operation === name);
}

describe('publish-npm end to end', () => {
  it('publishes a scoped package on tag v1.0.0 that another project then npm installs', async () => {
    const workspace = await workspaceWith('widgets', { name: '@acme/widgets', version: '1.0.0' });
    const install: StepSpec = {
      id: 'install',
      run: [
        'mkdir -p "$RUNNER_TEMP/consumer" && cd "$RUNNER_TEMP/consumer"',
        'npm init -y >/dev/null',
        'npm install --no-audit --no-fund @acme/widgets@1.0.0',
        "node -e \"console.log('installed=' + require('@acme/widgets'))\""
      ].join('\n')
    };
    const result = await job(workspace, 'refs/tags/v1.0.0', {}, [install]);
    expect(result.conclusion).toBe('success');
    const outputs = step(result, 'publish').outputs;
    expect(outputs).toMatchObject({ name: '@acme/widgets', version: '1.0.0', status: 'published' });
    expect(outputs.integrity).toMatch(/^sha512-[A-Za-z0-9+/]+={0,2}$/);
    expect(outputs.tarball).toContain('/npm/store/@acme/widgets/-/widgets-1.0.0.tgz');
    expect(step(result, 'install').log).toContain('installed=v1');
    expect(result.summary).toContain('@acme/widgets');
    const token = result.env.CODEARTIFACT_AUTH_TOKEN;
    expect(result.argv.flat().join(' ')).not.toContain(token);
    expect(result.log).not.toContain(token);
    // The settings file with the token reference lived under RUNNER_TEMP for the step only.
    expect((await readdir(result.runnerTemp)).filter((name) => name.startsWith('publish-npm-'))).toEqual([]);
  });

  it('skips an identical re-run, and fails clearly when the same version has other contents', async () => {
    const workspace = await workspaceWith('widgets', { name: '@acme/widgets', version: '1.0.0' });
    const again = await job(workspace, 'refs/tags/v1.0.0');
    expect(again.conclusion).toBe('success');
    expect(step(again, 'publish').outputs.status).toBe('skipped');
    expect(step(again, 'publish').log).toContain('with the same contents: skipped');

    await writeFile(join(workspace, 'index.js'), 'module.exports = "v2";\n');
    const changed = await job(workspace, 'refs/tags/v1.0.0');
    expect(changed.conclusion).toBe('failure');
    expect(step(changed, 'publish').log).toMatch(
      /@acme\/widgets@1\.0\.0 is already in the repository with different contents .*An npm version cannot be replaced/
    );
  });

  it('publishes under a dist-tag other than latest', async () => {
    const workspace = await workspaceWith('widgets-next', { name: '@acme/widgets', version: '1.1.0-beta.1' });
    const result = await job(workspace, 'refs/heads/main', { tag: 'next' });
    expect(result.conclusion).toBe('success');
    const endpoint = step(result, 'setup').outputs['npm-endpoint'];
    const answer = await fetch(`${endpoint}@acme%2fwidgets`, {
      headers: { authorization: `Bearer ${result.env.CODEARTIFACT_AUTH_TOKEN}` }
    });
    const packument = (await answer.json()) as { 'dist-tags': Record<string, string> };
    expect(packument['dist-tags']).toMatchObject({ latest: '1.0.0', next: '1.1.0-beta.1' });
  });
});

describe('publish-npm with the project pointing npm elsewhere', () => {
  // Port 9 (discard) answers nothing: a request that goes there fails the publish.
  const elsewhere = 'http://127.0.0.1:9/';

  it('publishes to the repository despite a project .npmrc and publishConfig.registry, and says so', async () => {
    const scoped = await workspaceWith('scoped-elsewhere', {
      name: '@acme/elsewhere',
      version: '1.0.0',
      publishConfig: { registry: elsewhere }
    });
    await writeFile(join(scoped, '.npmrc'), `@acme:registry=${elsewhere}\n`);
    const first = await job(scoped, 'refs/tags/v1.0.0');
    expect(first.conclusion).toBe('success');
    expect(step(first, 'publish').outputs.status).toBe('published');
    expect(step(first, 'publish').log).toContain(
      `package.json sets publishConfig.registry to ${elsewhere}; this step publishes to repository "store" instead.`
    );
    // setup-codeartifact, configuring npm for installs, warns about the same line.
    expect(step(first, 'setup').log).toMatch(
      /##\[warning\].*scoped-elsewhere\/\.npmrc:1 sets @acme:registry=http:\/\/127\.0\.0\.1:9\/, and npm reads the project's \.npmrc/
    );

    const unscoped = await workspaceWith('unscoped-elsewhere', {
      name: 'elsewhere-tool',
      version: '2.0.0',
      publishConfig: { registry: elsewhere }
    });
    await writeFile(join(unscoped, '.npmrc'), `registry=${elsewhere}\n`);
    emulator.clearRequestLog();
    const second = await job(unscoped, 'refs/tags/v2.0.0');
    expect(second.conclusion).toBe('success');
    expect(step(second, 'publish').outputs.tarball).toContain(
      '/npm/store/elsewhere-tool/-/elsewhere-tool-2.0.0.tgz'
    );
    expect(requests('npm:Publish')).toHaveLength(1);
  });
});

describe('publish-npm after a setup that kept the AWS keys to itself', () => {
  it('says to give the step role-to-assume when setup ran with export-credentials: false', async () => {
    const workspace = await workspaceWith('no-keys', { name: '@acme/no-keys', version: '1.0.0' });
    const result = await runJob(
      {
        permissions: { 'id-token': 'write' },
        oidc: { requestUrl: emulator.info.oidc.requestUrl, requestToken: emulator.info.oidc.requestToken },
        // No instance metadata here: the SDK's chain would otherwise wait on it.
        env: {
          AWS_ENDPOINT_URL: emulator.info.endpoint,
          AWS_REGION: emulator.info.region,
          AWS_EC2_METADATA_DISABLED: 'true'
        },
        github: { repository: 'acme/widgets', ref: 'refs/tags/v1.0.0' },
        workspace,
        steps: [
          {
            id: 'setup',
            uses: 'actions/setup-codeartifact',
            with: {
              'role-to-assume': emulator.info.roles[0],
              domain: 'acme',
              repository: 'store',
              'export-credentials': 'false'
            }
          },
          { id: 'publish', uses: ACTION }
        ]
      },
      { repoRoot: process.cwd() }
    );
    finished.push(result);
    expect(result.conclusion).toBe('failure');
    expect(result.env.AWS_SECRET_ACCESS_KEY).toBeUndefined();
    expect(step(result, 'publish').log).toContain(
      'setup-codeartifact ran in an earlier step with "export-credentials: false", which keeps the AWS keys from later steps: give this step "role-to-assume" as well.'
    );
    expect(requests('npm:Publish')).toHaveLength(0);
  });
});

describe('publish-npm with its own auth inputs', () => {
  it('assumes the role itself with GitHub OIDC when no setup step ran, and publishes an unscoped package', async () => {
    const workspace = await workspaceWith('plain', { name: 'plain-widget', version: '0.3.0' });
    const result = await runAction(
      ACTION,
      { 'role-to-assume': emulator.info.roles[0], domain: 'acme', repository: 'store' },
      {
        permissions: { 'id-token': 'write' },
        oidc: { requestUrl: emulator.info.oidc.requestUrl, requestToken: emulator.info.oidc.requestToken },
        env: { AWS_ENDPOINT_URL: emulator.info.endpoint, AWS_REGION: emulator.info.region },
        github: { repository: 'acme/widgets', ref: 'refs/tags/v0.3.0' },
        workspace
      },
      { repoRoot: process.cwd() }
    );
    finished.push(result);
    expect(result.conclusion).toBe('success');
    expect(step(result, 'action').outputs).toMatchObject({
      name: 'plain-widget',
      version: '0.3.0',
      status: 'published'
    });
    // GitHub OIDC token, then STS, before the CodeArtifact calls.
    const operations = emulator.requestLog().map((entry) => entry.operation);
    expect(operations.slice(0, 2)).toEqual(['oidc', 'sts']);
    expect(operations.slice(2, 4).sort()).toEqual(['GetAuthorizationToken', 'GetRepositoryEndpoint']);
    // npm itself asks GitHub for no OIDC token (its trusted publishing is for npmjs.com).
    expect(operations.filter((operation) => operation === 'oidc')).toHaveLength(1);
  });
});

describe('publish-npm without publish permission', () => {
  it('names the permissions to add when the repository answers 403', async () => {
    const workspace = await workspaceWith('denied', { name: '@acme/denied', version: '1.0.0' });
    const result = await job(workspace, 'refs/heads/main', {}, [], 1);
    expect(result.conclusion).toBe('failure');
    expect(step(result, 'publish').log).toMatch(
      /npm publish of @acme\/denied@1\.0\.0 was refused with 403: allow "codeartifact:PublishPackageVersion" and "codeartifact:PutPackageMetadata"/
    );
  });
});

describe('publish-npm refuses before publishing', () => {
  const cases: Array<[string, Record<string, unknown> | undefined, Record<string, string>, string, RegExp]> =
    [
      [
        'a private package.json',
        { name: '@acme/secret', version: '1.0.0', private: true },
        {},
        'refs/heads/main',
        /"private": true, so npm will not publish @acme\/secret/
      ],
      [
        'a missing package.json',
        undefined,
        {},
        'refs/heads/main',
        /Input "working-directory": there is no .*package\.json/
      ],
      [
        'a version-like dist-tag',
        { name: '@acme/widgets', version: '1.0.0' },
        { tag: 'v1' },
        'refs/heads/main',
        /Input "tag": "v1" looks like a version/
      ],
      [
        'a dist-tag npm cannot take',
        { name: '@acme/widgets', version: '1.0.0' },
        { tag: 'my tag' },
        'refs/heads/main',
        /Input "tag": "my tag" is not a dist-tag/
      ],
      [
        'a tag that is not the package version',
        { name: '@acme/widgets', version: '1.0.0' },
        {},
        'refs/tags/v1.0.1',
        /The tag names version 1\.0\.1 but .*package\.json says 1\.0\.0/
      ]
    ];
  it.each(cases)(
    'fails clearly on %s, before any AWS call of its own',
    async (label, manifest, inputs, ref, message) => {
      const workspace = join(scratch, `refused-${label.replace(/\W+/g, '-')}`);
      await mkdir(workspace, { recursive: true });
      if (manifest) await writeFile(join(workspace, 'package.json'), JSON.stringify(manifest));
      const result = await job(workspace, ref, inputs);
      expect(result.conclusion).toBe('failure');
      expect(step(result, 'publish').log).toMatch(message);
      expect(requests('GetRepositoryEndpoint').length).toBe(1);
    }
  );
});

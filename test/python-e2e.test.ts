/**
 * publish-python end to end: the bundled action through the local runner against the local CodeArtifact,
 * with Debian's python3, pypa/build, setuptools and twine; pip installs what was published.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { appendFile, cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeartifactClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-codeartifact';
import { parseConfig, startEmulator, type RunningEmulator } from '@codeartifact-actions/emulator';
import { runJob, type JobResult, type StepSpec } from '@codeartifact-actions/runner';

const ACTION = 'actions/publish-python';
const PYTHON = '/usr/bin/python3';
const FIXTURES = join(process.cwd(), 'test/fixtures/python');

let emulator: RunningEmulator;
let role: string;
const scratch: string[] = [];
const finished: JobResult[] = [];

beforeAll(async () => {
  const config = parseConfig(
    {
      roles: [
        {
          name: 'ci',
          trust: { subjects: ['repo:*'] },
          actions: ['sts:GetServiceBearerToken', 'codeartifact:*']
        }
      ],
      domains: [{ name: 'acme', repositories: [{ name: 'py' }] }]
    },
    'python-e2e'
  );
  emulator = await startEmulator({ config });
  role = emulator.info.roles[0] as string;
});

afterAll(async () => {
  await emulator?.close();
});

afterEach(async () => {
  await Promise.all(finished.splice(0).map((result) => result.cleanup()));
  await Promise.all(scratch.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function workspaceWith(fixture: string): Promise<string> {
  const workspace = await mkdtemp(join(tmpdir(), 'python-e2e-'));
  scratch.push(workspace);
  await cp(join(FIXTURES, fixture), workspace, { recursive: true });
  return workspace;
}

async function publish(
  workspace: string,
  inputs: Record<string, string> = {},
  options: { tag?: string; viaSetup?: boolean } = {}
): Promise<JobResult> {
  const auth = { 'role-to-assume': role, domain: 'acme', repository: 'py' };
  const steps: StepSpec[] = options.viaSetup
    ? [
        { id: 'setup', uses: 'actions/setup-codeartifact', with: { ...auth, tools: 'pip,twine' } },
        { id: 'publish', uses: ACTION, with: { python: PYTHON, ...inputs } }
      ]
    : [{ id: 'publish', uses: ACTION, with: { python: PYTHON, ...auth, ...inputs } }];
  const result = await runJob(
    {
      permissions: { 'id-token': 'write' },
      oidc: { requestUrl: emulator.info.oidc.requestUrl, requestToken: emulator.info.oidc.requestToken },
      env: { AWS_ENDPOINT_URL: emulator.info.endpoint, AWS_REGION: emulator.info.region },
      github: { repository: 'acme/app', ref: `refs/tags/${options.tag ?? 'v1.2.3'}` },
      workspace,
      steps
    },
    { repoRoot: process.cwd() }
  );
  finished.push(result);
  return result;
}

function publishStep(result: JobResult) {
  const step = result.steps.find((s) => s.id === 'publish' && s.phase === 'main');
  if (!step) throw new Error('no publish step');
  return step;
}

async function tokenFor(): Promise<string> {
  const client = new CodeartifactClient({
    endpoint: emulator.info.endpoint,
    region: emulator.info.region,
    credentials: emulator.info.credentials
  });
  try {
    return (await client.send(new GetAuthorizationTokenCommand({ domain: 'acme' })))
      .authorizationToken as string;
  } finally {
    client.destroy();
  }
}

/** pip installs `requirement` from the repository into a fresh folder and imports `module` from it. */
async function installAndImport(indexUrl: string, requirement: string, module: string): Promise<string> {
  const target = await mkdtemp(join(tmpdir(), 'python-e2e-pip-'));
  scratch.push(target);
  const url = new URL(indexUrl);
  url.username = 'aws';
  url.password = await tokenFor();
  const run = (args: string[], env: NodeJS.ProcessEnv) =>
    new Promise<string>((resolve, reject) =>
      execFile(PYTHON, args, { env }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stdout}\n${stderr}`)) : resolve(stdout)
      )
    );
  // The machine's pip configuration adds local indexes; only the repository may answer here.
  const pipEnv: NodeJS.ProcessEnv = { ...process.env, PIP_CONFIG_FILE: '/dev/null' };
  delete pipEnv.PIP_FIND_LINKS;
  await run(
    [
      '-m',
      'pip',
      'install',
      '--index-url',
      url.toString(),
      '--no-cache-dir',
      '--no-deps',
      '--target',
      target,
      requirement
    ],
    pipEnv
  );
  return run(['-c', `import ${module}; print(${module}.GREETING)`], { ...process.env, PYTHONPATH: target });
}

describe('publish-python end to end', () => {
  it('publishes a pyproject.toml project on tag v1.2.3, pip installs it back, and a re-run reports it already published', async () => {
    const workspace = await workspaceWith('modern');
    const first = await publish(workspace);
    const step = publishStep(first);
    expect({ conclusion: first.conclusion, log: step.log }).toEqual({
      conclusion: 'success',
      log: expect.anything()
    });
    expect(step.outputs.version).toBe('1.2.3');
    const files = JSON.parse(step.outputs.files) as Array<{ name: string; sha256: string; size: number }>;
    expect(files.map((f) => f.name).sort()).toEqual(
      ['Acme_Py.Demo-1.2.3.tar.gz', 'Acme_Py.Demo-1.2.3-py3-none-any.whl'].sort()
    );
    for (const f of files) {
      expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(step.log).toContain(`${f.sha256}  ${f.name}`);
    }
    expect(step.log).toContain('building without isolation');
    expect(step.log).toContain('matches tag v1.2.3');
    expect(step.outputs['index-url']).toMatch(/\/pypi\/py\/simple\/$/);
    expect(first.summary).toContain('Acme_Py.Demo-1.2.3.tar.gz');
    expect(
      await installAndImport(step.outputs['index-url'], 'acme-py-demo==1.2.3', 'acme_py_demo')
    ).toContain('hello from acme-py-demo');

    const again = await publish(await workspaceWith('modern'));
    expect(again.conclusion).toBe('success');
    expect(publishStep(again).log).toContain(
      'all 2 files are already published, identical; nothing was uploaded'
    );
    expect(publishStep(again).log).not.toContain('twine upload');
  });

  it('publishes a setup.py-only project with the token setup-codeartifact left, and pip installs it back', async () => {
    const result = await publish(await workspaceWith('legacy'), {}, { viaSetup: true });
    const step = publishStep(result);
    expect({ conclusion: result.conclusion, log: step.log }).toEqual({
      conclusion: 'success',
      log: expect.anything()
    });
    expect(step.log).toContain('left by setup-codeartifact');
    const token = result.steps.find((s) => s.id === 'setup')?.outputs.token as string;
    expect(token.length).toBeGreaterThan(20);
    expect(result.log).not.toContain(token);
    expect(Object.values(step.outputs).join('\n')).not.toContain(token);
    expect(step.log).toContain('(setup.py --version) matches tag v1.2.3');
    expect(await installAndImport(step.outputs['index-url'], 'acme-legacy==1.2.3', 'acme_legacy')).toContain(
      'hello from acme-legacy'
    );
  });

  it('fails naming the file and both hashes when a file changed under the same version, and replaces nothing', async () => {
    const original = await publish(await workspaceWith('modern'));
    expect(original.conclusion).toBe('success');
    const before = JSON.parse(publishStep(original).outputs.files) as Array<{ name: string; sha256: string }>;
    const changed = await workspaceWith('modern');
    await appendFile(join(changed, 'acme_py_demo', '__init__.py'), 'CHANGED = True\n');
    const result = await publish(changed);
    expect(result.conclusion).toBe('failure');
    const message = result.annotations.map((a) => a.message).join('\n');
    expect(message).toContain('different content; nothing was uploaded or replaced');
    const sdist = before.find((f) => f.name.endsWith('.tar.gz'));
    expect(message).toContain(
      `Acme_Py.Demo-1.2.3.tar.gz: the repository has sha256 ${sdist?.sha256}, this build has `
    );
    const rerun = await publish(await workspaceWith('modern'));
    expect(JSON.parse(publishStep(rerun).outputs.files)).toEqual(
      before.map((f) => expect.objectContaining({ name: f.name, sha256: f.sha256 }))
    );
  });

  it('fails before building when the tag names another version', async () => {
    const result = await publish(await workspaceWith('modern'), {}, { tag: 'v1.2.4' });
    expect(result.conclusion).toBe('failure');
    expect(result.annotations.map((a) => a.message).join('\n')).toContain(
      'Tag "v1.2.4" is version 1.2.4, but the project is at 1.2.3 (pyproject.toml [project] version)'
    );
    expect(publishStep(result).log).not.toContain('python -m build');
  });

  it('fails naming the metadata check when twine check rejects the README', async () => {
    const result = await publish(await workspaceWith('bad-readme'));
    expect(result.conclusion).toBe('failure');
    const message = result.annotations.map((a) => a.message).join('\n');
    expect(message).toContain('The metadata check (twine check, input verify-metadata) rejected');
    expect(message).toContain('long_description');
  });

  it('falls back to setup.py sdist without pypa/build, and installs twine into a venv from the index the job uses', async () => {
    const bare = '/root/.pyenv/versions/3.11.7/bin/python3';
    const probe = await new Promise<boolean>((resolve) =>
      execFile(
        bare,
        [
          '-c',
          'import setuptools, ensurepip\ntry:\n import build\nexcept ImportError:\n pass\nelse:\n raise SystemExit(1)'
        ],
        (e) => resolve(!e)
      )
    );
    if (!probe) {
      console.log(
        'python-e2e: no interpreter with setuptools but without pypa/build here; the fallback is covered by unit tests only'
      );
      return;
    }
    const result = await publish(await workspaceWith('legacy'), { python: bare }, { viaSetup: true });
    const log = publishStep(result).log;
    expect(log).toContain('pypa/build is not installed in');
    expect(log).toContain('only the sdist is built');
    expect(log).toContain('acme-legacy-1.2.3.tar.gz');
    expect(log).toMatch(
      /twine is not installed in .*: installing it into a virtual environment .* from http:\/\/127\.0\.0\.1:\d+\/acme-\d+\/pypi\/py\/simple\//
    );
    // The repository has no twine (no internet here), so pip's own refusal ends the step.
    expect(result.conclusion).toBe('failure');
    expect(result.annotations.map((a) => a.message).join('\n')).toMatch(
      /pip install twine failed[\s\S]*twine/
    );
  });

  it('fails clearly on a missing interpreter, an empty packages-dir with build: false, and a folder without a project', async () => {
    const workspace = await workspaceWith('modern');
    await mkdir(join(workspace, 'empty'));
    const cases: Array<[Record<string, string>, string]> = [
      [
        { python: '/opt/no-such/python3' },
        'Input "python": "/opt/no-such/python3" does not exist or is not executable'
      ],
      [
        { build: 'false', 'packages-dir': 'empty' },
        'holds no sdist or wheel (*.tar.gz, *.zip, *.whl), and build is false'
      ],
      [{ 'working-directory': 'empty' }, 'holds no Python project (no pyproject.toml, setup.py or setup.cfg)']
    ];
    for (const [inputs, expected] of cases) {
      const result = await publish(workspace, inputs);
      expect({ inputs, conclusion: result.conclusion }).toEqual({ inputs, conclusion: 'failure' });
      expect(result.annotations.map((a) => a.message).join('\n')).toContain(expected);
    }
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseConfig, startEmulator, type RunningEmulator } from '@codeartifact-actions/emulator';
import { runJob, type JobResult, type JobSpec, type StepSpec } from '@codeartifact-actions/runner';

const ACTION = 'actions/setup-codeartifact';
const SETTINGS_XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<!-- the user\'s own settings -->\n<settings>\n' +
  '  <servers>\n    <server><id>corp</id><username>me</username><password>${env.CORP_PASSWORD}</password></server>\n  </servers>\n</settings>\n';

let emulator: RunningEmulator;
let roles: { ci: string; noToken: string; otherRepoOnly: string };
const finished: JobResult[] = [];
const scratch: string[] = [];

beforeAll(async () => {
  const trustAll = { subjects: ['repo:*'] };
  const config = parseConfig(
    {
      roles: [
        { name: 'ci', trust: trustAll, actions: ['sts:GetServiceBearerToken', 'codeartifact:*'] },
        {
          name: 'no-token',
          trust: trustAll,
          actions: ['codeartifact:GetRepositoryEndpoint', 'codeartifact:ReadFromRepository']
        },
        { name: 'other-repo-only', trust: { subjects: ['repo:acme/other:ref:refs/tags/v*'] }, actions: ['*'] }
      ],
      domains: [{ name: 'acme', repositories: [{ name: 'shared' }, { name: 'node-tools' }] }]
    },
    'setup-e2e'
  );
  emulator = await startEmulator({ config });
  const [ci, noToken, otherRepoOnly] = emulator.info.roles;
  roles = { ci, noToken, otherRepoOnly };
});

afterAll(async () => {
  await emulator?.close();
});

afterEach(async () => {
  await Promise.all(finished.splice(0).map((result) => result.cleanup()));
  await Promise.all(scratch.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  emulator.clearFaults();
  emulator.clearRequestLog();
});

function commandAvailable(name: string): boolean {
  try {
    execFileSync('bash', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function freshHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'setup-e2e-home-'));
  scratch.push(home);
  await mkdir(join(home, '.m2'));
  await writeFile(join(home, '.m2', 'settings.xml'), SETTINGS_XML);
  await writeFile(join(home, '.npmrc'), 'fund=false\n');
  return home;
}

async function job(
  inputs: Record<string, string>,
  extra: Partial<JobSpec> & { steps?: StepSpec[] } = {}
): Promise<JobResult> {
  const { steps = [], ...rest } = extra;
  const spec: JobSpec = {
    permissions: { 'id-token': 'write' },
    oidc: { requestUrl: emulator.info.oidc.requestUrl, requestToken: emulator.info.oidc.requestToken },
    env: { AWS_ENDPOINT_URL: emulator.info.endpoint, AWS_REGION: emulator.info.region },
    github: { repository: 'acme/app', ref: 'refs/heads/main' },
    ...rest,
    steps: [
      { id: 'setup', uses: ACTION, with: { 'role-to-assume': roles.ci, domain: 'acme', ...inputs } },
      ...steps
    ]
  };
  const result = await runJob(spec, { repoRoot: process.cwd() });
  finished.push(result);
  return result;
}

/** Every file under a folder, relative path -> bytes. */
async function snapshot(
  dir: string,
  skip: (path: string) => boolean = () => false
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  async function walk(current: string): Promise<void> {
    for (const entry of await readdir(current, { withFileTypes: true }).catch(() => [])) {
      const full = join(current, entry.name);
      const rel = relative(dir, full);
      if (skip(rel)) continue;
      if (entry.isDirectory()) {
        files.set(`${rel}/`, '');
        await walk(full);
      } else files.set(rel, (await readFile(full)).toString('base64'));
    }
  }
  await walk(dir);
  return files;
}

function mainStep(result: JobResult, id: string) {
  const step = result.steps.find((s) => s.id === id && s.phase === 'main');
  if (!step) throw new Error(`no step ${id}`);
  return step;
}

function requests(operation: string) {
  return emulator.requestLog().filter((entry) => entry.operation === operation);
}

describe('setup-codeartifact end to end', () => {
  it('configures pip, twine, npm and maven from GitHub OIDC, leaks the token nowhere, and the post step undoes it all', async () => {
    const home = await freshHome();
    const before = await snapshot(home);
    const tools = ['pip', 'twine', 'npm', 'maven'];
    for (const optional of ['uv', 'poetry', 'pnpm', 'yarn', 'gradle']) {
      if (commandAvailable(optional)) tools.push(optional);
      else
        console.log(
          `setup-e2e: ${optional} is not installed; its configuration is checked by the unit tests only`
        );
    }
    const result = await job(
      { repository: 'shared', tools: tools.join(',') },
      {
        home,
        steps: [
          {
            id: 'probe',
            run: [
              'echo "npm-registry=$(npm config get registry)"',
              'echo "pip-index=${PIP_INDEX_URL//${CODEARTIFACT_AUTH_TOKEN}/TOKEN}"',
              'echo "twine=$TWINE_REPOSITORY_URL"',
              'echo "caller=$(aws sts get-caller-identity --query Arn --output text 2>&1)"',
              'grep -c "<id>codeartifact</id>" ~/.m2/settings.xml | sed "s/^/maven-ids=/"',
              'ls -l "$NPM_CONFIG_USERCONFIG" | cut -c1-10 | sed "s/^/npmrc-mode=/"',
              'echo "careless-token=$CODEARTIFACT_AUTH_TOKEN careless-key=$AWS_SECRET_ACCESS_KEY"'
            ].join('\n'),
            env: { NPM_CONFIG_CACHE: '${{ runner.temp }}/npm-cache', npm_config_update_notifier: 'false' }
          }
        ]
      }
    );
    const setup = mainStep(result, 'setup');
    expect(result.conclusion).toBe('success');
    const token = setup.outputs.token;
    expect(token.length).toBeGreaterThan(20);
    expect(setup.outputs.expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(setup.outputs['domain-owner']).toBe(emulator.info.accountId);
    const base = `${emulator.info.endpoint}/acme-${emulator.info.accountId}`;
    expect(setup.outputs['pypi-endpoint']).toBe(`${base}/pypi/shared/`);
    expect(setup.outputs['npm-endpoint']).toBe(`${base}/npm/shared/`);
    expect(setup.outputs['maven-endpoint']).toBe(`${base}/maven/shared/`);

    // Later steps find the tools pointed at the repository with no other configuration.
    const probe = mainStep(result, 'probe').log;
    expect(probe).toContain(`npm-registry=${base}/npm/shared/`);
    expect(probe).toContain(`pip-index=http://aws:TOKEN@${base.replace('http://', '')}/pypi/shared/simple/`);
    expect(probe).toContain(`twine=${base}/pypi/shared/`);
    // server, mirror, profile, repository and plugin repository
    expect(probe).toContain('maven-ids=5');
    expect(probe).toContain('npmrc-mode=-rw-------');
    if (commandAvailable('aws'))
      expect(probe).toContain(`caller=arn:aws:sts::${emulator.info.accountId}:assumed-role/ci/`);
    expect(result.env.CODEARTIFACT_DOMAIN).toBe('acme');
    expect(result.env.CODEARTIFACT_REPOSITORY).toBe('shared');
    expect(result.summary).toContain('shared');

    // The token and the session's secret key: masked in the log, in no other output, argv or workspace file.
    const secretKey = result.env.AWS_SECRET_ACCESS_KEY;
    expect(secretKey).toBeTruthy();
    for (const secret of [token, secretKey]) {
      expect(result.rawOutput).toContain(secret); // the add-mask commands carry it: proves the check can see it
      expect(result.log).not.toContain(secret);
      for (const step of result.steps) {
        for (const [name, value] of Object.entries(step.outputs)) {
          if (!(step.id === 'setup' && name === 'token')) expect(value).not.toContain(secret);
        }
      }
      expect(result.argv.flat().join('\n')).not.toContain(secret);
      for (const [path, bytes] of await snapshot(result.workspace)) {
        expect({ path, leaked: Buffer.from(bytes, 'base64').toString('latin1').includes(secret) }).toEqual({
          path,
          leaked: false
        });
      }
    }
    expect(probe).toContain('careless-token=*** careless-key=***');

    // After the post step: HOME as it was (settings.xml byte for byte), nothing left in RUNNER_TEMP.
    const after = await snapshot(
      home,
      (path) => path === '.npm' || path.startsWith('.cache') || path === '.aws'
    );
    expect(after).toEqual(before);
    expect(await readFile(join(home, '.m2', 'settings.xml'), 'utf8')).toBe(SETTINGS_XML);
    const leftovers = (await readdir(result.runnerTemp)).filter((name) => name.startsWith('codeartifact-'));
    expect(leftovers).toEqual([]);
  });

  it('lets the real pnpm and yarn 1 install from the repository with what setup wrote', async () => {
    const missing = ['pnpm', 'yarn'].filter((tool) => !commandAvailable(tool));
    if (missing.length > 0) {
      console.log(`setup-e2e: ${missing.join(' and ')} not installed; pnpm and yarn installs not run`);
      return;
    }
    const result = await job(
      { repository: 'node-tools', tools: 'npm,pnpm,yarn' },
      {
        home: await freshHome(),
        env: {
          AWS_ENDPOINT_URL: emulator.info.endpoint,
          AWS_REGION: emulator.info.region,
          NPM_CONFIG_CACHE: '${{ runner.temp }}/npm-cache',
          YARN_CACHE_FOLDER: '${{ runner.temp }}/yarn-cache',
          npm_config_store_dir: '${{ runner.temp }}/pnpm-store',
          npm_config_update_notifier: 'false'
        },
        steps: [
          {
            id: 'node-tools',
            run: [
              'mkdir -p lib with-pnpm with-yarn',
              'printf \'{"name":"@acme/greet","version":"2.0.0","main":"index.js"}\' > lib/package.json',
              'echo \'module.exports = "greet from the repository";\' > lib/index.js',
              '(cd lib && npm publish --no-audit)',
              'printf \'{"name":"p","version":"1.0.0","private":true}\' > with-pnpm/package.json',
              '(cd with-pnpm && pnpm add @acme/greet@2.0.0 >/dev/null && node -e \'console.log("pnpm-got=" + require("@acme/greet"))\')',
              'printf \'{"name":"y","version":"1.0.0","private":true}\' > with-yarn/package.json',
              '(cd with-yarn && yarn add --non-interactive @acme/greet@2.0.0 >/dev/null && node -e \'console.log("yarn-got=" + require("@acme/greet"))\')'
            ].join('\n')
          }
        ]
      }
    );
    const log = mainStep(result, 'node-tools').log;
    if (result.conclusion !== 'success') console.log(log);
    expect(result.conclusion).toBe('success');
    expect(log).toContain('pnpm-got=greet from the repository');
    expect(log).toContain('yarn-got=greet from the repository');
    const tarballs = emulator
      .requestLog()
      .filter((entry) => entry.path.includes('/npm/node-tools/@acme/greet/-/'));
    expect(tarballs.length).toBeGreaterThanOrEqual(2);
  });

  it('lets the real pip, twine, npm and mvn publish to and resolve from the repository with no other configuration', async () => {
    const result = await job(
      { repository: 'shared', tools: 'pip,twine,npm,maven' },
      {
        home: await freshHome(),
        env: {
          AWS_ENDPOINT_URL: emulator.info.endpoint,
          AWS_REGION: emulator.info.region,
          REPO_ROOT: process.cwd(),
          NPM_CONFIG_CACHE: '${{ runner.temp }}/npm-cache',
          npm_config_update_notifier: 'false'
        },
        steps: [
          {
            id: 'python',
            run: [
              'python3 "$REPO_ROOT/test/fixtures/formats/make_dists.py" "$RUNNER_TEMP/dists" setup-e2e-demo 1.0.0 >/dev/null',
              '/usr/bin/twine upload --non-interactive --disable-progress-bar "$RUNNER_TEMP"/dists/*',
              // The machine's own pip configuration adds local wheel folders; only the repository may answer here.
              'unset PIP_FIND_LINKS; export PIP_CONFIG_FILE=/dev/null',
              'python3 -m pip download --no-deps --no-cache-dir -d "$RUNNER_TEMP/got" setup-e2e-demo==1.0.0',
              'ls "$RUNNER_TEMP/got" | sed "s/^/pip-got=/"'
            ].join('\n')
          },
          {
            id: 'npm',
            run: [
              'mkdir -p lib app',
              'printf \'{"name":"@acme/hello","version":"1.0.0","main":"index.js"}\' > lib/package.json',
              'echo \'module.exports = "hello from the repository";\' > lib/index.js',
              '(cd lib && npm publish --no-audit)',
              'printf \'{"name":"app","version":"1.0.0","private":true}\' > app/package.json',
              '(cd app && npm install --no-audit --no-fund @acme/hello@1.0.0)',
              '(cd app && node -e \'console.log("npm-got=" + require("@acme/hello"))\')'
            ].join('\n')
          },
          {
            id: 'maven',
            env: { MAVEN_URL: '${{ steps.setup.outputs.maven-endpoint }}' },
            run: [
              // Java takes user.home from the passwd entry, not HOME; on GitHub both agree, in this sandbox they do not.
              'export MAVEN_OPTS="-Duser.home=$HOME"',
              // A local repository borrowing the machine's plugin cache (-llr: use it whatever repository it came from).
              'LOCAL="$RUNNER_TEMP/m2"; mkdir -p "$LOCAL"; for d in /root/.m2/repository/*; do ln -s "$d" "$LOCAL/"; done',
              'MVN="mvn -B -q -llr -Dmaven.repo.local=$LOCAL"',
              'echo "jar bytes" > hello.jar',
              '$MVN org.apache.maven.plugins:maven-deploy-plugin:3.1.1:deploy-file -Dfile=hello.jar -DgroupId=e2esetup.demo -DartifactId=hello -Dversion=1.0.0 -Dpackaging=jar -DrepositoryId=codeartifact -Durl="$MAVEN_URL"',
              'rm -rf "$LOCAL/e2esetup"',
              'mkdir -p consumer && cp "$REPO_ROOT/test/fixtures/setup/consumer-pom.xml" consumer/pom.xml',
              '(cd consumer && $MVN compile)',
              'cat "$LOCAL/e2esetup/demo/hello/1.0.0/hello-1.0.0.jar" | sed "s/^/mvn-got=/"'
            ].join('\n')
          }
        ]
      }
    );
    const logs = ['python', 'npm', 'maven'].map((id) => mainStep(result, id).log).join('\n');
    if (result.conclusion !== 'success') console.log(logs);
    expect(result.conclusion).toBe('success');
    expect(logs).toContain('pip-got=setup_e2e_demo-1.0.0-py3-none-any.whl');
    expect(logs).toContain('npm-got=hello from the repository');
    expect(logs).toContain('mvn-got=jar bytes');
    const store = emulator.repository('acme', 'shared');
    expect(
      (await store?.listPackages())?.map((p) => `${p.format}:${p.namespace ?? ''}/${p.package}`).sort()
    ).toEqual(['maven:e2esetup.demo/hello', 'npm:acme/hello', 'pypi:/setup-e2e-demo']);
    for (const [path, bytes] of await snapshot(result.workspace)) {
      const leaked = Buffer.from(bytes, 'base64')
        .toString('latin1')
        .includes(mainStep(result, 'setup').outputs.token);
      expect({ path, leaked }).toEqual({ path, leaked: false });
    }
  });

  it('fetches the token and every endpoint in parallel after one STS call', async () => {
    const result = await job({ repository: 'shared', tools: 'pip,npm,maven' });
    expect(result.conclusion).toBe('success');
    const log = emulator.requestLog();
    expect(log.filter((e) => e.operation === 'sts')).toHaveLength(1);
    expect(requests('GetAuthorizationToken')).toHaveLength(1);
    expect(requests('GetRepositoryEndpoint')).toHaveLength(3);
  });

  it("tools: auto configures the tools a monorepo's folders use, one level down", async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'setup-e2e-auto-'));
    scratch.push(workspace);
    await mkdir(join(workspace, 'web'));
    await writeFile(join(workspace, 'web', 'package.json'), '{"name":"web","version":"1.0.0"}\n');
    await mkdir(join(workspace, 'service'));
    await writeFile(join(workspace, 'service', 'requirements.txt'), 'requests\n');
    const result = await job(
      { repository: 'shared', tools: 'auto' },
      {
        workspace,
        home: await freshHome(),
        steps: [{ id: 'registry', run: 'cd web && npm config get registry' }]
      }
    );
    expect(result.conclusion).toBe('success');
    const setup = mainStep(result, 'setup');
    expect(setup.log).toMatch(/tools: auto detected pip \(service\), npm \(web\)/);
    expect(Object.keys(setup.outputs).filter((k) => k.endsWith('-endpoint'))).toEqual(
      expect.arrayContaining(['pypi-endpoint', 'npm-endpoint'])
    );
    expect(setup.outputs['maven-endpoint']).toBeUndefined();
    expect(mainStep(result, 'registry').log).toContain(setup.outputs['npm-endpoint']);
  });

  it('uses the credentials an earlier step left when no role is given', async () => {
    const { accessKeyId, secretAccessKey } = emulator.info.credentials;
    const result = await job(
      { 'role-to-assume': '', repository: 'shared', tools: 'twine' },
      {
        permissions: {},
        env: {
          AWS_ENDPOINT_URL: emulator.info.endpoint,
          AWS_REGION: emulator.info.region,
          AWS_ACCESS_KEY_ID: accessKeyId,
          AWS_SECRET_ACCESS_KEY: secretAccessKey
        }
      }
    );
    expect(result.conclusion).toBe('success');
    expect(mainStep(result, 'setup').outputs['domain-owner']).toBe(emulator.info.accountId);
    expect(result.env.TWINE_PASSWORD).toBe(mainStep(result, 'setup').outputs.token);
    expect(result.log).not.toContain(secretAccessKey);
    expect(requests('sts').length).toBeLessThanOrEqual(1); // GetCallerIdentity for the owner, no role assumed
  });

  it('tells the user to grant id-token: write when the job has no OIDC permission', async () => {
    const result = await job({ repository: 'shared', tools: 'pip' }, { permissions: {} });
    expect(result.conclusion).toBe('failure');
    expect(result.log).toContain('permissions: id-token: write');
    expect(requests('sts')).toHaveLength(0);
  });

  it('survives throttling and 503s on GetAuthorizationToken', async () => {
    emulator.injectFault({ operation: 'GetAuthorizationToken', status: 429, count: 1, retryAfterSeconds: 1 });
    emulator.injectFault({ operation: 'GetAuthorizationToken', status: 503, count: 1 });
    const result = await job({ repository: 'shared', tools: 'npm' });
    expect(result.conclusion).toBe('success');
    expect(requests('GetAuthorizationToken').map((e) => e.status)).toEqual([429, 503, 200]);
  });

  it('fails fast with both permissions named when the role may not get a token', async () => {
    const started = Date.now();
    const result = await job({ 'role-to-assume': roles.noToken, repository: 'shared', tools: 'pip' });
    expect(result.conclusion).toBe('failure');
    expect(result.log).toMatch(/codeartifact:GetAuthorizationToken.*sts:GetServiceBearerToken/);
    expect(requests('GetAuthorizationToken')).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(15000);
  });

  it('shows the OIDC token sub claim when the role does not trust this repository', async () => {
    const result = await job({ 'role-to-assume': roles.otherRepoOnly });
    expect(result.conclusion).toBe('failure');
    const jwt = await emulator.issueOidcToken();
    const { sub } = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as { sub: string };
    expect(result.log).toContain(`sub claim is "${sub}"`);
    expect(result.log).toContain('trust policy');
  });

  it('names the repository that does not exist', async () => {
    const result = await job({ repository: 'nope', tools: 'npm' });
    expect(result.conclusion).toBe('failure');
    expect(result.log).toContain('Repository "nope" does not exist in domain "acme"');
  });

  it('rejects a bad input before any request', async () => {
    const result = await job({ repository: 'shared', tools: 'pip,cargo' });
    expect(result.conclusion).toBe('failure');
    expect(result.log).toContain('Input "tools": unknown tool "cargo"');
    expect(emulator.requestLog()).toEqual([]);
  });
});

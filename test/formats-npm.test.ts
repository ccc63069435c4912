/**
 * npm against the local CodeArtifact's npm endpoint: publish and install of a scoped package,
 * dist-tags, the "cannot publish over" rule, and installs through an upstream with an external connection.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loggedOperations, runTool, startWorld, type FormatsWorld } from './formats-harness.js';

let world: FormatsWorld;
let token: string;
let runs = 0;

/** A folder with package.json (and index.js) for `name@version`. */
async function packageFolder(
  name: string,
  version: string,
  extra: Record<string, unknown> = {}
): Promise<string> {
  const folder = join(world.scratch, `src-${name.replace(/[@/]/g, '_')}-${version}-${runs++}`);
  await mkdir(folder, { recursive: true });
  await writeFile(
    join(folder, 'package.json'),
    JSON.stringify({ name, version, main: 'index.js', ...extra }, null, 2)
  );
  await writeFile(join(folder, 'index.js'), `module.exports = ${JSON.stringify(`${name}@${version}`)};\n`);
  return folder;
}

/** Runs npm with a private user config whose auth line names the registry, and a fresh cache. */
async function npm(repository: string, cwd: string, args: string[], withToken = token) {
  const registry = await world.endpoint('npm', repository);
  const config = join(world.scratch, `npmrc-${runs++}`);
  const nerfDart = registry.replace(/^https?:/, '');
  await writeFile(config, `registry=${registry}\n${nerfDart}:_authToken=\${NPM_TEST_TOKEN}\n`, {
    mode: 0o600
  });
  return runTool('npm', [...args, '--registry', registry], {
    cwd,
    env: {
      npm_config_userconfig: config,
      npm_config_cache: join(world.scratch, `npm-cache-${runs++}`),
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      NPM_TEST_TOKEN: withToken
    }
  });
}

async function consumerFolder(): Promise<string> {
  const folder = join(world.scratch, `consumer-${runs++}`);
  await mkdir(folder, { recursive: true });
  await writeFile(
    join(folder, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '1.0.0', private: true })
  );
  return folder;
}

async function installedVersion(folder: string, name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(folder, 'node_modules', name, 'package.json'), 'utf8'));
  return manifest.version as string;
}

beforeAll(async () => {
  world = await startWorld(
    [
      { name: 'npm-repo' },
      { name: 'npm-store', externalConnections: ['public:npmjs'] },
      { name: 'npm-app', upstreams: ['npm-store'] }
    ],
    { 'public:npmjs': 'npm-mirror' }
  );
  token = await world.token();
  const mirror = join(world.scratch, 'npm-mirror');
  await mkdir(mirror, { recursive: true });
  const dependency = await packageFolder('tiny-dep', '1.0.0');
  const app = await packageFolder('tiny-app', '2.0.0', { dependencies: { 'tiny-dep': '^1.0.0' } });
  for (const folder of [dependency, app]) {
    const pack = await runTool('npm', ['pack', '--pack-destination', mirror], { cwd: folder });
    if (pack.code !== 0) throw new Error(pack.output);
  }
});

afterAll(async () => {
  await world?.close();
});

describe('npm publish and install of a scoped package', () => {
  it('publishes @acme/hello and installs it in another folder', async () => {
    const publish = await npm('npm-repo', await packageFolder('@acme/hello', '1.0.0'), ['publish']);
    expect(publish.output).toContain('+ @acme/hello@1.0.0');
    expect(publish.code).toBe(0);
    expect(await world.packages('npm-repo', 'npm')).toEqual({ 'acme/hello': ['1.0.0:INTERNAL'] });

    const consumer = await consumerFolder();
    const install = await npm('npm-repo', consumer, ['install', '@acme/hello']);
    expect(install.code).toBe(0);
    expect(await installedVersion(consumer, '@acme/hello')).toBe('1.0.0');
  });

  it('refuses to publish over an existing version with the message npm prints', async () => {
    const again = await npm(
      'npm-repo',
      await packageFolder('@acme/hello', '1.0.0', { description: 'changed' }),
      ['publish']
    );
    expect(again.code).not.toBe(0);
    expect(again.output).toContain('You cannot publish over the previously published versions: 1.0.0.');
  });

  it('publishes under a tag and moves dist-tags with npm dist-tag', async () => {
    const folder = await packageFolder('@acme/hello', '1.1.0-beta.1');
    expect((await npm('npm-repo', folder, ['publish', '--tag', 'beta'])).code).toBe(0);
    expect(
      (await npm('npm-repo', folder, ['dist-tag', 'add', '@acme/hello@1.1.0-beta.1', 'next'])).code
    ).toBe(0);
    const listed = await npm('npm-repo', folder, ['dist-tag', 'ls', '@acme/hello']);
    expect(listed.output).toContain('latest: 1.0.0');
    expect(listed.output).toContain('beta: 1.1.0-beta.1');
    expect(listed.output).toContain('next: 1.1.0-beta.1');
    expect((await npm('npm-repo', folder, ['dist-tag', 'rm', '@acme/hello', 'next'])).code).toBe(0);
    const after = await npm('npm-repo', folder, ['dist-tag', 'ls', '@acme/hello']);
    expect(after.output).not.toContain('next:');
  });

  it('serves the abbreviated packument with tarball URLs on this repository', async () => {
    const endpoint = await world.endpoint('npm', 'npm-repo');
    const answer = await fetch(`${endpoint}@acme%2fhello`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.npm.install-v1+json' }
    });
    expect(answer.headers.get('content-type')).toBe('application/vnd.npm.install-v1+json');
    const packument = (await answer.json()) as { versions: Record<string, { dist: Record<string, string> }> };
    expect(packument.versions['1.0.0']?.dist).toMatchObject({
      tarball: `${endpoint}@acme/hello/-/hello-1.0.0.tgz`,
      integrity: expect.stringMatching(/^sha512-/),
      shasum: expect.stringMatching(/^[0-9a-f]{40}$/)
    });
  });

  it('refuses a tarball whose integrity does not match with 400', async () => {
    const endpoint = await world.endpoint('npm', 'npm-repo');
    const tarball = Buffer.from('not really a tarball');
    const body = {
      _id: '@acme/broken',
      name: '@acme/broken',
      'dist-tags': { latest: '1.0.0' },
      versions: {
        '1.0.0': { name: '@acme/broken', version: '1.0.0', dist: { integrity: 'sha512-AAAA', shasum: 'ab' } }
      },
      _attachments: { '@acme/broken-1.0.0.tgz': { data: tarball.toString('base64'), length: tarball.length } }
    };
    const answer = await fetch(`${endpoint}@acme%2fbroken`, {
      method: 'PUT',
      body: JSON.stringify(body),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
    });
    expect(answer.status).toBe(400);
    expect(Object.keys(await world.packages('npm-repo', 'npm'))).not.toContain('acme/broken');
  });

  it('refuses a wrong token: npm publish fails with E401 and nothing is stored', async () => {
    const run = await npm(
      'npm-repo',
      await packageFolder('@acme/intruder', '1.0.0'),
      ['publish'],
      'not-a-token'
    );
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/E401|401 Unauthorized/);
    expect(Object.keys(await world.packages('npm-repo', 'npm'))).not.toContain('acme/intruder');
  });
});

describe('npm install through an upstream with an external connection', () => {
  it('installs a package and its dependency, keeps copies, and serves the second install from them', async () => {
    const first = await consumerFolder();
    const install = await npm('npm-app', first, ['install', 'tiny-app']);
    expect(install.code).toBe(0);
    expect(await installedVersion(first, 'tiny-app')).toBe('2.0.0');
    expect(await installedVersion(first, 'tiny-dep')).toBe('1.0.0');
    const kept = { 'tiny-app': ['2.0.0:EXTERNAL'], 'tiny-dep': ['1.0.0:EXTERNAL'] };
    expect(await world.packages('npm-app', 'npm')).toEqual(kept);
    expect(await world.packages('npm-store', 'npm')).toEqual(kept);
    expect(loggedOperations(world.emulator, '/npm/npm-app/tiny-app/-/')).toContain(
      'npm:GetTarball upstream=public:npmjs 200'
    );

    world.emulator.clearRequestLog();
    const second = await consumerFolder();
    expect((await npm('npm-app', second, ['install', 'tiny-app'])).code).toBe(0);
    expect(await installedVersion(second, 'tiny-dep')).toBe('1.0.0');
    const operations = loggedOperations(world.emulator, '/npm/npm-app/');
    expect(operations).toContain('npm:GetTarball 200');
    expect(operations.filter((operation) => operation.includes('upstream='))).toEqual([]);
  });
});

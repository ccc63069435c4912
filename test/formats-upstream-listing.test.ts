/**
 * Package listings through an upstream: once a repository holds fetched copies of a package, a newer
 * version published upstream still shows in the listing pip, npm and Maven read, as CodeArtifact's
 * default origin controls allow. A package published to the repository directly blocks its
 * upstream versions instead, so a same-named upstream package cannot slip in.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runTool, startWorld, withCredentials, type FormatsWorld } from './formats-harness.js';

const MAKE_DISTS = join(process.cwd(), 'test/fixtures/formats/make_dists.py');
let world: FormatsWorld;
let token: string;

beforeAll(async () => {
  world = await startWorld([{ name: 'store' }, { name: 'consumer', upstreams: ['store'] }]);
  token = await world.token();
});

afterAll(async () => {
  await world?.close();
});

async function twineUpload(repository: string, project: string, version: string): Promise<void> {
  const made = await runTool('python3', [
    MAKE_DISTS,
    join(world.scratch, `${project}-${version}`),
    project,
    version
  ]);
  expect(made.code).toBe(0);
  const upload = await runTool(
    '/usr/bin/twine',
    [
      'upload',
      '--non-interactive',
      '--repository-url',
      await world.endpoint('pypi', repository),
      ...made.output.trim().split('\n')
    ],
    { env: { TWINE_USERNAME: 'aws', TWINE_PASSWORD: token } }
  );
  expect(upload.code).toBe(0);
}

/** The wheel pip picks for `project` from the repository, by file name. */
async function pipPick(repository: string, project: string, attempt: string): Promise<string> {
  const dest = join(world.scratch, 'pip', attempt);
  const index = withCredentials(`${await world.endpoint('pypi', repository)}simple/`, token);
  const run = await runTool(
    'python3',
    [
      ...['-m', 'pip', 'download', '--no-deps', '--no-cache-dir', '--only-binary', ':all:'],
      ...['--disable-pip-version-check', '--index-url', index, '-d', dest, project]
    ],
    { env: { PIP_CONFIG_FILE: '/dev/null', PIP_FIND_LINKS: undefined } }
  );
  expect(run.code).toBe(0);
  return (await readdir(dest)).join(',');
}

async function npmPublish(repository: string, name: string, version: string): Promise<void> {
  const dir = join(world.scratch, 'npm', `${name}-${version}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, version }));
  const run = await runTool('npm', ['publish', '--registry', await world.endpoint('npm', repository)], {
    cwd: dir,
    env: npmEnv(await world.endpoint('npm', repository))
  });
  expect(run.code).toBe(0);
}

function npmEnv(registry: string): Record<string, string> {
  return {
    [`npm_config_${registry.replace(/^https?:/, '')}:_authToken`]: token,
    npm_config_cache: join(world.scratch, 'npm-cache'),
    npm_config_userconfig: '/dev/null'
  };
}

async function npmView(repository: string, name: string, field: string): Promise<string> {
  const registry = await world.endpoint('npm', repository);
  const run = await runTool(
    'npm',
    ['view', name, field, '--json', '--prefer-online', '--registry', registry],
    {
      env: npmEnv(registry)
    }
  );
  expect(run.code).toBe(0);
  // stdout only: npm may warn on stderr about the machine's own configuration.
  return run.stdout.trim();
}

function basic(): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`aws:${token}`).toString('base64')}` };
}

async function mavenRelease(repository: string, artifact: string, version: string): Promise<void> {
  const base = `${await world.endpoint('maven', repository)}com/example/${artifact}`;
  const pom = `<project><modelVersion>4.0.0</modelVersion><groupId>com.example</groupId><artifactId>${artifact}</artifactId><version>${version}</version></project>`;
  for (const [file, body] of [
    [`${version}/${artifact}-${version}.jar`, `jar ${version}`],
    [`${version}/${artifact}-${version}.pom`, pom],
    [
      'maven-metadata.xml',
      `<metadata><groupId>com.example</groupId><artifactId>${artifact}</artifactId><versioning><versions><version>${version}</version></versions></versioning></metadata>`
    ]
  ]) {
    const answer = await fetch(`${base}/${file}`, { method: 'PUT', headers: basic(), body });
    expect(answer.status).toBeLessThan(300);
  }
}

async function mavenVersions(repository: string, artifact: string): Promise<string[]> {
  const base = `${await world.endpoint('maven', repository)}com/example/${artifact}`;
  const xml = await (await fetch(`${base}/maven-metadata.xml`, { headers: basic() })).text();
  return [...xml.matchAll(/<version>([^<]+)<\/version>/g)].map((match) => match[1] as string);
}

describe('a listing through an upstream', () => {
  it('shows pip a version published upstream after the repository cached an older one', async () => {
    await twineUpload('store', 'fresh-lib', '1.0.0');
    expect(await pipPick('consumer', 'fresh-lib', 'first')).toBe('fresh_lib-1.0.0-py3-none-any.whl');
    expect((await world.packages('consumer', 'pypi'))['fresh-lib']).toEqual(['1.0.0:EXTERNAL']);

    await twineUpload('store', 'fresh-lib', '1.1.0');
    expect(await pipPick('consumer', 'fresh-lib', 'second')).toBe('fresh_lib-1.1.0-py3-none-any.whl');
  });

  it('keeps upstream versions out of a package published to the repository itself', async () => {
    await twineUpload('consumer', 'own-lib', '1.0.0');
    await twineUpload('store', 'own-lib', '9.0.0');
    expect(await pipPick('consumer', 'own-lib', 'own')).toBe('own_lib-1.0.0-py3-none-any.whl');
  });

  it('shows npm the newer upstream version and its latest tag', async () => {
    await npmPublish('store', '@acme/fresh', '1.0.0');
    const tarball = JSON.parse(await npmView('consumer', '@acme/fresh@1.0.0', 'dist.tarball')) as string;
    expect((await fetch(tarball, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await world.packages('consumer', 'npm'))['acme/fresh']).toEqual(['1.0.0:EXTERNAL']);

    await npmPublish('store', '@acme/fresh', '1.1.0');
    expect(JSON.parse(await npmView('consumer', '@acme/fresh', 'versions'))).toEqual(['1.0.0', '1.1.0']);
    expect(JSON.parse(await npmView('consumer', '@acme/fresh', 'dist-tags.latest'))).toBe('1.1.0');
  });

  it('lists Maven both the cached and the newer upstream release', async () => {
    await mavenRelease('store', 'fresh', '1.0.0');
    const consumer = await world.endpoint('maven', 'consumer');
    const jar = await fetch(`${consumer}com/example/fresh/1.0.0/fresh-1.0.0.jar`, { headers: basic() });
    expect(await jar.text()).toBe('jar 1.0.0');

    await mavenRelease('store', 'fresh', '1.1.0');
    expect(await mavenVersions('consumer', 'fresh')).toEqual(['1.0.0', '1.1.0']);
  });
});

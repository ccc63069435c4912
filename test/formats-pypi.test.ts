/**
 * pip and twine against the local CodeArtifact's PyPI endpoint: installs through an upstream whose
 * external connection holds the packages (kept as copies), uploads and the re-upload rules.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribePackageVersionCommand, ListPackageVersionsCommand } from '@aws-sdk/client-codeartifact';
import {
  DOMAIN,
  loggedOperations,
  runTool,
  startWorld,
  withCredentials,
  type FormatsWorld
} from './formats-harness.js';

const MAKE_DISTS = join(process.cwd(), 'test/fixtures/formats/make_dists.py');
const DEBIAN_PYTHON = '/usr/bin/python3';
const DEBIAN_TWINE = '/usr/bin/twine';

let world: FormatsWorld;
let token: string;

async function makeDists(
  out: string,
  name: string,
  version: string,
  ...options: string[]
): Promise<string[]> {
  const run = await runTool('python3', [MAKE_DISTS, out, name, version, ...options]);
  if (run.code !== 0) throw new Error(run.output);
  return run.output.trim().split('\n');
}

async function hasPip(python: string): Promise<boolean> {
  return (await runTool(python, ['-m', 'pip', '--version'])).code === 0;
}

// The machine's pip configuration adds local indexes and wheel folders; only the emulator may answer here.
const PIP_ALONE = { PIP_CONFIG_FILE: '/dev/null', PIP_FIND_LINKS: undefined };

function pipInstall(python: string, indexUrl: string, target: string, ...args: string[]) {
  return runTool(
    python,
    [
      ...['-m', 'pip', 'install', '--index-url', indexUrl, '--no-cache-dir', '--no-input'],
      ...['--disable-pip-version-check', '--target', target, ...args]
    ],
    { env: PIP_ALONE }
  );
}

async function indexUrl(repository: string, withToken = token): Promise<string> {
  return withCredentials(`${await world.endpoint('pypi', repository)}simple/`, withToken);
}

function twine(repository: string, password: string, ...args: string[]) {
  return world.endpoint('pypi', repository).then((url) =>
    runTool(
      DEBIAN_TWINE,
      ['upload', '--non-interactive', '--disable-progress-bar', '--repository-url', url, ...args],
      {
        env: { TWINE_USERNAME: 'aws', TWINE_PASSWORD: password }
      }
    )
  );
}

beforeAll(async () => {
  world = await startWorld(
    [
      { name: 'pypi-store', externalConnections: ['public:pypi'] },
      { name: 'internal', upstreams: ['pypi-store'] },
      { name: 'uploads' },
      { name: 'team', upstreams: ['internal'] }
    ],
    { 'public:pypi': 'pypi-mirror' }
  );
  const mirror = join(world.scratch, 'pypi-mirror');
  await makeDists(mirror, 'greeter', '1.0.0', '--requires', 'colorlib>=1.0', '--requires-python', '>=3.8');
  await makeDists(mirror, 'colorlib', '1.2.0');
  await makeDists(mirror, 'unrelated', '0.1.0');
  token = await world.token();
});

afterAll(async () => {
  await world?.close();
});

describe('pip install through an upstream with an external connection', () => {
  it('installs a package and its dependency, keeps copies, and serves the second install from them', async () => {
    const requirements = join(world.scratch, 'requirements.txt');
    await runTool('sh', ['-c', `printf 'greeter==1.0.0\\n' > ${requirements}`]);
    const url = await indexUrl('internal');

    const first = await pipInstall('python3', url, join(world.scratch, 'site-1'), '-r', requirements);
    expect(first.output).toContain('Successfully installed colorlib-1.2.0 greeter-1.0.0');
    expect(first.code).toBe(0);
    expect((await readdir(join(world.scratch, 'site-1'))).sort()).toEqual(
      expect.arrayContaining(['colorlib', 'greeter'])
    );
    expect(await world.packages('internal', 'pypi')).toEqual({
      colorlib: ['1.2.0:EXTERNAL'],
      greeter: ['1.0.0:EXTERNAL']
    });
    expect(await world.packages('pypi-store', 'pypi')).toEqual({
      colorlib: ['1.2.0:EXTERNAL'],
      greeter: ['1.0.0:EXTERNAL']
    });
    const fetched = loggedOperations(world.emulator, '/pypi/internal/simple/greeter/greeter-1.0.0');
    expect(fetched).toContain('pypi:GetFile upstream=public:pypi 200');

    world.emulator.clearRequestLog();
    const python = (await hasPip(DEBIAN_PYTHON)) ? DEBIAN_PYTHON : 'python3';
    const second = await pipInstall(python, url, join(world.scratch, 'site-2'), '-r', requirements);
    expect(second.output).toContain('Successfully installed colorlib-1.2.0 greeter-1.0.0');
    expect(second.code).toBe(0);
    const operations = loggedOperations(world.emulator, '/pypi/internal/');
    expect(operations).toContain('pypi:GetFile 200');
    expect(operations.filter((operation) => operation.includes('upstream='))).toEqual([]);
  });

  it('resolves through an upstream of an upstream, keeping a copy at every level', async () => {
    await makeDists(join(world.scratch, 'pypi-mirror'), 'deeplib', '0.3.0');
    const install = await pipInstall(
      'python3',
      await indexUrl('team'),
      join(world.scratch, 'site-deep'),
      'deeplib'
    );
    expect(install.output).toContain('Successfully installed deeplib-0.3.0');
    for (const repository of ['team', 'internal', 'pypi-store']) {
      expect(await world.packages(repository, 'pypi')).toMatchObject({ deeplib: ['0.3.0:EXTERNAL'] });
    }
  });

  it('records where a kept copy entered the domain: the upstream repository or the external connection', async () => {
    const dists = await makeDists(join(world.scratch, 'dist-store'), 'storelib', '3.0.0');
    expect((await twine('pypi-store', token, ...dists)).code).toBe(0);
    const install = await pipInstall(
      'python3',
      await indexUrl('internal'),
      join(world.scratch, 'site-o'),
      'storelib'
    );
    expect(install.output).toContain('Successfully installed storelib-3.0.0');
    const origin = async (repository: string, name: string) => {
      const listed = await world.client.send(
        new ListPackageVersionsCommand({ domain: DOMAIN, repository, format: 'pypi', package: name })
      );
      return listed.versions?.[0]?.origin;
    };
    expect(await origin('internal', 'storelib')).toEqual({
      domainEntryPoint: { repositoryName: 'pypi-store' },
      originType: 'EXTERNAL'
    });
    expect(await origin('pypi-store', 'storelib')).toMatchObject({ originType: 'INTERNAL' });
    expect(await origin('internal', 'greeter')).toEqual({
      domainEntryPoint: { externalConnectionName: 'public:pypi' },
      originType: 'EXTERNAL'
    });
  });

  it('serves PEP 691 JSON and PEP 503 HTML with hashes, Requires-Python and PEP 658 metadata', async () => {
    const endpoint = await world.endpoint('pypi', 'pypi-store');
    const authorization = `Basic ${Buffer.from(`aws:${token}`).toString('base64')}`;
    const pipAccept =
      'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01';
    const json = await fetch(`${endpoint}simple/greeter/`, { headers: { authorization, accept: pipAccept } });
    expect(json.headers.get('content-type')).toBe('application/vnd.pypi.simple.v1+json');
    const page = (await json.json()) as { files: Record<string, unknown>[] };
    expect(page.files[0]).toMatchObject({
      filename: 'greeter-1.0.0-py3-none-any.whl',
      url: `${endpoint}simple/greeter/greeter-1.0.0-py3-none-any.whl`,
      'requires-python': '>=3.8',
      'core-metadata': { sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }
    });
    const html = await fetch(`${endpoint}simple/greeter/`, {
      headers: { authorization, accept: 'text/html' }
    });
    const text = await html.text();
    expect(text).toMatch(/href="[^"]+greeter-1\.0\.0-py3-none-any\.whl#sha256=[0-9a-f]{64}"/);
    expect(text).toContain('data-requires-python="&gt;=3.8"');
    expect(text).toMatch(/data-core-metadata="sha256=[0-9a-f]{64}"/);
    const metadata = await fetch(`${endpoint}simple/greeter/greeter-1.0.0-py3-none-any.whl.metadata`, {
      headers: { authorization }
    });
    expect(await metadata.text()).toContain('Requires-Dist: colorlib>=1.0');
    const redirect = await fetch(`${endpoint}simple/Greeter_Lib/`, {
      headers: { authorization },
      redirect: 'manual'
    });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe(`${endpoint}simple/greeter-lib/`);
  });

  it('refuses a wrong token: pip fails, the endpoint answered 401, and nothing is fetched', async () => {
    world.emulator.clearRequestLog();
    const url = await indexUrl('internal', 'not-a-token');
    const run = await pipInstall('python3', url, join(world.scratch, 'site-x'), '-vvv', 'unrelated');
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/\b401\b/);
    const answers = world.emulator.requestLog().filter((entry) => entry.path.includes('/simple/unrelated/'));
    expect(answers.map((entry) => entry.status)).toEqual(expect.arrayContaining([401]));
    expect(answers.every((entry) => entry.status === 401)).toBe(true);
    expect(Object.keys(await world.packages('internal', 'pypi'))).not.toContain('unrelated');
  });
});

describe('twine upload', () => {
  it('uploads an sdist and a wheel that pip installs back, Published in the control plane', async () => {
    const dists = await makeDists(
      join(world.scratch, 'dist-a'),
      'Hello_World',
      '2.0.0',
      '--sdist',
      '--requires-python',
      '>=3.7'
    );
    const upload = await twine('uploads', token, ...dists);
    expect(upload.output).not.toMatch(/HTTPError/);
    expect(upload.code).toBe(0);
    const described = await world.client.send(
      new DescribePackageVersionCommand({
        domain: DOMAIN,
        repository: 'uploads',
        format: 'pypi',
        package: 'hello-world',
        packageVersion: '2.0.0'
      })
    );
    expect(described.packageVersion).toMatchObject({
      status: 'Published',
      format: 'pypi',
      packageName: 'hello-world'
    });
    const install = await pipInstall(
      'python3',
      await indexUrl('uploads'),
      join(world.scratch, 'site-up'),
      'hello-world==2.0.0'
    );
    expect(install.output).toContain('Successfully installed hello-world-2.0.0');
  });

  it('accepts identical bytes again, refuses different bytes with 409, which --skip-existing skips', async () => {
    const original = await makeDists(join(world.scratch, 'dist-b'), 'again', '1.0.0', '--salt', 'one');
    expect((await twine('uploads', token, ...original)).code).toBe(0);
    expect((await twine('uploads', token, ...original)).code).toBe(0);
    const changed = await makeDists(join(world.scratch, 'dist-c'), 'again', '1.0.0', '--salt', 'two');
    const refused = await twine('uploads', token, ...changed);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/409/);
    const skipped = await twine('uploads', token, '--skip-existing', ...changed);
    expect(skipped.code).toBe(0);
    expect(skipped.output).toMatch(/Skipping/);
  });

  it('refuses a digest that does not match the file with 400', async () => {
    const [wheel] = await makeDists(join(world.scratch, 'dist-d'), 'digests', '1.0.0');
    const form = new FormData();
    for (const [name, value] of Object.entries({
      ':action': 'file_upload',
      protocol_version: '1',
      name: 'digests',
      version: '1.0.0',
      filetype: 'bdist_wheel',
      sha256_digest: '0'.repeat(64)
    })) {
      form.append(name, value);
    }
    const bytes = await import('node:fs/promises').then((fs) => fs.readFile(wheel as string));
    form.append('content', new Blob([bytes]), 'digests-1.0.0-py3-none-any.whl');
    const answer = await fetch(await world.endpoint('pypi', 'uploads'), {
      method: 'POST',
      body: form,
      headers: { authorization: `Basic ${Buffer.from(`aws:${token}`).toString('base64')}` }
    });
    expect(answer.status).toBe(400);
    expect(Object.keys(await world.packages('uploads', 'pypi'))).not.toContain('digests');
  });

  it('refuses a wrong token: twine reports 401 and nothing is stored', async () => {
    const dists = await makeDists(join(world.scratch, 'dist-e'), 'intruder', '1.0.0');
    const run = await twine('uploads', 'not-a-token', ...dists);
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/401|Unauthorized|Invalid or non-existent authentication/);
    expect(Object.keys(await world.packages('uploads', 'pypi'))).not.toContain('intruder');
  });
});

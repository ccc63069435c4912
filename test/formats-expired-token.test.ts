/**
 * An authorization token past its expiration: pip, twine, npm and mvn each fail with an authentication
 * error from the repository endpoint, and nothing is stored. The emulator's clock is moved forward
 * instead of waiting out the shortest token lifetime (900 s).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  loggedOperations,
  runTool,
  startWorld,
  withCredentials,
  type FormatsWorld
} from './formats-harness.js';
import { OFFLINE_PLUGIN_VERSIONS } from './fixtures/maven/offline-plugins.js';

const MAKE_DISTS = join(process.cwd(), 'test/fixtures/formats/make_dists.py');
let world: FormatsWorld;
let token: string;
let clockOffsetMs = 0;

beforeAll(async () => {
  world = await startWorld([{ name: 'repo' }], {}, { clock: () => Date.now() + clockOffsetMs });
  token = await world.token(900);
  // One second past the token's expiration.
  clockOffsetMs = 901_000;
});

afterAll(async () => {
  await world?.close();
});

async function storedPackages(): Promise<string[]> {
  const keys = await world.emulator.repository('acme', 'repo')!.listPackages();
  return keys.map((key) => `${key.format}:${key.package}`);
}

describe('an expired authorization token', () => {
  it('is refused to twine, pip, npm and mvn with 401, and nothing is stored', async () => {
    // The SDK signs with real time, now past SigV4's 15-minute skew: build the endpoint URLs by hand.
    const base = `${world.emulator.info.endpoint}/acme-${world.emulator.info.accountId}`;

    const dists = join(world.scratch, 'dists');
    const made = await runTool('python3', [MAKE_DISTS, dists, 'late', '1.0.0']);
    expect(made.code).toBe(0);
    const twine = await runTool(
      '/usr/bin/twine',
      [
        'upload',
        '--non-interactive',
        '--repository-url',
        `${base}/pypi/repo/`,
        ...made.output.trim().split('\n')
      ],
      { env: { TWINE_USERNAME: 'aws', TWINE_PASSWORD: token } }
    );
    expect(twine.code).not.toBe(0);
    expect(twine.output).toMatch(/401|Unauthorized|Invalid or non-existent authentication/i);

    const pip = await runTool(
      'python3',
      [
        ...[
          '-m',
          'pip',
          'download',
          '--no-deps',
          '--no-cache-dir',
          '--no-input',
          '--disable-pip-version-check'
        ],
        ...[
          '--index-url',
          withCredentials(`${base}/pypi/repo/simple/`, token),
          '-d',
          join(world.scratch, 'dl')
        ],
        'late'
      ],
      { env: { PIP_CONFIG_FILE: '/dev/null', PIP_FIND_LINKS: undefined } }
    );
    expect(pip.code).not.toBe(0);
    expect(loggedOperations(world.emulator, '/pypi/repo/simple/late/')).toEqual(
      expect.arrayContaining([expect.stringMatching(/ 401$/)])
    );

    const pkg = join(world.scratch, 'npm-pkg');
    await mkdir(pkg, { recursive: true });
    await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: '@acme/late', version: '1.0.0' }));
    const registry = `${base}/npm/repo/`;
    const npmrc = join(world.scratch, 'npmrc');
    await writeFile(npmrc, `${registry.replace(/^https?:/, '')}:_authToken=\${NPM_TEST_TOKEN}\n`, {
      mode: 0o600
    });
    const npm = await runTool('npm', ['publish', '--registry', registry], {
      cwd: pkg,
      env: {
        npm_config_userconfig: npmrc,
        npm_config_cache: join(world.scratch, 'npm-cache'),
        NPM_TEST_TOKEN: token
      }
    });
    expect(npm.code).not.toBe(0);
    expect(npm.output).toMatch(/E401|401 Unauthorized/);

    // mvn deploy-file of a prebuilt file; the plugin comes from this machine's Maven cache.
    const settings = join(world.scratch, 'settings.xml');
    await writeFile(
      settings,
      '<settings><servers><server><id>codeartifact</id><username>aws</username>' +
        '<password>${env.CODEARTIFACT_AUTH_TOKEN}</password></server></servers></settings>\n'
    );
    const jar = join(world.scratch, 'late.jar');
    await writeFile(jar, 'prebuilt\n');
    const deployPlugin = OFFLINE_PLUGIN_VERSIONS.find(([id]) => id === 'maven-deploy-plugin')![1];
    const mvn = await runTool(
      'mvn',
      [
        ...['-B', '-s', settings],
        `org.apache.maven.plugins:maven-deploy-plugin:${deployPlugin}:deploy-file`,
        ...[`-Durl=${base}/maven/repo/`, '-DrepositoryId=codeartifact', `-Dfile=${jar}`],
        ...['-DgroupId=com.example', '-DartifactId=late', '-Dversion=1.0.0', '-Dpackaging=jar']
      ],
      { cwd: world.scratch, env: { CODEARTIFACT_AUTH_TOKEN: token }, timeoutMs: 180_000 }
    );
    expect(mvn.code).not.toBe(0);
    expect(mvn.output).toMatch(/status code: 401|\b401\b.*Unauthorized/);
    expect(loggedOperations(world.emulator, '/maven/repo/com/example/late/')).toEqual(
      expect.arrayContaining([expect.stringMatching(/ 401$/)])
    );

    expect(await storedPackages()).toEqual([]);
  });
});

/**
 * examples/release.yml as written: one v1.2.3 tag publishes a Python package, a Maven jar, an npm
 * package and a generic archive through the four reusable workflows; each is then fetched back.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { parseConfig, startEmulator, type RunningEmulator } from '@codeartifact-actions/emulator';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMAIN, cleanupRuns, failures, makeProject, run } from './fixtures/workflows/harness.js';
import { mavenRepositoryFiles } from './fixtures/workflows/maven-project.js';

const MAVEN_CACHE = join(homedir(), '.m2', 'repository');

let emulator: RunningEmulator;
let scratch: string;

/** The caller's repository: python/, java/, js/ and docs/. */
async function monorepo(): Promise<string> {
  const files: Record<string, string> = {
    'docs/index.md': '# Handbook 1.2.3\n',
    'js/package.json': JSON.stringify({ name: '@acme/release-widget', version: '1.2.3', main: 'index.js' }),
    'js/index.js': 'module.exports = "widget";\n'
  };
  for (const [path, content] of Object.entries(mavenRepositoryFiles('1.2.3')))
    files[`java/${path}`] = content;
  const project = makeProject(files);
  const python = join(process.cwd(), 'test/fixtures/python/modern');
  for (const name of await readdir(python))
    await cp(join(python, name), join(project, 'python', name), { recursive: true });
  return project;
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'workflow-release-'));
  await cp(MAVEN_CACHE, join(scratch, 'm2'), { recursive: true });
  const config = parseConfig(
    {
      roles: [
        {
          name: 'ci',
          trust: { subjects: ['repo:*'] },
          actions: ['sts:GetServiceBearerToken', 'codeartifact:*']
        }
      ],
      externalConnections: { 'public:maven-central': MAVEN_CACHE },
      domains: [
        {
          name: DOMAIN,
          repositories: [
            { name: 'python-store' },
            { name: 'central-store', externalConnections: ['public:maven-central'] },
            { name: 'maven-store', upstreams: ['central-store'] },
            { name: 'npm-store' },
            { name: 'generic-store' }
          ]
        }
      ]
    },
    'workflow-release'
  );
  emulator = await startEmulator({ config });
}, 120_000);
afterAll(async () => {
  await emulator?.close();
  await rm(scratch, { recursive: true, force: true });
});
afterEach(cleanupRuns);

describe('examples/release.yml', () => {
  it('publishes all four formats on tag v1.2.3 and summarises them', async () => {
    const result = await run('examples/release.yml', {
      event: 'push',
      ref: 'refs/tags/v1.2.3',
      env: { AWS_ENDPOINT_URL: emulator.info.endpoint },
      oidc: emulator.info.oidc,
      vars: {
        CODEARTIFACT_ROLE_ARN: emulator.info.roles[0]!,
        AWS_REGION: emulator.info.region,
        CODEARTIFACT_DOMAIN: DOMAIN,
        MAVEN_ARGS: `-llr -Dmaven.repo.local=${join(scratch, 'm2')}`
      },
      checkout: await monorepo(),
      python: '/usr/bin/python3'
    });
    expect(failures(result)).toBe('');
    expect(result.jobs.summary.summary.split('\n')).toEqual([
      '### Released v1.2.3',
      '- Python 1.2.3',
      '- Maven com.example.wf:greeting:1.2.3',
      '- npm @acme/release-widget@1.2.3',
      '- docs 1.2.3: handbook-1.2.3.tar.gz',
      ''
    ]);
    const stored = async (repository: string, format: string, namespace: string | undefined, name: string) =>
      emulator
        .repository(DOMAIN, repository)!
        .getVersion({ format, namespace, package: name } as never, '1.2.3');
    expect(await stored('python-store', 'pypi', undefined, 'acme-py-demo')).toBeDefined();
    expect(await stored('maven-store', 'maven', 'com.example.wf', 'greeting')).toBeDefined();
    expect(await stored('npm-store', 'npm', 'acme', 'release-widget')).toBeDefined();
    expect(await stored('generic-store', 'generic', 'docs', 'handbook')).toBeDefined();
  });
});

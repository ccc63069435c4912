/** The reusable publish-maven workflow through a caller, run as written; a second project then builds against the jar. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { parseConfig, startEmulator, type RunningEmulator } from '@codeartifact-actions/emulator';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMAIN, cleanupRuns, failures, machine, makeProject, run } from './fixtures/workflows/harness.js';
import { mavenRepositoryFiles } from './fixtures/workflows/maven-project.js';

const CALLER = 'test/fixtures/workflows/caller-maven.yml';
// The machine's Maven cache stands in for Maven Central behind the repository's upstream.
const MAVEN_CACHE = join(homedir(), '.m2', 'repository');
let emulator: RunningEmulator;
let scratch: string;
let mavenArgs: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'workflow-maven-'));
  await cp(MAVEN_CACHE, join(scratch, 'm2'), { recursive: true });
  mavenArgs = `-llr -Dmaven.repo.local=${join(scratch, 'm2')}`;
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
            { name: 'central-store', externalConnections: ['public:maven-central'] },
            { name: 'releases', upstreams: ['central-store'] }
          ]
        }
      ]
    },
    'workflow-maven'
  );
  emulator = await startEmulator({ config });
}, 120_000);
afterAll(async () => {
  await emulator?.close();
  await rm(scratch, { recursive: true, force: true });
});
afterEach(cleanupRuns);

function spec(version: string) {
  const base = machine(emulator, 'releases');
  return {
    ...base,
    vars: { ...base.vars, MAVEN_ARGS: mavenArgs },
    checkout: makeProject(mavenRepositoryFiles(version))
  };
}

describe('publish-maven.yml', () => {
  it('deploys on a v1.2.3 tag push; the next job builds a project against the jar', async () => {
    const result = await run(CALLER, { ...spec('1.2.3'), event: 'push', ref: 'refs/tags/v1.2.3' });
    expect(failures(result)).toBe('');
    expect(result.jobOutputs.publish).toEqual({
      'group-id': 'com.example.wf',
      'artifact-id': 'greeting',
      version: '1.2.3',
      status: 'deployed',
      projects: JSON.stringify([
        { groupId: 'com.example.wf', artifactId: 'greeting', version: '1.2.3', packaging: 'jar' }
      ])
    });
    expect(result.jobs.consume.log).toContain('greeting-1.2.3.jar');
  });

  it('deploys the tag typed into a workflow_dispatch form', async () => {
    const result = await run(CALLER, {
      ...spec('1.3.0'),
      event: 'workflow_dispatch',
      inputs: { version: '1.3.0' }
    });
    expect(failures(result)).toBe('');
    expect(result.jobOutputs.publish.version).toBe('1.3.0');
    expect(result.jobs.consume.log).toContain('greeting-1.3.0.jar');
  });
});

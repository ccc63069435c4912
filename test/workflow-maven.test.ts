/** The reusable publish-maven workflow through a caller, run as written; a second project then builds against the jar. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { parseConfig, startEmulator, type RunningEmulator } from '@codeartifact-actions/emulator';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMAIN, cleanupRuns, failures, machine, makeProject, run } from './fixtures/workflows/harness.js';

const CALLER = 'test/fixtures/workflows/caller-maven.yml';
// The machine's Maven cache stands in for Maven Central behind the repository's upstream.
const MAVEN_CACHE = join(homedir(), '.m2', 'repository');
// Plugin versions whose dependency trees that cache holds.
const PLUGINS = [
  ['maven-resources-plugin', '3.3.1'],
  ['maven-compiler-plugin', '3.13.0'],
  ['maven-surefire-plugin', '3.2.5'],
  ['maven-jar-plugin', '3.4.1'],
  ['maven-install-plugin', '3.1.1'],
  ['maven-deploy-plugin', '3.1.1']
]
  .map(([a, v]) => `<plugin><artifactId>${a}</artifactId><version>${v}</version></plugin>`)
  .join('')
  // The cache lacks part of surefire's own dependency tree; the projects have no tests to run.
  .replace(
    '<artifactId>maven-surefire-plugin</artifactId><version>3.2.5</version>',
    '$&<executions><execution><id>default-test</id><phase>none</phase></execution></executions>'
  );

function pom(artifactId: string, version: string, dependencies = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example.wf</groupId>
  <artifactId>${artifactId}</artifactId>
  <version>${version}</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>${dependencies}</dependencies>
  <build><plugins>${PLUGINS}</plugins></build>
</project>
`;
}

/** The caller's repository: a jar project, and under app/ a project that depends on it. */
function repositoryFiles(version: string): Record<string, string> {
  const dependency = `<dependency><groupId>com.example.wf</groupId><artifactId>greeting</artifactId><version>${version}</version></dependency>`;
  return {
    'pom.xml': pom('greeting', version),
    'src/main/java/com/example/wf/Greeting.java':
      'package com.example.wf;\npublic class Greeting { public static String text() { return "hello"; } }\n',
    'app/pom.xml': pom('app', '0.1.0', dependency),
    'app/src/main/java/com/example/wf/App.java':
      'package com.example.wf;\npublic class App { String text = Greeting.text(); }\n'
  };
}

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
    checkout: makeProject(repositoryFiles(version))
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
      status: 'deployed'
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

/**
 * publish-maven end to end: the bundled action runs through the local runner after
 * setup-codeartifact, with the real mvn, against the local CodeArtifact.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { offlinePluginsXml } from './fixtures/maven/offline-plugins.js';
import {
  CodeartifactClient,
  DeletePackageVersionsCommand,
  DescribePackageVersionCommand
} from '@aws-sdk/client-codeartifact';
import { parseConfig, startEmulator, type RunningEmulator } from '@codeartifact-actions/emulator';
import { runJob, type JobResult, type StepSpec } from '@codeartifact-actions/runner';

const ACTION = 'actions/publish-maven';
// The machine's Maven cache stands in for Maven Central behind the repository's upstream.
const MAVEN_CACHE = join(homedir(), '.m2', 'repository');
const PLUGINS = offlinePluginsXml();

// A role that may read and look versions up but not publish.
const READER_ACTIONS = [
  'sts:GetServiceBearerToken',
  'codeartifact:GetAuthorizationToken',
  'codeartifact:GetRepositoryEndpoint',
  'codeartifact:ReadFromRepository',
  'codeartifact:DescribePackageVersion'
];

let emulator: RunningEmulator;
let client: CodeartifactClient;
let scratch: string;
/** A writable copy of the machine's cache: the deploying builds' local repository. */
let localRepository: string;
const finished: JobResult[] = [];

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'maven-publish-'));
  localRepository = join(scratch, 'm2');
  await cp(MAVEN_CACHE, localRepository, { recursive: true });
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
      externalConnections: { 'public:maven-central': MAVEN_CACHE },
      domains: [
        {
          name: 'acme',
          repositories: [
            { name: 'central-store', externalConnections: ['public:maven-central'] },
            { name: 'releases', upstreams: ['central-store'] }
          ]
        }
      ]
    },
    'maven-publish'
  );
  emulator = await startEmulator({ config });
  client = new CodeartifactClient({
    endpoint: emulator.info.endpoint,
    region: emulator.info.region,
    credentials: emulator.info.credentials
  });
}, 120_000);

afterAll(async () => {
  client?.destroy();
  await emulator?.close();
  await rm(scratch, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(finished.splice(0).map((result) => result.cleanup()));
  emulator.clearRequestLog();
});

function pom(artifactId: string, version: string, dependencies = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example.e2e</groupId>
  <artifactId>${artifactId}</artifactId>
  <version>\${revision}</version>
  <properties>
    <revision>${version}</revision>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <project.build.outputTimestamp>2024-01-01T00:00:00Z</project.build.outputTimestamp>
  </properties>
  <dependencies>${dependencies}</dependencies>
  <build><plugins>${PLUGINS}</plugins></build>
</project>
`;
}

/** A workspace holding a one-class jar project. */
async function project(name: string, artifactId: string, version: string, source: string, dependencies = '') {
  const workspace = join(scratch, name);
  const sources = join(workspace, 'src/main/java/com/example/e2e');
  await mkdir(sources, { recursive: true });
  await writeFile(join(workspace, 'pom.xml'), pom(artifactId, version, dependencies));
  await writeFile(join(sources, `${/class (\w+)/.exec(source)?.[1]}.java`), source);
  return workspace;
}

async function job(
  workspace: string,
  ref: string,
  inputs: Record<string, string>,
  after: StepSpec[] = [],
  role = 0
) {
  const result = await runJob(
    {
      permissions: { 'id-token': 'write' },
      oidc: { requestUrl: emulator.info.oidc.requestUrl, requestToken: emulator.info.oidc.requestToken },
      env: { AWS_ENDPOINT_URL: emulator.info.endpoint, AWS_REGION: emulator.info.region },
      github: { repository: 'acme/lib', ref },
      workspace,
      steps: [
        {
          id: 'setup',
          uses: 'actions/setup-codeartifact',
          with: {
            'role-to-assume': emulator.info.roles[role],
            domain: 'acme',
            repository: 'releases',
            tools: 'maven'
          }
        },
        {
          id: 'publish',
          uses: ACTION,
          with: { 'maven-args': `-llr -Dmaven.repo.local=${localRepository}`, ...inputs }
        },
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

async function versionStatus(artifactId: string, version: string) {
  const answer = await client.send(
    new DescribePackageVersionCommand({
      domain: 'acme',
      repository: 'releases',
      format: 'maven',
      namespace: 'com.example.e2e',
      package: artifactId,
      packageVersion: version
    })
  );
  return answer.packageVersion?.status;
}

function operations(name: string) {
  return emulator.requestLog().filter((entry) => entry.operation === name);
}

const GREETING =
  'package com.example.e2e;\npublic class Greeting { public static String text() { return "hello"; } }\n';

describe('publish-maven end to end', () => {
  it('deploys a jar project on tag v1.2.3, and a second project builds against it through the repository', async () => {
    const workspace = await project('greeting', 'greeting', '1.2.3', GREETING);
    const app = join(workspace, 'app');
    await mkdir(join(app, 'src/main/java/com/example/e2e'), { recursive: true });
    await writeFile(
      join(app, 'pom.xml'),
      pom(
        'app',
        '0.1.0',
        '<dependency><groupId>com.example.e2e</groupId><artifactId>greeting</artifactId><version>1.2.3</version></dependency>'
      )
    );
    await writeFile(
      join(app, 'src/main/java/com/example/e2e/App.java'),
      'package com.example.e2e;\npublic class App { String text = Greeting.text(); }\n'
    );
    const consume: StepSpec = {
      id: 'consume',
      'working-directory': 'app',
      // A fresh local repository: the jar can only come from CodeArtifact (plugins through its upstream).
      run: 'mvn -B -ntp -s "$HOME/.m2/settings.xml" -Dmaven.repo.local="$RUNNER_TEMP/m2-app" compile && ls "$RUNNER_TEMP/m2-app/com/example/e2e/greeting/1.2.3"'
    };
    const result = await job(workspace, 'refs/tags/v1.2.3', {}, [consume]);
    expect(step(result, 'publish').log).toContain('BUILD SUCCESS');
    expect(result.conclusion).toBe('success');
    expect(step(result, 'publish').outputs).toMatchObject({
      'group-id': 'com.example.e2e',
      'artifact-id': 'greeting',
      version: '1.2.3',
      status: 'deployed'
    });
    expect(JSON.parse(step(result, 'publish').outputs.projects ?? '')).toEqual([
      { groupId: 'com.example.e2e', artifactId: 'greeting', version: '1.2.3', packaging: 'jar' }
    ]);
    expect(await versionStatus('greeting', '1.2.3')).toBe('Published');
    expect(step(result, 'consume').log).toContain('greeting-1.2.3.jar');
    expect(result.summary).toContain('com.example.e2e:greeting:1.2.3');
    // The token reaches mvn through the environment only.
    const token = result.env.CODEARTIFACT_AUTH_TOKEN;
    expect(result.argv.flat().join(' ')).not.toContain(token);
    expect(result.log).not.toContain(token);
    // The settings file with the token reference lived under RUNNER_TEMP for the step only.
    expect((await readdir(result.runnerTemp)).filter((name) => name.startsWith('publish-maven-'))).toEqual(
      []
    );
  });

  it('skips a release already Published without building (if-exists: skip), or fails clearly (fail)', async () => {
    const workspace = await project(
      'greeting-again',
      'greeting',
      '1.2.3',
      GREETING.replace('hello', 'changed')
    );
    const skipped = await job(workspace, 'refs/tags/v1.2.3', { 'if-exists': 'skip' });
    expect(skipped.conclusion).toBe('success');
    expect(step(skipped, 'publish').outputs.status).toBe('skipped');
    expect(step(skipped, 'publish').log).not.toContain('BUILD');

    const refused = await job(workspace, 'refs/tags/v1.2.3', { 'if-exists': 'fail' });
    expect(refused.conclusion).toBe('failure');
    expect(step(refused, 'publish').log).toMatch(
      /com\.example\.e2e:greeting:1\.2\.3 is already Published in repository "releases", and a release version cannot be replaced/
    );
    expect(step(refused, 'publish').log).not.toContain('BUILD');
  });

  it('deploys every module of a reactor build, skips them all on a re-run, and completes a deploy that stopped part-way', async () => {
    const workspace = join(scratch, 'reactor');
    const parent = (artifactId: string) =>
      `<parent><groupId>com.example.e2e</groupId><artifactId>${artifactId}</artifactId><version>\${revision}</version></parent>`;
    const module = async (dir: string, body: string, source?: string) => {
      await mkdir(join(workspace, dir, 'src/main/java/com/example/e2e'), { recursive: true });
      await writeFile(
        join(workspace, dir, 'pom.xml'),
        `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>${body}</project>\n`
      );
      if (source) {
        await writeFile(
          join(workspace, dir, `src/main/java/com/example/e2e/${/class (\w+)/.exec(source)?.[1]}.java`),
          source
        );
      }
    };
    await module(
      '.',
      '<groupId>com.example.e2e</groupId><artifactId>reactor</artifactId><version>${revision}</version><packaging>pom</packaging>' +
        '<properties><revision>4.0.0</revision><maven.compiler.release>17</maven.compiler.release>' +
        '<project.build.sourceEncoding>UTF-8</project.build.sourceEncoding><project.build.outputTimestamp>2024-01-01T00:00:00Z</project.build.outputTimestamp></properties>' +
        `<modules><module>core</module><module>app</module><module>bench</module></modules><build><plugins>${PLUGINS}</plugins></build>`
    );
    await module('core', `${parent('reactor')}<artifactId>reactor-core</artifactId>`, GREETING);
    await module(
      'app',
      `${parent('reactor')}<artifactId>reactor-app</artifactId><dependencies><dependency><groupId>com.example.e2e</groupId><artifactId>reactor-core</artifactId><version>\${project.version}</version></dependency></dependencies>`,
      'package com.example.e2e;\npublic class App { String text = Greeting.text(); }\n'
    );
    await module(
      'bench',
      `${parent('reactor')}<artifactId>reactor-bench</artifactId><properties><maven.deploy.skip>true</maven.deploy.skip></properties>`
    );

    const first = await job(workspace, 'refs/tags/v4.0.0', { 'skip-tests': 'true' });
    expect(first.conclusion).toBe('success');
    const projects = JSON.parse(step(first, 'publish').outputs.projects ?? '') as Array<{
      artifactId: string;
    }>;
    expect(projects.map((p) => p.artifactId)).toEqual(['reactor', 'reactor-core', 'reactor-app']);
    for (const artifactId of ['reactor', 'reactor-core', 'reactor-app']) {
      expect({ artifactId, status: await versionStatus(artifactId, '4.0.0') }).toEqual({
        artifactId,
        status: 'Published'
      });
    }
    await expect(versionStatus('reactor-bench', '4.0.0')).rejects.toThrow(
      "reactor-bench' (maven) does not exist"
    );
    expect(first.summary).toContain('reactor-core');

    const again = await job(workspace, 'refs/tags/v4.0.0', { 'skip-tests': 'true' });
    expect(again.conclusion).toBe('success');
    expect(step(again, 'publish').outputs.status).toBe('skipped');
    expect(step(again, 'publish').log).toContain(
      '(3 of 3 projects) are already Published in repository "releases"'
    );
    expect(step(again, 'publish').log).not.toContain('BUILD');

    // A deploy that stopped before its last module: the rest is deployed, identical bytes accepted again.
    await client.send(
      new DeletePackageVersionsCommand({
        domain: 'acme',
        repository: 'releases',
        format: 'maven',
        namespace: 'com.example.e2e',
        package: 'reactor-app',
        versions: ['4.0.0']
      })
    );
    const resumed = await job(workspace, 'refs/tags/v4.0.0', { 'skip-tests': 'true' });
    expect(resumed.conclusion).toBe('success');
    expect(step(resumed, 'publish').log).toMatch(
      /A previous deploy stopped part-way: com\.example\.e2e:reactor:4\.0\.0, com\.example\.e2e:reactor-core:4\.0\.0 already Published, com\.example\.e2e:reactor-app:4\.0\.0 not/
    );
    expect(await versionStatus('reactor-app', '4.0.0')).toBe('Published');
  });

  it('deploys a SNAPSHOT again on every run', async () => {
    const workspace = await project('snapshot', 'snappy', '2.0.0-SNAPSHOT', GREETING);
    for (const run of [1, 2]) {
      const result = await job(workspace, 'refs/heads/main', { 'skip-tests': 'true' });
      expect({ run, conclusion: result.conclusion }).toEqual({ run, conclusion: 'success' });
      expect(step(result, 'publish').outputs.status).toBe('deployed');
    }
    const metadata = await fetch(
      `${emulator.info.endpoint}/acme-${emulator.info.accountId}/maven/releases/com/example/e2e/snappy/2.0.0-SNAPSHOT/maven-metadata.xml`,
      { headers: { authorization: `Basic ${Buffer.from(`aws:${await token()}`).toString('base64')}` } }
    );
    expect(await metadata.text()).toMatch(/<buildNumber>2<\/buildNumber>/);
  });

  it('deploys a prebuilt jar with deploy-file', async () => {
    const workspace = join(scratch, 'prebuilt');
    await mkdir(join(workspace, 'out'), { recursive: true });
    await writeFile(join(workspace, 'out', 'tool.txt'), 'prebuilt tool\n');
    execFileSync('jar', ['cf', 'out/tool.jar', '-C', 'out', 'tool.txt'], { cwd: workspace });
    const result = await job(workspace, 'refs/tags/v3.1.0', {
      file: 'out/tool.jar',
      'group-id': 'com.example.e2e',
      'artifact-id': 'tool',
      version: '3.1.0'
    });
    expect(step(result, 'publish').log).toContain('BUILD SUCCESS');
    expect(step(result, 'publish').outputs).toMatchObject({
      'artifact-id': 'tool',
      version: '3.1.0',
      status: 'deployed'
    });
    expect(await versionStatus('tool', '3.1.0')).toBe('Published');
  });
});

async function token(): Promise<string> {
  const { GetAuthorizationTokenCommand } = await import('@aws-sdk/client-codeartifact');
  return (await client.send(new GetAuthorizationTokenCommand({ domain: 'acme' })))
    .authorizationToken as string;
}

describe('publish-maven without publish permission', () => {
  it('names the permissions to add when the repository answers 403', async () => {
    const workspace = await project('denied', 'denied', '5.0.0', GREETING);
    const result = await job(workspace, 'refs/heads/main', { 'skip-tests': 'true' }, [], 1);
    expect(result.conclusion).toBe('failure');
    expect(step(result, 'publish').log).toMatch(
      /refused with 403: the role may not publish to repository "releases"\. Allow "codeartifact:PublishPackageVersion" and "codeartifact:PutPackageMetadata"/
    );
  });
});

describe('publish-maven refuses before building', () => {
  it('fails when the tag does not match the POM version, with no AWS call and no build', async () => {
    const workspace = await project('mismatch', 'mismatch', '1.2.3', GREETING);
    const result = await job(workspace, 'refs/tags/v1.2.4', {});
    expect(result.conclusion).toBe('failure');
    const log = step(result, 'publish').log;
    expect(log).toContain('The tag names version 1.2.4 but');
    expect(log).toContain('says 1.2.3');
    expect(log).not.toContain('BUILD');
    expect(operations('DescribePackageVersion')).toEqual([]);
  });

  it('fails clearly when the working directory has no pom.xml', async () => {
    const workspace = join(scratch, 'empty');
    await mkdir(workspace, { recursive: true });
    const result = await job(workspace, 'refs/heads/main', {});
    expect(result.conclusion).toBe('failure');
    expect(step(result, 'publish').log).toMatch(/Input "working-directory": there is no .*pom\.xml/);
  });
});

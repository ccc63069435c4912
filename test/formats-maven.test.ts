/**
 * mvn against the local CodeArtifact's Maven endpoint: deploy, a second project that builds
 * through a `mirrorOf *` settings.xml, release and SNAPSHOT re-deploys, and the wire rules
 * (checksums, Unfinished until maven-metadata.xml) seen directly.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { offlinePluginsXml } from './fixtures/maven/offline-plugins.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribePackageVersionCommand } from '@aws-sdk/client-codeartifact';
import { DOMAIN, loggedOperations, runTool, startWorld, type FormatsWorld } from './formats-harness.js';

// The machine's Maven cache holds the plugins a build needs; it stands in for Maven Central.
const MAVEN_CACHE = join(homedir(), '.m2', 'repository');

const PLUGINS = offlinePluginsXml();

let world: FormatsWorld;
let token: string;
let endpoint: string;
let settings: string;

function pom(artifactId: string, version: string, dependencies = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId>
  <artifactId>${artifactId}</artifactId>
  <version>${version}</version>
  <packaging>jar</packaging>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>${dependencies}</dependencies>
  <build>
    <plugins>${PLUGINS}
    </plugins>
  </build>
  <distributionManagement>
    <repository><id>codeartifact</id><url>${endpoint}</url></repository>
    <snapshotRepository><id>codeartifact</id><url>${endpoint}</url></snapshotRepository>
  </distributionManagement>
</project>
`;
}

async function project(name: string, artifactId: string, version: string, source: string, dependencies = '') {
  const folder = join(world.scratch, name);
  const sources = join(folder, 'src/main/java/com/example');
  await mkdir(sources, { recursive: true });
  await writeFile(join(folder, 'pom.xml'), pom(artifactId, version, dependencies));
  await writeFile(join(sources, `${source.match(/class (\w+)/)?.[1]}.java`), source);
  return folder;
}

function mvn(folder: string, localRepository: string, goals: string[], withToken = token) {
  return runTool('mvn', ['-B', '-s', settings, `-Dmaven.repo.local=${localRepository}`, ...goals], {
    cwd: folder,
    env: { CODEARTIFACT_AUTH_TOKEN: withToken },
    timeoutMs: 240_000
  });
}

async function status(artifactId: string, version: string): Promise<string | undefined> {
  const answer = await world.client.send(
    new DescribePackageVersionCommand({
      domain: DOMAIN,
      repository: 'maven-repo',
      format: 'maven',
      namespace: 'com.example',
      package: artifactId,
      packageVersion: version
    })
  );
  return answer.packageVersion?.status;
}

function put(path: string, body: string) {
  return fetch(`${endpoint}${path}`, {
    method: 'PUT',
    body,
    headers: { authorization: `Basic ${Buffer.from(`aws:${token}`).toString('base64')}` }
  });
}

beforeAll(async () => {
  world = await startWorld(
    [
      { name: 'central-store', externalConnections: ['public:maven-central'] },
      { name: 'maven-repo', upstreams: ['central-store'] }
    ],
    { 'public:maven-central': MAVEN_CACHE }
  );
  token = await world.token();
  endpoint = await world.endpoint('maven', 'maven-repo');
  settings = join(world.scratch, 'settings.xml');
  await writeFile(
    settings,
    `<settings>
  <servers><server><id>codeartifact</id><username>aws</username><password>\${env.CODEARTIFACT_AUTH_TOKEN}</password></server></servers>
  <mirrors><mirror><id>codeartifact</id><mirrorOf>*</mirrorOf><url>${endpoint}</url></mirror></mirrors>
</settings>
`
  );
});

afterAll(async () => {
  await world?.close();
});

describe('mvn deploy and a dependent build through a mirrorOf * settings.xml', () => {
  const deployRepository = () => join(world.scratch, 'm2-deploy');

  it('deploys a jar project, Published, with plugins fetched through the upstream and kept', async () => {
    expect(existsSync(MAVEN_CACHE)).toBe(true);
    const folder = await project(
      'greeting',
      'greeting',
      '1.0.0',
      'package com.example;\npublic class Greeting { public static String text() { return "hello"; } }\n'
    );
    const deploy = await mvn(folder, deployRepository(), ['deploy']);
    expect(deploy.output).toContain('BUILD SUCCESS');
    expect(deploy.code).toBe(0);
    expect(await status('greeting', '1.0.0')).toBe('Published');
    const packages = await world.packages('maven-repo', 'maven');
    expect(packages['com.example/greeting']).toEqual(['1.0.0:INTERNAL']);
    expect(packages['org.apache.maven.plugins/maven-deploy-plugin']?.[0]).toMatch(/:EXTERNAL$/);
    expect(Object.keys(await world.packages('central-store', 'maven'))).toContain(
      'org.apache.maven.plugins/maven-deploy-plugin'
    );
  });

  it('builds a second project that depends on it, served from the repository without the upstream', async () => {
    world.emulator.clearRequestLog();
    const dependency =
      '<dependency><groupId>com.example</groupId><artifactId>greeting</artifactId><version>1.0.0</version></dependency>';
    const folder = await project(
      'app',
      'app',
      '1.0.0',
      'package com.example;\npublic class App { String t = Greeting.text(); }\n',
      dependency
    );
    const build = await mvn(folder, join(world.scratch, 'm2-app'), ['package']);
    expect(build.output).toContain('BUILD SUCCESS');
    expect(build.code).toBe(0);
    const operations = loggedOperations(world.emulator, '/maven/maven-repo/');
    expect(operations).toContain('maven:GetFile 200');
    expect(operations.filter((operation) => operation.includes('upstream='))).toEqual([]);
  });

  it('refuses a release re-deploy with different bytes: 409 in mvn output', async () => {
    const folder = await project(
      'greeting-changed',
      'greeting',
      '1.0.0',
      'package com.example;\npublic class Greeting { public static String text() { return "changed"; } }\n'
    );
    const deploy = await mvn(folder, deployRepository(), ['deploy']);
    expect(deploy.code).not.toBe(0);
    expect(deploy.output).toMatch(/\b409\b/);
  });

  it('accepts new builds of a SNAPSHOT version', async () => {
    const source =
      'package com.example;\npublic class Greeting { public static String text() { return "snap"; } }\n';
    const folder = await project('greeting-snapshot', 'greeting', '1.1.0-SNAPSHOT', source);
    expect((await mvn(folder, deployRepository(), ['deploy'])).code).toBe(0);
    await writeFile(join(folder, 'src/main/java/com/example/Greeting.java'), source.replace('snap', 'snap2'));
    const second = await mvn(folder, deployRepository(), ['deploy']);
    expect(second.output).toContain('BUILD SUCCESS');
    const version = await world.client.send(
      new DescribePackageVersionCommand({
        domain: DOMAIN,
        repository: 'maven-repo',
        format: 'maven',
        namespace: 'com.example',
        package: 'greeting',
        packageVersion: '1.1.0-SNAPSHOT'
      })
    );
    expect(version.packageVersion?.status).toBe('Published');
    const metadata = await fetch(`${endpoint}com/example/greeting/1.1.0-SNAPSHOT/maven-metadata.xml`, {
      headers: { authorization: `Basic ${Buffer.from(`aws:${token}`).toString('base64')}` }
    });
    expect(await metadata.text()).toMatch(/<buildNumber>2<\/buildNumber>/);
  });

  it('refuses a wrong token: mvn deploy reports 401 and nothing is stored', async () => {
    const folder = await project(
      'intruder',
      'intruder',
      '1.0.0',
      'package com.example;\npublic class Intruder {}\n'
    );
    const deploy = await mvn(folder, deployRepository(), ['deploy'], 'not-a-token');
    expect(deploy.code).not.toBe(0);
    expect(deploy.output).toMatch(/\b401\b/);
    expect(Object.keys(await world.packages('maven-repo', 'maven'))).not.toContain('com.example/intruder');
  });
});

describe('the Maven wire rules', () => {
  const base = 'com/example/wire/2.0.0';

  it('keeps a version Unfinished until its maven-metadata.xml, and checks checksums', async () => {
    expect(
      (await put(`${base}/wire-2.0.0.jar.sha1`, 'da39a3ee5e6b4b0d3255bfef95601890afd80709')).status
    ).toBe(404);
    expect((await put(`${base}/wire-2.0.0.jar`, 'jar bytes')).status).toBe(201);
    expect(await status('wire', '2.0.0')).toBe('Unfinished');
    expect(
      (await put(`${base}/wire-2.0.0.jar.sha1`, 'da39a3ee5e6b4b0d3255bfef95601890afd80709')).status
    ).toBe(400);
    const sha1 = (await import('node:crypto')).createHash('sha1').update('jar bytes').digest('hex');
    expect((await put(`${base}/wire-2.0.0.jar.sha1`, sha1)).status).toBe(201);
    expect((await put(`${base}/wire-2.0.0.jar`, 'jar bytes')).status).toBe(200);
    expect((await put(`${base}/wire-2.0.0.jar`, 'other bytes')).status).toBe(409);
    const metadata =
      '<metadata><groupId>com.example</groupId><artifactId>wire</artifactId><versioning><versions><version>2.0.0</version></versions></versioning></metadata>';
    expect((await put('com/example/wire/maven-metadata.xml', metadata)).status).toBe(201);
    expect(await status('wire', '2.0.0')).toBe('Published');
    const served = await fetch(`${endpoint}com/example/wire/maven-metadata.xml`, {
      headers: { authorization: `Basic ${Buffer.from(`aws:${token}`).toString('base64')}` }
    });
    const xml = await served.text();
    expect(xml).toContain('<latest>2.0.0</latest>');
    expect(xml).toContain('<release>2.0.0</release>');
    expect(xml).toMatch(/<lastUpdated>\d{14}<\/lastUpdated>/);
  });
});

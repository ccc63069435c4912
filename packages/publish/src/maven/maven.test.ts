import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  altDeploymentRepository,
  describeDeployFailure,
  deployStatusCode,
  writeDeploySettings
} from './deploy.js';
import { parsePom, userProperties } from './pom.js';
import { mavenArguments, resolveMavenTarget } from './publish.js';
import { readPublishMavenSettings, splitArguments } from './settings.js';

const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'maven');

function project(inner: string): string {
  return `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>${inner}</project>`;
}

describe('parsePom', () => {
  it('resolves a CI-friendly ${revision} version from <properties>, and a -D override wins', () => {
    const xml = project(
      '<groupId>g</groupId><artifactId>a</artifactId><version>${revision}${changelist}</version>' +
        '<properties><revision>1.2.3</revision><changelist>-SNAPSHOT</changelist></properties>'
    );
    expect(parsePom(xml).version).toBe('1.2.3-SNAPSHOT');
    expect(parsePom(xml, userProperties(['-Dchangelist=', '-Pprod'])).version).toBe('1.2.3');
  });

  it('takes groupId and version from the parent, and resolves ${project.version} in them', () => {
    const xml = project(
      '<parent><groupId>org.acme</groupId><artifactId>parent</artifactId><version>4.0.1</version></parent><artifactId>child</artifactId>'
    );
    expect(parsePom(xml)).toMatchObject({
      groupId: 'org.acme',
      artifactId: 'child',
      version: '4.0.1',
      packaging: 'jar'
    });
  });

  it('leaves a version it cannot resolve undefined, keeping the raw text for the message', () => {
    const info = parsePom(
      project('<groupId>g</groupId><artifactId>a</artifactId><version>${unknown}</version>')
    );
    expect(info.version).toBeUndefined();
    expect(info.rawVersion).toBe('${unknown}');
  });

  it('finds the deploy plugin version in build plugins or pluginManagement, through properties', () => {
    const plugins = (where: string) =>
      project(
        '<groupId>g</groupId><artifactId>a</artifactId><version>1</version><properties><deploy.version>2.8.2</deploy.version></properties>' +
          `<build>${where}</build>`
      );
    const plugin =
      '<plugin><artifactId>maven-deploy-plugin</artifactId><version>${deploy.version}</version></plugin>';
    expect(parsePom(plugins(`<plugins>${plugin}</plugins>`)).deployPluginVersion).toBe('2.8.2');
    expect(
      parsePom(plugins(`<pluginManagement><plugins>${plugin}</plugins></pluginManagement>`))
        .deployPluginVersion
    ).toBe('2.8.2');
    expect(parsePom(plugins('')).deployPluginVersion).toBeUndefined();
  });

  it('refuses text that is not a POM', () => {
    expect(() => parsePom('<settings/>')).toThrow('has no <project> element');
  });
});

describe('altDeploymentRepository', () => {
  it('uses id::url for deploy plugin 3.x and id::default::url for 2.x or an unknown version', () => {
    expect(altDeploymentRepository('ca', 'https://x/maven/r/', '3.1.1')).toBe('ca::https://x/maven/r/');
    expect(altDeploymentRepository('ca', 'https://x/maven/r/', '2.8.2')).toBe(
      'ca::default::https://x/maven/r/'
    );
    expect(altDeploymentRepository('ca', 'https://x/maven/r/')).toBe('ca::default::https://x/maven/r/');
  });
});

describe('deploy failures from real mvn output', () => {
  const target = { repository: 'rel', coordinates: 'com.example:lib:1.2.3', version: '1.2.3' };
  const fixture = async (name: string) => (await readFile(join(FIXTURES, name), 'utf8')).split('\n');

  it('reads the HTTP status mvn reported', async () => {
    expect(deployStatusCode(await fixture('deploy-401.txt'))).toBe(401);
    expect(deployStatusCode(await fixture('deploy-409.txt'))).toBe(409);
    expect(deployStatusCode(['[INFO] BUILD FAILURE', '[ERROR] compilation failed'])).toBeUndefined();
  });

  it('says a release cannot be replaced and points at reproducible builds on 409', async () => {
    const message = describeDeployFailure({ exitCode: 1, output: await fixture('deploy-409.txt') }, target);
    expect(message).toContain('a release version cannot be replaced');
    expect(message).toContain('project.build.outputTimestamp');
  });

  it('says the token was not accepted on 401', async () => {
    expect(describeDeployFailure({ exitCode: 1, output: await fixture('deploy-401.txt') }, target)).toContain(
      'the CodeArtifact token was not accepted'
    );
  });
});

describe('writeDeploySettings', () => {
  let dir: string;
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps the user's mirrors and servers, adds only the server with an env reference, mode 0600", async () => {
    dir = await mkdtemp(join(tmpdir(), 'deploy-settings-'));
    await mkdir(join(dir, 'home', '.m2'), { recursive: true });
    await writeFile(
      join(dir, 'home', '.m2', 'settings.xml'),
      '<settings><servers><server><id>corp</id><username>me</username></server></servers>' +
        '<mirrors><mirror><id>corp</id><mirrorOf>*</mirrorOf><url>https://corp/m2</url></mirror></mirrors></settings>'
    );
    const path = await writeDeploySettings(dir, join(dir, 'home'), 'codeartifact', 'https://ca/maven/r/');
    const xml = await readFile(path, 'utf8');
    expect(xml).toContain('<id>corp</id>');
    expect(xml).toContain('<url>https://corp/m2</url>');
    expect(xml).toMatch(
      /<id>codeartifact<\/id>\s*<username>aws<\/username>\s*<password>\$\{env\.CODEARTIFACT_AUTH_TOKEN\}<\/password>/
    );
    expect(xml).not.toContain('https://ca/maven/r/');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });
});

describe('readPublishMavenSettings', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  function inputs(values: Record<string, string>) {
    for (const [name, value] of Object.entries(values)) process.env[`INPUT_${name.toUpperCase()}`] = value;
  }

  it('checks the tag against the version by default only on tag refs', () => {
    inputs({ repository: 'rel' });
    expect(readPublishMavenSettings({ GITHUB_REF: 'refs/tags/v1.2.3' }).expectedVersion).toBe('1.2.3');
    expect(readPublishMavenSettings({ GITHUB_REF: 'refs/heads/main' }).expectedVersion).toBeUndefined();
    inputs({ 'version-check': 'false' });
    expect(readPublishMavenSettings({ GITHUB_REF: 'refs/tags/v1.2.3' }).expectedVersion).toBeUndefined();
  });

  it('names the input when deploy-file inputs come without a file, or the file without coordinates', () => {
    inputs({ repository: 'rel', 'group-id': 'g' });
    expect(() => readPublishMavenSettings({})).toThrow('Input "group-id" only applies to deploy-file mode');
    inputs({ file: 'x.jar' });
    expect(() => readPublishMavenSettings({})).toThrow('Input "artifact-id" is required with "file"');
  });

  it('refuses a server id Maven cannot use and a repository that is missing', () => {
    inputs({ repository: 'rel', 'server-id': 'my server' });
    expect(() => readPublishMavenSettings({})).toThrow('Input "server-id"');
    delete process.env.INPUT_REPOSITORY;
    delete process.env['INPUT_SERVER-ID'];
    expect(() => readPublishMavenSettings({})).toThrow('Input "repository" is required');
  });
});

describe('splitArguments', () => {
  it('splits on spaces and keeps quoted groups together', () => {
    expect(splitArguments(`-Pprod -Dmsg="two words" -Dq='a b'c`)).toEqual([
      '-Pprod',
      '-Dmsg=two words',
      '-Dq=a bc'
    ]);
    expect(splitArguments('')).toEqual([]);
  });
});

describe('resolveMavenTarget', () => {
  let dir: string;
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function settingsFor(workingDirectory: string, expectedVersion?: string) {
    process.env.INPUT_REPOSITORY = 'rel';
    const settings = readPublishMavenSettings({});
    delete process.env.INPUT_REPOSITORY;
    return { ...settings, workingDirectory, expectedVersion };
  }

  it('reads the coordinates without Maven and refuses a tag that names another version', async () => {
    dir = await mkdtemp(join(tmpdir(), 'maven-target-'));
    await writeFile(
      join(dir, 'pom.xml'),
      project(
        '<groupId>g</groupId><artifactId>a</artifactId><version>${revision}</version><properties><revision>2.0.0</revision></properties>'
      )
    );
    const target = await resolveMavenTarget(await settingsFor('.'), dir);
    expect(target.coordinates).toEqual({ groupId: 'g', artifactId: 'a', version: '2.0.0', packaging: 'jar' });
    await expect(resolveMavenTarget(await settingsFor('.', '2.0.1'), dir)).rejects.toThrow(
      /The tag names version 2\.0\.1 but .*pom\.xml says 2\.0\.0/
    );
  });

  it("lists a reactor's modules with inherited ${revision}, groupId and version, leaving out maven.deploy.skip", async () => {
    dir = await mkdtemp(join(tmpdir(), 'maven-target-'));
    const parent =
      '<parent><groupId>g</groupId><artifactId>root</artifactId><version>${revision}</version></parent>';
    await writeFile(
      join(dir, 'pom.xml'),
      project(
        '<groupId>g</groupId><artifactId>root</artifactId><version>${revision}</version><packaging>pom</packaging>' +
          '<properties><revision>3.1.0</revision></properties><modules><module>core</module><module>tools</module></modules>'
      )
    );
    await mkdir(join(dir, 'core'));
    await writeFile(join(dir, 'core', 'pom.xml'), project(`${parent}<artifactId>core</artifactId>`));
    // An aggregator that is not deployed itself, with a module that is, and one that is not.
    await mkdir(join(dir, 'tools', 'cli'), { recursive: true });
    await mkdir(join(dir, 'tools', 'bench'));
    await writeFile(
      join(dir, 'tools', 'pom.xml'),
      project(
        `${parent}<artifactId>tools</artifactId><packaging>pom</packaging><properties><maven.deploy.skip>true</maven.deploy.skip></properties>` +
          '<modules><module>cli</module><module>bench</module></modules>'
      )
    );
    const toolsParent = parent.replace('<artifactId>root</artifactId>', '<artifactId>tools</artifactId>');
    await writeFile(
      join(dir, 'tools', 'cli', 'pom.xml'),
      project(
        `${toolsParent}<artifactId>cli</artifactId><properties><maven.deploy.skip>false</maven.deploy.skip></properties>`
      )
    );
    await writeFile(
      join(dir, 'tools', 'bench', 'pom.xml'),
      project(`${toolsParent}<artifactId>bench</artifactId>`)
    );

    const target = await resolveMavenTarget(await settingsFor('.', '3.1.0'), dir);
    expect(target.coordinates.artifactId).toBe('root');
    expect(target.deployed.map((c) => `${c.groupId}:${c.artifactId}:${c.version}:${c.packaging}`)).toEqual([
      'g:root:3.1.0:pom',
      'g:core:3.1.0:jar',
      'g:cli:3.1.0:jar'
    ]);

    await writeFile(
      join(dir, 'pom.xml'),
      project(
        '<groupId>g</groupId><artifactId>root</artifactId><version>1</version><modules><module>gone</module></modules>'
      )
    );
    await expect(resolveMavenTarget(await settingsFor('.'), dir)).rejects.toThrow(
      /pom\.xml lists module "gone", but there is no .*gone\/pom\.xml/
    );
  });

  it('falls back to mvn help:evaluate for a version it cannot resolve, and says what to give when that fails too', async () => {
    dir = await mkdtemp(join(tmpdir(), 'maven-target-'));
    await writeFile(
      join(dir, 'pom.xml'),
      project('<groupId>g</groupId><artifactId>a</artifactId><version>${from.somewhere}</version>')
    );
    await expect(resolveMavenTarget(await settingsFor('.'), dir)).rejects.toThrow(
      /"\$\{from\.somewhere\}" .* could not be resolved from the POM, and mvn help:evaluate failed\. Give the property in "maven-args"/
    );
  }, 60_000);
});

describe('deploy-file targets and mvn arguments', () => {
  let dir: string;
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function deployFileSettings(values: Record<string, string>) {
    for (const [name, value] of Object.entries({ repository: 'rel', ...values })) {
      process.env[`INPUT_${name.toUpperCase()}`] = value;
    }
    try {
      return readPublishMavenSettings({});
    } finally {
      for (const name of Object.keys({ repository: 'rel', ...values }))
        delete process.env[`INPUT_${name.toUpperCase()}`];
    }
  }

  it('takes coordinates from pom-file, lets inputs override them, and runs deploy-file with both', async () => {
    dir = await mkdtemp(join(tmpdir(), 'deploy-file-'));
    await writeFile(join(dir, 'tool.war'), 'war bytes');
    await writeFile(
      join(dir, 'tool.pom'),
      project(
        '<groupId>org.acme</groupId><artifactId>tool</artifactId><version>7.0.0</version><packaging>war</packaging>'
      )
    );
    const settings = await deployFileSettings({
      file: 'tool.war',
      'pom-file': 'tool.pom',
      classifier: 'linux'
    });
    const target = await resolveMavenTarget(settings, dir);
    expect(target.coordinates).toEqual({
      groupId: 'org.acme',
      artifactId: 'tool',
      version: '7.0.0',
      packaging: 'war'
    });
    const args = mavenArguments(settings, target, '/tmp/settings.xml', 'https://ca/maven/rel/');
    expect(args).toEqual(
      expect.arrayContaining([
        'org.apache.maven.plugins:maven-deploy-plugin:3.1.1:deploy-file',
        `-Dfile=${join(dir, 'tool.war')}`,
        `-DpomFile=${join(dir, 'tool.pom')}`,
        '-DrepositoryId=codeartifact',
        '-Durl=https://ca/maven/rel/',
        '-Dclassifier=linux'
      ])
    );
    const overridden = await resolveMavenTarget(
      await deployFileSettings({ file: 'tool.war', 'pom-file': 'tool.pom', version: '7.0.1' }),
      dir
    );
    expect(overridden.coordinates.version).toBe('7.0.1');
  });

  it('refuses a file that is not there', async () => {
    dir = await mkdtemp(join(tmpdir(), 'deploy-file-'));
    const settings = await deployFileSettings({
      file: 'missing.jar',
      'group-id': 'g',
      'artifact-id': 'a',
      version: '1'
    });
    await expect(resolveMavenTarget(settings, dir)).rejects.toThrow('Input "file": there is no file');
  });

  it('runs a project deploy in batch mode with -s, the user arguments, skipTests and the alternate repository', () => {
    const settings = {
      repository: 'rel',
      workingDirectory: '.',
      mavenArgs: ['-Pprod'],
      goals: ['clean', 'deploy'],
      skipTests: true,
      serverId: 'ca',
      ifExists: 'skip' as const,
      deployPluginVersion: '3.1.1'
    };
    const coordinates = { groupId: 'g', artifactId: 'a', version: '1', packaging: 'jar' };
    const target = {
      coordinates,
      deployed: [coordinates],
      projectDir: '/p',
      mode: 'project' as const,
      deployPluginVersion: '3.1.1'
    };
    expect(mavenArguments(settings, target, '/t/settings.xml', 'https://ca/maven/rel/')).toEqual([
      '-B',
      '-ntp',
      '-s',
      '/t/settings.xml',
      '-Pprod',
      '-DskipTests',
      '-DaltDeploymentRepository=ca::https://ca/maven/rel/',
      'clean',
      'deploy'
    ]);
  });
});

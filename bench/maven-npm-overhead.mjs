#!/usr/bin/env node
// The overhead publish-maven and publish-npm add beyond the mvn / npm run itself (settings, AWS
// calls, checks, summary), beside plain `mvn deploy` / `npm publish` with hand-written settings,
// against an in-process local CodeArtifact. Rounds alternate action and plain runs (BENCH_ROUNDS, default 3).
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { offlinePluginsXml } from '../test/fixtures/maven/offline-plugins.js';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import {
  CodeartifactClient,
  GetAuthorizationTokenCommand,
  GetRepositoryEndpointCommand
} from '@aws-sdk/client-codeartifact';
import { parseConfig, startEmulator } from '../packages/emulator/lib/index.js';
import { runAction } from '../packages/runner/lib/index.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const MAVEN_CACHE = join(homedir(), '.m2', 'repository');
const PLUGINS = offlinePluginsXml();

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

async function timed(work) {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

async function mavenProject(dir, artifactId, version) {
  await mkdir(join(dir, 'src/main/java/bench'), { recursive: true });
  await writeFile(
    join(dir, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>bench</groupId><artifactId>${artifactId}</artifactId><version>${version}</version>
<properties><maven.compiler.release>17</maven.compiler.release><project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>
<build><plugins>${PLUGINS}</plugins></build></project>\n`
  );
  await writeFile(join(dir, 'src/main/java/bench/Lib.java'), 'package bench;\npublic class Lib {}\n');
}

async function npmPackage(dir, name, version) {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, version, main: 'index.js' }));
  await writeFile(join(dir, 'index.js'), `module.exports = ${JSON.stringify(version)};\n`);
}

/** Runs the bundled action; returns its wall time and the tool's own time from its log line. */
async function actionRun(action, workspace, home, inputs, env, toolPattern) {
  const { ms, result } = await timed(() =>
    runAction(
      action,
      inputs,
      { workspace, env, home, github: { ref: 'refs/heads/main' } },
      { repoRoot: root }
    )
  );
  await result.cleanup();
  if (result.conclusion !== 'success') throw new Error(`${action} failed:\n${result.log.slice(-2000)}`);
  const tool = Number(toolPattern.exec(result.log)?.[1]);
  const pack = Number(/Packed \S+ in (\d+) ms/.exec(result.log)?.[1] ?? 0);
  return { wall: ms, tool, pack };
}

const work = await mkdtemp(join(tmpdir(), 'maven-npm-bench-'));
const config = parseConfig(
  {
    externalConnections: { 'public:maven-central': MAVEN_CACHE },
    domains: [{ name: 'bench', repositories: [{ name: 'store' }] }]
  },
  'bench'
);
const emulator = await startEmulator({ config });
try {
  const { info } = emulator;
  const client = new CodeartifactClient({
    endpoint: info.endpoint,
    region: info.region,
    credentials: info.credentials
  });
  const token = (await client.send(new GetAuthorizationTokenCommand({ domain: 'bench' }))).authorizationToken;
  const endpoint = async (format) =>
    (await client.send(new GetRepositoryEndpointCommand({ domain: 'bench', repository: 'store', format })))
      .repositoryEndpoint;
  const mavenUrl = await endpoint('maven');
  const npmUrl = await endpoint('npm');
  client.destroy();
  const localRepository = join(work, 'm2');
  await cp(MAVEN_CACHE, localRepository, { recursive: true });
  const mavenArgs = ['-llr', `-Dmaven.repo.local=${localRepository}`];
  const env = {
    AWS_ENDPOINT_URL: info.endpoint,
    AWS_REGION: info.region,
    AWS_ACCESS_KEY_ID: info.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: info.credentials.secretAccessKey,
    CODEARTIFACT_DOMAIN: 'bench',
    CODEARTIFACT_REPOSITORY: 'store'
  };
  // Both sides resolve through the repository (a mirror), as after setup-codeartifact: nothing reaches Maven Central.
  const mirror = `<mirrors><mirror><id>ca</id><mirrorOf>*</mirrorOf><url>${mavenUrl}</url></mirror></mirrors>`;
  const server =
    '<servers><server><id>ca</id><username>aws</username><password>${env.CODEARTIFACT_AUTH_TOKEN}</password></server></servers>';
  const home = join(work, 'home');
  await mkdir(join(home, '.m2'), { recursive: true });
  await writeFile(join(home, '.m2', 'settings.xml'), `<settings>${server}${mirror}</settings>\n`);
  const handSettings = join(work, 'settings.xml');
  await writeFile(handSettings, `<settings>${server}${mirror}</settings>\n`);
  const handNpmrc = join(work, 'npmrc');
  await writeFile(
    handNpmrc,
    `@bench:registry=${npmUrl}\n${npmUrl.replace(/^https?:/, '')}:_authToken=\${CODEARTIFACT_AUTH_TOKEN}\n`
  );
  const toolEnv = { ...process.env, CODEARTIFACT_AUTH_TOKEN: token };

  const figures = {
    mavenAction: [],
    mavenInside: [],
    mavenPlain: [],
    npmAction: [],
    npmInside: [],
    npmPlain: [],
    npmPack: []
  };
  for (let round = 1; round <= rounds; round++) {
    const actionDir = join(work, `mvn-action-${round}`);
    await mavenProject(actionDir, 'action-lib', `1.0.${round}`);
    const maven = await actionRun(
      'actions/publish-maven',
      actionDir,
      home,
      { 'maven-args': mavenArgs.join(' ') },
      env,
      /mvn finished in (\d+) ms/
    );
    figures.mavenAction.push(maven.wall);
    figures.mavenInside.push(maven.tool);
    const plainDir = join(work, `mvn-plain-${round}`);
    await mavenProject(plainDir, 'plain-lib', `1.0.${round}`);
    const plain = await timed(() =>
      run(
        'mvn',
        [
          '-B',
          '-ntp',
          '-s',
          handSettings,
          ...mavenArgs,
          `-DaltDeploymentRepository=ca::${mavenUrl}`,
          'deploy'
        ],
        {
          cwd: plainDir,
          env: toolEnv
        }
      )
    );
    figures.mavenPlain.push(plain.ms);

    const npmDir = join(work, `npm-action-${round}`);
    await npmPackage(npmDir, '@bench/action-pkg', `1.0.${round}`);
    const npm = await actionRun(
      'actions/publish-npm',
      npmDir,
      home,
      {},
      env,
      /npm publish finished in (\d+) ms/
    );
    figures.npmAction.push(npm.wall);
    figures.npmInside.push(npm.tool);
    figures.npmPack.push(npm.pack);
    const npmPlainDir = join(work, `npm-plain-${round}`);
    await npmPackage(npmPlainDir, '@bench/plain-pkg', `1.0.${round}`);
    const npmPlain = await timed(() =>
      run('npm', ['publish'], { cwd: npmPlainDir, env: { ...toolEnv, NPM_CONFIG_USERCONFIG: handNpmrc } })
    );
    figures.npmPlain.push(npmPlain.ms);
    console.log(`round ${round}/${rounds} done`);
  }

  const rows = [
    ['publish-maven', figures.mavenAction, figures.mavenInside, figures.mavenPlain, 'mvn deploy'],
    ['publish-npm', figures.npmAction, figures.npmInside, figures.npmPlain, 'npm publish']
  ];
  console.log(
    `\nmedians of ${rounds} rounds (action step run through the local runner, node start included)`
  );
  for (const [name, action, inside, plain, tool] of rows) {
    const overhead = median(action.map((ms, i) => ms - inside[i]));
    console.log(
      `${name}: step ${seconds(median(action))}, of which ${tool} ${seconds(median(inside))}; ` +
        `action overhead ${seconds(overhead)} | plain ${tool} with hand-written settings ${seconds(median(plain))}`
    );
  }
  console.log(
    `publish-npm overhead includes npm pack (for the integrity check): ${seconds(median(figures.npmPack))}`
  );
} finally {
  await emulator.close();
  await rm(work, { recursive: true, force: true });
}

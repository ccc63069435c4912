#!/usr/bin/env node
// `npm run demo`: a whole release, run locally as GitHub would run it, against the local CodeArtifact.
//  1. The emulator starts with story 3's layout: per-format stores, an aggregated `internal-store`
//     in front of them, and external connections standing in for PyPI and Maven Central.
//  2. examples/release.yml runs on a v1.2.3 tag push: the four reusable workflows publish a Python
//     package, a Maven jar, an npm package and a generic archive.
//  3. A consumer job sets up CodeArtifact with setup-codeartifact and installs all of it back with
//     the real pip, npm and mvn, and download-generic.
// DEMO_VERBOSE=1 prints every step's log as it runs.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { startEmulator } from '@codeartifact-actions/emulator';
import { runJob, runWorkflow } from '@codeartifact-actions/runner';
import { offlinePluginsXml } from '../test/fixtures/maven/offline-plugins.js';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'codeartifact-demo-'));
const mavenCache = join(homedir(), '.m2', 'repository');
const echo = process.env.DEMO_VERBOSE === '1';
const say = (line = '') => console.log(line);
const DOMAIN = 'acme';

function writeFiles(folder, files) {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), content);
  }
  return folder;
}

const PLUGINS = offlinePluginsXml({ withoutTests: true });

function pom(artifactId, version, dependencies = '') {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.acme</groupId>
  <artifactId>${artifactId}</artifactId>
  <version>${version}</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <project.build.outputTimestamp>2024-01-01T00:00:00Z</project.build.outputTimestamp>
  </properties>
  <dependencies>${dependencies}</dependencies>
  <build><plugins>${PLUGINS}</plugins></build>
</project>
`;
}

/** The releasing repository: python/, java/, js/ and docs/, as examples/release.yml expects. */
function releasingRepository() {
  const folder = writeFiles(join(work, 'release-repo'), {
    'python/pyproject.toml': [
      '[build-system]',
      'requires = ["setuptools>=61"]',
      'build-backend = "setuptools.build_meta"',
      '[project]',
      'name = "acme-greeter"',
      'version = "1.2.3"',
      'description = "Greets, from CodeArtifact"',
      'readme = "README.md"',
      'requires-python = ">=3.8"',
      '[tool.setuptools]',
      'packages = ["acme_greeter"]',
      ''
    ].join('\n'),
    'python/README.md': '# acme-greeter\n\nGreets, from CodeArtifact.\n',
    'python/acme_greeter/__init__.py': 'def greet():\n    return "hello from acme-greeter 1.2.3"\n',
    'java/pom.xml': pom('greeting', '1.2.3'),
    'java/src/main/java/com/acme/Greeting.java':
      'package com.acme;\npublic class Greeting { public static String text() { return "hello"; } }\n',
    'js/package.json': JSON.stringify({ name: '@acme/widget', version: '1.2.3', main: 'index.js' }, null, 2),
    'js/index.js': 'module.exports = () => "widget 1.2.3";\n',
    'docs/secret-mission.txt': 'The eagle lands at midnight.\n'
  });
  execFileSync('git', ['init', '-q'], { cwd: folder });
  return folder;
}

/** The consuming repository: requirements.txt, a Maven app depending on the jar, a package.json. */
function consumingRepository() {
  const dependency =
    '<dependency><groupId>com.acme</groupId><artifactId>greeting</artifactId><version>1.2.3</version></dependency>';
  return writeFiles(join(work, 'consumer-repo'), {
    'requirements.txt': 'acme-greeter==1.2.3\ndemo-flask==3.0.0\n',
    'pom.xml': pom('app', '0.1.0', dependency),
    'src/main/java/com/acme/App.java':
      'package com.acme;\npublic class App { public static void main(String[] a) { System.out.println(Greeting.text()); } }\n',
    'package.json': JSON.stringify({ name: 'consumer', version: '0.0.0', private: true }, null, 2)
  });
}

function emulatorConfig() {
  const pypiMirror = join(work, 'pypi-mirror');
  mkdirSync(pypiMirror, { recursive: true });
  const make = join(root, 'test', 'fixtures', 'formats', 'make_dists.py');
  execFileSync('python3', [make, pypiMirror, 'demo-markupsafe', '2.1.0']);
  execFileSync('python3', [make, pypiMirror, 'demo-flask', '3.0.0', '--requires', 'demo-markupsafe>=2.0']);
  const file = join(work, 'emulator.json');
  const store = (name, description, more = {}) => ({ name, description, ...more });
  writeFileSync(
    file,
    JSON.stringify({
      oidc: { claims: { repository: 'acme/release-demo' } },
      externalConnections: { 'public:pypi': pypiMirror, 'public:maven-central': mavenCache },
      domains: [
        {
          name: DOMAIN,
          repositories: [
            store('pip-store', 'PyPI', { externalConnections: ['public:pypi'] }),
            store('central-store', 'Maven Central', { externalConnections: ['public:maven-central'] }),
            store('python-store', 'Python packages we publish'),
            store('maven-store', 'Jars we publish', { upstreams: ['central-store'] }),
            store('npm-store', 'npm packages we publish'),
            store('generic-store', 'Archives and binaries'),
            store('internal-store', 'What builds read', {
              upstreams: ['python-store', 'pip-store', 'maven-store', 'npm-store']
            })
          ]
        }
      ]
    })
  );
  return file;
}

function consumerSteps() {
  const mvn = 'mvn -B -ntp -q -s "$HOME/.m2/settings.xml" -Dmaven.repo.local="$RUNNER_TEMP/m2"';
  return [
    {
      id: 'setup',
      name: 'Set up CodeArtifact (pip, npm, maven)',
      uses: 'actions/setup-codeartifact',
      with: {
        'role-to-assume': '${{ env.ROLE_ARN }}',
        domain: DOMAIN,
        repository: 'internal-store',
        tools: 'pip, npm, maven',
        'npm-scopes': '@acme'
      }
    },
    {
      name: 'pip install -r requirements.txt',
      run: [
        'python3 -m pip install -q --no-cache-dir --disable-pip-version-check --target "$RUNNER_TEMP/site" -r requirements.txt',
        'PYTHONPATH="$RUNNER_TEMP/site" python3 -c "import acme_greeter, demo_flask; print(acme_greeter.greet())"'
      ].join('\n')
    },
    {
      name: 'npm install @acme/widget',
      run: 'npm install --no-audit --no-fund --silent @acme/widget@1.2.3 && node -e "console.log(require(\'@acme/widget\')())"'
    },
    {
      name: 'mvn compile (dependencies through the mirror)',
      run: `${mvn} compile && echo "compiled against com.acme:greeting:1.2.3"`
    },
    {
      name: 'Download the docs archive',
      uses: 'actions/download-generic',
      with: {
        repository: 'generic-store',
        namespace: 'docs',
        package: 'handbook',
        version: 'latest',
        path: '${{ runner.temp }}/handbook',
        extract: 'true'
      }
    },
    { name: 'Read it', run: 'cat "$RUNNER_TEMP/handbook/docs/secret-mission.txt"' }
  ];
}

/** The job summary (Markdown with HTML tables, as core.summary writes it) as terminal text. */
function summaryAsText(html) {
  return html
    .replace(/<h\d>(.*?)<\/h\d>/g, '\n$1\n')
    .replace(/<\/t[dh]>/g, ' | ')
    .replace(/<tr>/g, '  | ')
    .replace(/<\/tr>/g, '\n')
    .replace(/<li>/g, '  - ')
    .replace(/<\/li>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function lastLine(text) {
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/\x1b\[[0-9;]*m/g, '');
  return plain.trim().split('\n').filter(Boolean).pop() ?? '';
}

async function main() {
  say('1. Starting the local CodeArtifact (story 3 layout: per-format stores behind internal-store)…');
  const emulator = await startEmulator({ config: emulatorConfig() });
  const { info } = emulator;
  say(`   ${info.endpoint}  account ${info.accountId}  role ${info.roles[0]}`);
  const localRepository = join(work, 'm2');
  cpSync(mavenCache, localRepository, { recursive: true });
  const runs = [];
  let ok = false;
  try {
    say('\n2. Tag v1.2.3 pushed: examples/release.yml calls the four reusable workflows…');
    const release = await runWorkflow(
      'examples/release.yml',
      {
        event: 'push',
        ref: 'refs/tags/v1.2.3',
        env: { AWS_ENDPOINT_URL: info.endpoint },
        oidc: info.oidc,
        vars: {
          CODEARTIFACT_ROLE_ARN: info.roles[0],
          AWS_REGION: info.region,
          CODEARTIFACT_DOMAIN: DOMAIN,
          MAVEN_ARGS: `-llr -Dmaven.repo.local=${localRepository}`
        },
        checkout: releasingRepository(),
        python: '/usr/bin/python3'
      },
      { repoRoot: root, echo }
    );
    runs.push(release);
    for (const [id, job] of Object.entries(release.jobs)) say(`   ${job.conclusion.padEnd(8)} job ${id}`);
    for (const error of release.errors) say(`   error: ${error}`);
    say(summaryAsText(release.jobs.summary?.summary ?? '').replace(/^/gm, '   '));
    if (release.conclusion !== 'success')
      throw new Error('the release workflow failed (DEMO_VERBOSE=1 shows its log)');

    say('\n3. A consumer job installs what was released, through internal-store…');
    const consumer = await runJob(
      {
        env: { AWS_ENDPOINT_URL: info.endpoint, AWS_REGION: info.region, ROLE_ARN: info.roles[0] },
        permissions: { 'id-token': 'write', contents: 'read' },
        oidc: info.oidc,
        github: { repository: 'acme/consumer', ref: 'refs/heads/main' },
        workspace: consumingRepository(),
        steps: consumerSteps()
      },
      { repoRoot: root, echo }
    );
    runs.push(consumer);
    for (const step of consumer.steps) {
      const said = step.phase === 'main' && step.log && !step.id ? `  -> ${lastLine(step.log)}` : '';
      say(`   ${step.conclusion.padEnd(8)} ${step.name}${said}`);
    }
    if (consumer.conclusion !== 'success') {
      say(consumer.log);
      throw new Error('the consumer job failed');
    }
    const calls = emulator.requestLog();
    const byOperation = {};
    for (const entry of calls) {
      const op = entry.operation.replace(/ upstream=.*/, ' (through an upstream)');
      byOperation[op] = (byOperation[op] ?? 0) + 1;
    }
    say(`\n   The local CodeArtifact served ${calls.length} requests:`);
    for (const [op, n] of Object.entries(byOperation).sort()) say(`   ${String(n).padStart(5)}  ${op}`);
    const cached = await emulator.repository(DOMAIN, 'internal-store').listPackages();
    const named = cached.filter((p) => p.format !== 'maven' || p.namespace === 'com.acme');
    const names = named.map((p) => `${p.format}:${p.namespace ? `${p.namespace}/` : ''}${p.package}`);
    say(`   internal-store now keeps copies of ${names.join(', ')}`);
    say(
      `   and of the ${cached.length - named.length} Maven plugins and parents the build resolved through it.`
    );
    ok = true;
  } catch (error) {
    say(`\nThe demo failed: ${error.message}`);
  } finally {
    await Promise.all(runs.map((r) => r.cleanup()));
    await emulator.close();
    rmSync(work, { recursive: true, force: true });
  }
  say(`\nResult: ${ok ? 'success' : 'failure'}`);
  say(
    'On a real AWS account: create the OIDC provider, roles and stores (infra/terraform, or the policies in'
  );
  say('docs/iam), set the repository variables CODEARTIFACT_ROLE_ARN, AWS_REGION and CODEARTIFACT_DOMAIN,');
  say(
    'copy examples/release.yml into .github/workflows/ (OWNER/REPO = this repository), and push a v1.2.3 tag.'
  );
  process.exitCode = ok ? 0 : 1;
}

await main();

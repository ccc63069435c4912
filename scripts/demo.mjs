#!/usr/bin/env node
// `npm run demo`: a release job run locally, as GitHub would run it, against the local CodeArtifact.
// It starts the emulator with a story-3 style layout (per-format stores behind an aggregated
// `internal-store`, a generic store), then runs one job through the local runner:
// setup-codeartifact (OIDC -> role -> token -> pip and twine configured), pip install through the
// PyPI upstream, publish-generic of a folder on tag v1.2.3, download-generic of it back.
// Set DEMO_VERBOSE=1 to see every step's log as it runs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator } from '@codeartifact-actions/emulator';
import { runJob } from '@codeartifact-actions/runner';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'codeartifact-demo-'));
const say = (line = '') => console.log(line);

/** A PyPI stand-in for the `public:pypi` external connection: two small wheels, built offline. */
function buildPypiMirror(folder) {
  mkdirSync(folder, { recursive: true });
  const make = join(root, 'test', 'fixtures', 'formats', 'make_dists.py');
  execFileSync('python3', [make, folder, 'demo-markupsafe', '2.1.0']);
  execFileSync('python3', [make, folder, 'demo-flask', '3.0.0', '--requires', 'demo-markupsafe>=2.0']);
}

function writeConfig() {
  const mirror = join(work, 'pypi-mirror');
  buildPypiMirror(mirror);
  const config = {
    oidc: { claims: { repository: 'acme/release-demo', ref: 'refs/tags/v1.2.3' } },
    domains: [
      {
        name: 'acme',
        repositories: [
          {
            name: 'pypi-store',
            description: 'PyPI through an external connection',
            externalConnections: ['public:pypi']
          },
          { name: 'generic-store', description: 'Binaries and archives' },
          { name: 'internal-store', description: 'What builds read', upstreams: ['pypi-store'] }
        ]
      }
    ],
    externalConnections: { 'public:pypi': mirror }
  };
  const file = join(work, 'emulator.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

function writeWorkspace() {
  const workspace = join(work, 'workspace');
  mkdirSync(join(workspace, 'mission'), { recursive: true });
  writeFileSync(join(workspace, 'mission', 'secret-mission.txt'), 'The eagle lands at midnight.\n');
  writeFileSync(join(workspace, 'requirements.txt'), 'demo-flask==3.0.0\n');
  return workspace;
}

const steps = [
  {
    id: 'setup',
    name: 'Set up CodeArtifact',
    uses: 'actions/setup-codeartifact',
    with: {
      'role-to-assume': '${{ env.ROLE_ARN }}',
      domain: 'acme',
      repository: 'internal-store',
      tools: 'pip, twine'
    }
  },
  {
    name: 'pip install -r requirements.txt (through the PyPI upstream)',
    run: [
      'python3 -m pip install --quiet --no-cache-dir --disable-pip-version-check --target "$RUNNER_TEMP/site" -r requirements.txt',
      'PYTHONPATH="$RUNNER_TEMP/site" python3 -c "import demo_flask, demo_markupsafe; print(\'imported demo_flask\', demo_flask.VERSION)"'
    ].join('\n')
  },
  {
    id: 'publish',
    name: 'Publish the mission folder as a generic package',
    uses: 'actions/publish-generic',
    with: {
      repository: 'generic-store',
      namespace: 'secret-mission',
      package: 'secret-mission',
      path: 'mission'
    }
  },
  {
    id: 'download',
    name: 'Download it back and extract it',
    uses: 'actions/download-generic',
    with: {
      repository: 'generic-store',
      namespace: 'secret-mission',
      package: 'secret-mission',
      version: '${{ steps.publish.outputs.version }}',
      path: '${{ runner.temp }}/fetched',
      extract: 'true'
    }
  },
  { name: 'Read the message', run: 'cat "$RUNNER_TEMP/fetched/mission/secret-mission.txt"' }
];

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

async function main() {
  say('Starting the local CodeArtifact…');
  const emulator = await startEmulator({ config: writeConfig() });
  let result;
  try {
    const { info } = emulator;
    say(`  endpoint ${info.endpoint}, account ${info.accountId}, role ${info.roles[0]}`);
    say('Running the release job (tag v1.2.3) through the local runner…');
    result = await runJob(
      {
        env: { AWS_ENDPOINT_URL: info.endpoint, AWS_REGION: info.region, ROLE_ARN: info.roles[0] },
        permissions: { 'id-token': 'write', contents: 'read' },
        oidc: info.oidc,
        github: { repository: 'acme/release-demo', ref: 'refs/tags/v1.2.3' },
        workspace: writeWorkspace(),
        steps
      },
      { repoRoot: root, echo: process.env.DEMO_VERBOSE === '1' }
    );
    say();
    for (const step of result.steps) say(`  ${step.conclusion.padEnd(8)} ${step.name}`);
    const message = result.steps.find((s) => s.name === 'Read the message');
    if (message?.log) say(`\nThe message, downloaded back: ${message.log.trim().split('\n').pop()}`);
    say('\nJob summary:\n');
    say(summaryAsText(result.summary));
    const calls = emulator.requestLog();
    const byOperation = {};
    for (const entry of calls) byOperation[entry.operation] = (byOperation[entry.operation] ?? 0) + 1;
    say(`\nRequests the local CodeArtifact served: ${calls.length}`);
    for (const [op, n] of Object.entries(byOperation).sort()) say(`  ${String(n).padStart(4)}  ${op}`);
    if (result.conclusion !== 'success') {
      say('\nThe job failed; its log:\n');
      say(result.log);
    }
  } finally {
    await result?.cleanup();
    await emulator.close();
    rmSync(work, { recursive: true, force: true });
  }
  say(`\nResult: ${result?.conclusion ?? 'failure'}`);
  say('On a real AWS account: create the OIDC provider and role (docs/, infra/terraform), then use the same');
  say('steps in a workflow with `permissions: id-token: write` and your role ARN; see README.md.');
  process.exitCode = result?.conclusion === 'success' ? 0 : 1;
}

await main();

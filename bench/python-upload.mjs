#!/usr/bin/env node
// publish-python beyond the build: the bundled action (build: false, so OIDC + STS + token + endpoint,
// twine check, the simple-page comparison, twine upload and the read-back) through the local runner, beside
// a plain `twine upload` of the same files with a token already in hand. One run each, against the emulator.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CodeartifactClient,
  GetAuthorizationTokenCommand,
  GetRepositoryEndpointCommand
} from '@aws-sdk/client-codeartifact';
import { parseConfig, startEmulator } from '../packages/emulator/lib/index.js';
import { runJob } from '../packages/runner/lib/index.js';

const root = resolve(import.meta.dirname, '..');
const PYTHON = '/usr/bin/python3';

if (spawnSync(PYTHON, ['-c', 'import build, twine'], { stdio: 'ignore' }).status !== 0) {
  console.log(
    'python-upload: /usr/bin/python3 lacks build or twine (apt-get install python3-build twine); skipped.'
  );
  process.exit(0);
}

const config = parseConfig(
  {
    roles: [
      {
        name: 'ci',
        trust: { subjects: ['repo:*'] },
        actions: ['sts:GetServiceBearerToken', 'codeartifact:*']
      }
    ],
    domains: [{ name: 'acme', repositories: [{ name: 'via-action' }, { name: 'via-twine' }] }]
  },
  'python-upload bench'
);
const emulator = await startEmulator({ config });
const work = await mkdtemp(join(tmpdir(), 'python-upload-bench-'));
try {
  const project = join(work, 'project');
  await cp(join(root, 'test/fixtures/python/modern'), project, { recursive: true });
  execFileSync(PYTHON, ['-m', 'build', '--no-isolation', '--outdir', 'dist', '.'], {
    cwd: project,
    stdio: 'ignore'
  });
  const files = execFileSync('ls', [join(project, 'dist')])
    .toString()
    .trim()
    .split('\n');

  const action = async (repository) => {
    const started = performance.now();
    const result = await runJob(
      {
        permissions: { 'id-token': 'write' },
        oidc: { requestUrl: emulator.info.oidc.requestUrl, requestToken: emulator.info.oidc.requestToken },
        env: { AWS_ENDPOINT_URL: emulator.info.endpoint, AWS_REGION: emulator.info.region },
        github: { repository: 'acme/app', ref: 'refs/tags/v1.2.3' },
        workspace: project,
        steps: [
          {
            uses: 'actions/publish-python',
            with: {
              python: PYTHON,
              build: false,
              'role-to-assume': emulator.info.roles[0],
              domain: 'acme',
              repository
            }
          }
        ]
      },
      { repoRoot: root }
    );
    const ms = performance.now() - started;
    await result.cleanup();
    if (result.conclusion !== 'success') throw new Error(`publish-python failed:\n${result.log}`);
    return ms;
  };

  const client = new CodeartifactClient({
    endpoint: emulator.info.endpoint,
    region: emulator.info.region,
    credentials: emulator.info.credentials
  });
  const token = (await client.send(new GetAuthorizationTokenCommand({ domain: 'acme' }))).authorizationToken;
  const endpoint = (
    await client.send(
      new GetRepositoryEndpointCommand({ domain: 'acme', repository: 'via-twine', format: 'pypi' })
    )
  ).repositoryEndpoint;
  client.destroy();

  const actionMs = await action('via-action');
  const rerunMs = await action('via-action');
  const twineStarted = performance.now();
  // The emulator runs in this process: twine must run asynchronously, or the emulator cannot answer it.
  const twine = await promisify(execFile)(
    PYTHON,
    [
      '-m',
      'twine',
      'upload',
      '--non-interactive',
      '--disable-progress-bar',
      '--repository-url',
      endpoint,
      ...files.map((f) => join(project, 'dist', f))
    ],
    { env: { ...process.env, TWINE_USERNAME: 'aws', TWINE_PASSWORD: token } }
  );
  const twineMs = performance.now() - twineStarted;
  if (!/View at|Uploading/.test(twine.stdout + twine.stderr)) console.log(twine.stdout, twine.stderr);

  console.log(`files: ${files.join(', ')}`);
  console.log(
    `publish-python upload path (OIDC, STS, token, endpoint, twine check, simple page, twine upload, read-back): ${actionMs.toFixed(0)} ms`
  );
  console.log(
    `publish-python re-run (same files already published, nothing uploaded): ${rerunMs.toFixed(0)} ms`
  );
  console.log(`plain twine upload of the same files (token already in hand): ${twineMs.toFixed(0)} ms`);
  console.log(
    `action beyond plain twine: ${(actionMs - twineMs).toFixed(0)} ms (${(actionMs / twineMs).toFixed(2)}x)`
  );
} finally {
  await emulator.close();
  await rm(work, { recursive: true, force: true });
}

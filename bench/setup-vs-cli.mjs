#!/usr/bin/env node
// setup-codeartifact beside the AWS CLI doing the same job, in one run against a spawned
// codeartifact-local: OIDC token -> role session -> CodeArtifact token -> pip, npm and Maven
// configured. Reports wall time (median of 3) and the requests each way made.
// The CLI way: `aws sts assume-role-with-web-identity`, `aws codeartifact login --tool pip`,
// `login --tool npm`, `get-authorization-token` (Maven has no login; its settings.xml reads the token).
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnEmulator } from '../packages/emulator/lib/index.js';
import { runAction } from '../packages/runner/lib/index.js';

const root = resolve(import.meta.dirname, '..');
const ROUNDS = 3;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function admin(info, path, method = 'GET') {
  const response = await fetch(`${info.admin}${path}`, { method });
  return method === 'GET' ? response.json() : undefined;
}

async function requestsDuring(info, work) {
  await admin(info, '/requests', 'DELETE');
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  const { requests } = await admin(info, '/requests');
  return { ms, requests: requests.length };
}

async function setupAction(info) {
  const result = await runAction(
    'actions/setup-codeartifact',
    { 'role-to-assume': info.roles[0], domain: 'bench', repository: 'store', tools: 'pip, npm, maven' },
    {
      env: { AWS_ENDPOINT_URL: info.endpoint, AWS_REGION: info.region },
      permissions: { 'id-token': 'write' },
      oidc: info.oidc
    },
    { repoRoot: root }
  );
  await result.cleanup();
  if (result.conclusion !== 'success') throw new Error(`setup-codeartifact failed:\n${result.log}`);
}

function aws(args, env) {
  const out = spawnSync('aws', args, { env, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`aws ${args.slice(0, 2).join(' ')} failed: ${out.stderr}`);
  return out.stdout;
}

async function cliSequence(info) {
  const home = await mkdtemp(join(tmpdir(), 'bench-cli-home-'));
  try {
    const token = await fetch(`${info.oidc.requestUrl}&audience=sts.amazonaws.com`, {
      headers: { authorization: `Bearer ${info.oidc.requestToken}` }
    }).then((r) => r.json());
    const base = {
      PATH: process.env.PATH,
      HOME: home,
      PIP_CONFIG_FILE: join(home, 'pip.conf'),
      NPM_CONFIG_USERCONFIG: join(home, '.npmrc'),
      AWS_ENDPOINT_URL: info.endpoint,
      AWS_DEFAULT_REGION: info.region,
      AWS_CONFIG_FILE: join(home, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'none')
    };
    const session = JSON.parse(
      aws(
        [
          'sts',
          'assume-role-with-web-identity',
          '--role-arn',
          info.roles[0],
          '--role-session-name',
          'bench',
          '--web-identity-token',
          token.value
        ],
        base
      )
    ).Credentials;
    const env = {
      ...base,
      AWS_ACCESS_KEY_ID: session.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: session.SecretAccessKey,
      AWS_SESSION_TOKEN: session.SessionToken
    };
    for (const tool of ['pip', 'npm']) {
      aws(['codeartifact', 'login', '--tool', tool, '--domain', 'bench', '--repository', 'store'], env);
    }
    aws(
      ['codeartifact', 'get-authorization-token', '--domain', 'bench', '--query', 'authorizationToken'],
      env
    );
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

const hasCli = spawnSync('aws', ['--version']).status === 0;
const work = await mkdtemp(join(tmpdir(), 'bench-setup-'));
const emulator = await spawnEmulator(['--port', '0', '--data-dir', join(work, 'data')]);
try {
  const { info } = emulator;
  await fetch(`${info.admin}/domains`, { method: 'POST', body: JSON.stringify({ name: 'bench' }) });
  await fetch(`${info.admin}/repositories`, {
    method: 'POST',
    body: JSON.stringify({ domain: 'bench', name: 'store' })
  });
  const action = [];
  const cli = [];
  for (let round = 0; round < ROUNDS; round++) {
    action.push(await requestsDuring(info, () => setupAction(info)));
    if (hasCli) cli.push(await requestsDuring(info, () => cliSequence(info)));
  }
  const row = (name, runs) =>
    `${name.padEnd(44)} ${(median(runs.map((r) => r.ms)) / 1000).toFixed(2).padStart(7)} s ${String(runs[0].requests).padStart(9)}`;
  console.log(
    `${'setup: OIDC -> STS -> token -> pip, npm, maven'.padEnd(44)} ${'median'.padStart(9)} ${'requests'.padStart(9)}`
  );
  console.log(row('setup-codeartifact (runner step, node start)', action));
  if (hasCli) {
    console.log(row('aws CLI: assume-role + login pip, npm + token', cli));
    const speedup = median(cli.map((r) => r.ms)) / median(action.map((r) => r.ms));
    console.log(`setup-codeartifact is ${speedup.toFixed(1)}x the speed of the CLI sequence (target: 5x)`);
  } else {
    console.log('aws CLI: not installed, comparison skipped');
  }
} finally {
  await emulator.stop();
  await rm(work, { recursive: true, force: true });
}

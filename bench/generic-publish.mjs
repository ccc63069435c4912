#!/usr/bin/env node
// publish-generic against the hand-made way, for a 100 MiB and a 1 GiB file (GENERIC_BENCH_MIB="100,1024"
// to change), in one run against a spawned codeartifact-local: wall time and peak RSS of
//   publish-generic archive: none   vs  sha256sum + aws codeartifact publish-package-version
//   publish-generic archive: tar.gz vs  tar czf + sha256sum (and + the aws upload)
// Peak RSS is GNU time's maximum resident set size of each process (the largest of a sequence).
// Targets (issue 5): RSS < 120 MiB; no slower than the CLI way; tar.gz within 1.2x of tar czf + sha256sum.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CodeartifactClient,
  CreateDomainCommand,
  CreateRepositoryCommand
} from '@aws-sdk/client-codeartifact';
import { spawnEmulator } from '../packages/emulator/lib/index.js';

const root = resolve(import.meta.dirname, '..');
const MIB = 1024 * 1024;
const sizes = (process.env.GENERIC_BENCH_MIB ?? '100,1024').split(',').map(Number);
const RSS_TARGET_MIB = 120;
const hasAws = spawnSyncOk('aws', ['--version']);

function spawnSyncOk(cmd, args) {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Writes `mib` MiB of incompressible bytes (each MiB different). */
async function generateFile(path, mib) {
  const out = createWriteStream(path);
  const block = randomBytes(MIB);
  for (let i = 0; i < mib; i++) {
    block.writeUInt32BE(i, 0);
    if (!out.write(block)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r, j) => out.end((e) => (e ? j(e) : r())));
}

/** Runs one command under GNU time; resolves { seconds, rssMib, stdout }. */
function measure(cmd, args, options = {}) {
  const timing = join(options.cwd ?? tmpdir(), `.time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', timing, cmd, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let stdout = '';
    let stderr = '';
    let markSeconds;
    child.stdout.on('data', (d) => {
      stdout += d;
      // The first line matching `mark` ends a phase (the archive written and hashed).
      if (options.mark && markSeconds === undefined && options.mark.test(stdout)) {
        markSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      }
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0)
        return reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${stdout}\n${stderr}`));
      const rssMib = Number(readFileSync(timing, 'utf8').trim().split('\n').pop()) / 1024;
      resolvePromise({ seconds, rssMib, stdout, markSeconds });
    });
  });
}

/** Runs measured steps one after another: total wall time, largest peak RSS. */
async function sequence(steps) {
  let seconds = 0;
  let rssMib = 0;
  let markSeconds;
  const outputs = [];
  for (const step of steps) {
    const r = await measure(...(await step(outputs)));
    if (r.markSeconds !== undefined) markSeconds = r.markSeconds;
    seconds += r.seconds;
    rssMib = Math.max(rssMib, r.rssMib);
    outputs.push(r.stdout);
  }
  return { seconds, rssMib, markSeconds };
}

const work = await mkdtemp(join(tmpdir(), 'generic-bench-'));
const emulator = await spawnEmulator(['--port', '0', '--data-dir', join(work, 'data')]);
const { info } = emulator;
const awsEnv = {
  AWS_ACCESS_KEY_ID: info.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: info.credentials.secretAccessKey,
  AWS_REGION: info.region,
  AWS_DEFAULT_REGION: info.region,
  AWS_ENDPOINT_URL: info.endpoint
};
const rows = [];
try {
  const client = new CodeartifactClient({
    endpoint: info.endpoint,
    region: info.region,
    credentials: info.credentials
  });
  await client.send(new CreateDomainCommand({ domain: 'bench' }));
  await client.send(new CreateRepositoryCommand({ domain: 'bench', repository: 'generic' }));
  client.destroy();
  const ws = join(work, 'ws');
  const temp = join(work, 'runner-temp');
  mkdirSync(ws);
  mkdirSync(temp);
  // The action writes its outputs and summary where a runner would give it files.
  writeFileSync(join(temp, 'output'), '');
  writeFileSync(join(temp, 'summary'), '');

  const publishGeneric = (name, archive, version) => [
    process.execPath,
    [join(root, 'dist', 'publish-generic', 'index.js')],
    {
      cwd: ws,
      env: {
        ...awsEnv,
        GITHUB_WORKSPACE: ws,
        RUNNER_TEMP: temp,
        GITHUB_OUTPUT: join(temp, 'output'),
        GITHUB_STEP_SUMMARY: join(temp, 'summary'),
        SOURCE_DATE_EPOCH: '1700000000',
        INPUT_DOMAIN: 'bench',
        INPUT_REPOSITORY: 'generic',
        INPUT_NAMESPACE: 'bench',
        INPUT_PACKAGE: `action-${archive.replace('.', '')}`,
        INPUT_VERSION: version,
        INPUT_PATH: name,
        INPUT_ARCHIVE: archive
      },
      mark: /sha256 [0-9a-f]{64}/
    }
  ];
  const cliPublish = (file, pkg, version) => (outputs) => [
    'aws',
    [
      'codeartifact',
      'publish-package-version',
      '--endpoint-url',
      info.endpoint,
      '--domain',
      'bench',
      '--repository',
      'generic',
      '--format',
      'generic',
      '--namespace',
      'bench',
      '--package',
      pkg,
      '--package-version',
      version,
      '--asset-content',
      file,
      '--asset-name',
      file.split('/').pop(),
      '--asset-sha256',
      outputs[outputs.length - 1].split(' ')[0]
    ],
    { cwd: ws, env: awsEnv }
  ];

  for (const mib of sizes) {
    const name = `big-${mib}.bin`;
    const file = join(ws, name);
    console.log(`generating ${mib} MiB...`);
    await generateFile(file, mib);
    const version = `${mib}.0.0`;
    const record = (label, r) => {
      const phase =
        r.markSeconds === undefined
          ? ''
          : ` (files hashed / archive written and hashed after ${r.markSeconds.toFixed(1)} s)`;
      rows.push({
        size: `${mib} MiB`,
        way: label,
        seconds: r.seconds,
        rssMib: r.rssMib,
        phase: r.markSeconds
      });
      console.log(`  ${label}: ${r.seconds.toFixed(1)} s${phase}, peak RSS ${r.rssMib.toFixed(0)} MiB`);
    };

    record(
      'publish-generic archive: none',
      await sequence([async () => publishGeneric(name, 'none', version)])
    );
    if (hasAws) {
      record(
        'sha256sum + aws publish-package-version',
        await sequence([async () => ['sha256sum', [file], { cwd: ws }], cliPublish(file, 'cli-raw', version)])
      );
    }
    record(
      'publish-generic archive: tar.gz',
      await sequence([async () => publishGeneric(name, 'tar.gz', version)])
    );
    const tarball = join(temp, `cli-${mib}.tar.gz`);
    record(
      'tar czf + sha256sum',
      await sequence([
        async () => ['tar', ['czf', tarball, name], { cwd: ws }],
        async () => ['sha256sum', [tarball], { cwd: ws }]
      ])
    );
    if (hasAws) {
      record(
        'tar czf + sha256sum + aws publish',
        await sequence([
          async () => ['tar', ['czf', tarball, name], { cwd: ws }],
          async () => ['sha256sum', [tarball], { cwd: ws }],
          cliPublish(tarball, 'cli-tar', version)
        ])
      );
    }
    await rm(file, { force: true });
    await rm(tarball, { force: true });
  }
} finally {
  await emulator.stop();
  await rm(work, { recursive: true, force: true });
}

console.log('\n| size | way | wall (s) | hashed/archived after (s) | peak RSS (MiB) |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of rows) {
  const phase = r.phase === undefined ? '' : r.phase.toFixed(1);
  console.log(`| ${r.size} | ${r.way} | ${r.seconds.toFixed(1)} | ${phase} | ${r.rssMib.toFixed(0)} |`);
}
if (!hasAws) console.log('(aws CLI not installed: the CLI rows are left out)');
const over = rows.filter((r) => r.way.startsWith('publish-generic') && r.rssMib >= RSS_TARGET_MIB);
for (const r of over)
  console.log(`over the ${RSS_TARGET_MIB} MiB RSS target: ${r.size} ${r.way} (${r.rssMib.toFixed(0)} MiB)`);
if (!existsSync(join(root, 'dist', 'publish-generic', 'index.js'))) process.exitCode = 1;
if (over.length > 0) process.exitCode = 1;

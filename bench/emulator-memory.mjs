#!/usr/bin/env node
// Publishes and downloads one large generic asset (1 GiB by default; EMULATOR_BENCH_MIB to change)
// through the AWS SDK against a spawned codeartifact-local, and reports the emulator's peak RSS
// (VmHWM). Asset bytes must stream through the emulator: the target is a peak under 150 MiB.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CodeartifactClient,
  CreateDomainCommand,
  CreateRepositoryCommand,
  GetPackageVersionAssetCommand,
  PublishPackageVersionCommand
} from '@aws-sdk/client-codeartifact';
import { spawnEmulator } from '../packages/emulator/lib/index.js';

const MIB = 1024 * 1024;
const sizeMib = Number(process.env.EMULATOR_BENCH_MIB ?? 1024);
const targetMib = 150;

/** Writes `mib` MiB of incompressible bytes to `path`, returning their SHA-256. */
async function generateFile(path, mib) {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  const block = randomBytes(MIB);
  for (let i = 0; i < mib; i++) {
    // Each MiB differs (a counter in its first bytes) so no two blocks are alike.
    block.writeUInt32BE(i, 0);
    hash.update(block);
    if (!out.write(block)) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  return hash.digest('hex');
}

async function peakRssMib(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

const work = await mkdtemp(join(tmpdir(), 'emulator-bench-'));
const emulator = await spawnEmulator(['--port', '0', '--data-dir', join(work, 'data')]);
try {
  const file = join(work, 'asset.bin');
  console.log(`generating ${sizeMib} MiB...`);
  const sha256 = await generateFile(file, sizeMib);
  const { info } = emulator;
  const client = new CodeartifactClient({
    endpoint: info.endpoint,
    region: info.region,
    credentials: info.credentials,
    maxAttempts: 1
  });
  await client.send(new CreateDomainCommand({ domain: 'bench' }));
  await client.send(new CreateRepositoryCommand({ domain: 'bench', repository: 'big' }));
  const coordinates = {
    domain: 'bench',
    repository: 'big',
    format: 'generic',
    namespace: 'bench',
    package: 'big',
    packageVersion: '1.0.0'
  };
  const baseline = await peakRssMib(emulator.child.pid);

  let started = Date.now();
  const published = await client.send(
    new PublishPackageVersionCommand({
      ...coordinates,
      assetName: 'asset.bin',
      assetContent: createReadStream(file),
      assetSHA256: sha256
    })
  );
  const publishSeconds = (Date.now() - started) / 1000;
  if (published.asset.hashes['SHA-256'] !== sha256 || published.asset.size !== sizeMib * MIB)
    throw new Error('published asset differs');

  started = Date.now();
  const got = await client.send(new GetPackageVersionAssetCommand({ ...coordinates, asset: 'asset.bin' }));
  const downloadHash = createHash('sha256');
  await pipeline(
    got.asset,
    new Writable({ write: (chunk, _encoding, done) => (downloadHash.update(chunk), done()) })
  );
  const downloadSeconds = (Date.now() - started) / 1000;
  if (downloadHash.digest('hex') !== sha256) throw new Error('downloaded bytes differ');
  client.destroy();

  const peak = await peakRssMib(emulator.child.pid);
  const rate = (seconds) => (sizeMib / seconds).toFixed(0);
  console.log(
    `asset: ${sizeMib} MiB, publish ${publishSeconds.toFixed(1)} s (${rate(publishSeconds)} MiB/s), download ${downloadSeconds.toFixed(1)} s (${rate(downloadSeconds)} MiB/s)`
  );
  console.log(
    `emulator peak RSS (VmHWM): ${peak.toFixed(1)} MiB (before the transfer: ${baseline.toFixed(1)} MiB; target < ${targetMib} MiB)`
  );
  if (peak >= targetMib) process.exitCode = 1;
} finally {
  await emulator.stop();
  await rm(work, { recursive: true, force: true });
}

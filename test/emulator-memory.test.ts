/** Asset bytes stream through the emulator: a 128 MiB round trip does not grow its memory by the asset's size. */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CodeartifactClient,
  CreateDomainCommand,
  CreateRepositoryCommand,
  GetPackageVersionAssetCommand,
  PublishPackageVersionCommand
} from '@aws-sdk/client-codeartifact';
import { buildEmulatorLibrary, spawnEmulator, type SpawnedEmulator } from '@codeartifact-actions/emulator';

const MIB = 1024 * 1024;
const ASSET_MIB = 128;
const hasProc = process.platform === 'linux';

let work: string;
let emulator: SpawnedEmulator | undefined;

async function peakRssMib(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function writeAsset(path: string): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  const block = randomBytes(MIB);
  for (let i = 0; i < ASSET_MIB; i++) {
    block.writeUInt32BE(i, 0);
    hash.update(block);
    if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve()))
  );
  return hash.digest('hex');
}

beforeAll(async () => {
  buildEmulatorLibrary();
  work = await mkdtemp(join(tmpdir(), 'emulator-memory-'));
});

afterAll(async () => {
  await emulator?.stop('SIGKILL');
  if (work) await rm(work, { recursive: true, force: true });
});

(hasProc ? describe : describe.skip)('memory while streaming a large asset', () => {
  it(`publishes and downloads ${ASSET_MIB} MiB with the peak RSS growing by less than half of that`, async () => {
    const file = join(work, 'asset.bin');
    const sha256 = await writeAsset(file);
    emulator = await spawnEmulator(['--port', '0']);
    const { info } = emulator;
    const client = new CodeartifactClient({
      endpoint: info.endpoint,
      region: info.region,
      credentials: info.credentials,
      maxAttempts: 1
    });
    await client.send(new CreateDomainCommand({ domain: 'mem' }));
    await client.send(new CreateRepositoryCommand({ domain: 'mem', repository: 'big' }));
    const coordinates = {
      domain: 'mem',
      repository: 'big',
      format: 'generic' as const,
      namespace: 'n',
      package: 'big',
      packageVersion: '1'
    };
    const baseline = await peakRssMib(emulator.child.pid!);

    const published = await client.send(
      new PublishPackageVersionCommand({
        ...coordinates,
        assetName: 'asset.bin',
        assetContent: createReadStream(file),
        assetSHA256: sha256
      })
    );
    expect(published.asset).toMatchObject({ size: ASSET_MIB * MIB, hashes: { 'SHA-256': sha256 } });
    const got = await client.send(new GetPackageVersionAssetCommand({ ...coordinates, asset: 'asset.bin' }));
    const hash = createHash('sha256');
    await pipeline(
      got.asset as NodeJS.ReadableStream,
      new Writable({
        write: (chunk: Buffer, _encoding, done) => {
          hash.update(chunk);
          done();
        }
      })
    );
    client.destroy();
    expect(hash.digest('hex')).toBe(sha256);

    const peak = await peakRssMib(emulator.child.pid!);
    expect(peak - baseline).toBeLessThan(ASSET_MIB / 2);
    expect(peak).toBeLessThan(150);
  });
});

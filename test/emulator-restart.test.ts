/** The codeartifact-local bin: its ready line, clean exits on signals, and state kept in --data-dir across restarts. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CodeartifactClient,
  CreateDomainCommand,
  CreateRepositoryCommand,
  DescribeRepositoryCommand,
  GetPackageVersionAssetCommand,
  ListPackageVersionAssetsCommand,
  ListPackageVersionsCommand,
  PublishPackageVersionCommand,
  UpdatePackageVersionsStatusCommand
} from '@aws-sdk/client-codeartifact';
import {
  buildEmulatorLibrary,
  spawnEmulator,
  type ReadyInfo,
  type SpawnedEmulator
} from '@codeartifact-actions/emulator';

let dataDir: string;
const running: SpawnedEmulator[] = [];
const coordinates = {
  domain: 'keep',
  repository: 'store',
  format: 'generic' as const,
  namespace: 'ns',
  package: 'kept'
};
const assetBytes = randomBytes(100_000);

function clientFor(info: ReadyInfo): CodeartifactClient {
  return new CodeartifactClient({
    endpoint: info.endpoint,
    region: info.region,
    credentials: info.credentials,
    maxAttempts: 1
  });
}

async function start(): Promise<SpawnedEmulator> {
  const emulator = await spawnEmulator(['--port', '0', '--data-dir', dataDir]);
  running.push(emulator);
  return emulator;
}

beforeAll(async () => {
  buildEmulatorLibrary();
  dataDir = await mkdtemp(join(tmpdir(), 'emulator-data-'));
});

afterAll(async () => {
  for (const emulator of running) await emulator.stop('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('codeartifact-local with --data-dir', () => {
  it('prints one JSON ready line and keeps domains, repositories, versions and assets across a restart', async () => {
    const first = await start();
    expect(first.stdout().trim().split('\n')).toHaveLength(1);
    expect(Object.keys(first.info)).toEqual(
      expect.arrayContaining(['endpoint', 'region', 'accountId', 'credentials', 'oidc', 'roles', 'admin'])
    );
    expect(first.info.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.info.roles[0]).toMatch(/^arn:aws:iam::111122223333:role\//);

    const client = clientFor(first.info);
    await client.send(new CreateDomainCommand({ domain: 'keep' }));
    await client.send(
      new CreateRepositoryCommand({
        domain: 'keep',
        repository: 'store',
        description: 'kept across restarts'
      })
    );
    const sha = createHash('sha256').update(assetBytes).digest('hex');
    for (const version of ['1.0.0', '1.1.0']) {
      await client.send(
        new PublishPackageVersionCommand({
          ...coordinates,
          packageVersion: version,
          assetName: 'kept.bin',
          assetContent: assetBytes,
          assetSHA256: sha,
          unfinished: version === '1.1.0'
        })
      );
    }
    await client.send(
      new UpdatePackageVersionsStatusCommand({
        ...coordinates,
        versions: ['1.0.0'],
        targetStatus: 'Unlisted'
      })
    );
    client.destroy();
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = await start();
    const again = clientFor(second.info);
    const { repository } = await again.send(
      new DescribeRepositoryCommand({ domain: 'keep', repository: 'store' })
    );
    expect(repository?.description).toBe('kept across restarts');
    const { versions } = await again.send(new ListPackageVersionsCommand(coordinates));
    expect(versions?.map((v) => [v.version, v.status])).toEqual([
      ['1.0.0', 'Unlisted'],
      ['1.1.0', 'Unfinished']
    ]);
    const { assets } = await again.send(
      new ListPackageVersionAssetsCommand({ ...coordinates, packageVersion: '1.0.0' })
    );
    expect(assets?.[0]).toMatchObject({
      name: 'kept.bin',
      size: assetBytes.length,
      hashes: { 'SHA-256': sha }
    });
    const got = await again.send(
      new GetPackageVersionAssetCommand({ ...coordinates, packageVersion: '1.1.0', asset: 'kept.bin' })
    );
    expect(Buffer.from(await got.asset!.transformToByteArray()).equals(assetBytes)).toBe(true);
    again.destroy();
    expect(await second.stop('SIGINT')).toBe(0);
    expect(second.stderr()).toContain('SIGINT');
  });

  it('refuses an unknown option with the usage and exit code 2', async () => {
    await expect(spawnEmulator(['--bogus'])).rejects.toThrow(/exited \(2\).*usage: codeartifact-local/s);
  });
});

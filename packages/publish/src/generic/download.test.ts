import {
  CodeartifactClient,
  DescribePackageVersionCommand,
  GetPackageVersionAssetCommand,
  ListPackageVersionAssetsCommand
} from '@aws-sdk/client-codeartifact';
import { describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AssetIntegrityError, downloadGenericAssets, selectAssets } from './download.js';
import type { RetryPolicy } from './retry.js';

const ref = { domain: 'nextwork', repository: 'generic-store', namespace: 'team', package: 'tools' };
const noWait: RetryPolicy = { attempts: 2, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined };
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** A repository listing `listed` while serving `served` bytes for each asset. */
function repository(listed: Record<string, string>, served: Record<string, string>) {
  const mock = mockClient(CodeartifactClient);
  mock
    .on(DescribePackageVersionCommand)
    .resolves({ packageVersion: { status: 'Published', revision: 'r1' } });
  mock.on(ListPackageVersionAssetsCommand).resolves({
    assets: Object.entries(listed).map(([name, text]) => ({
      name,
      size: text.length,
      hashes: { 'SHA-256': sha(text) }
    }))
  });
  mock
    .on(GetPackageVersionAssetCommand)
    .callsFake(async (input) => ({ asset: Readable.from([Buffer.from(served[input.asset!]!)]) }));
  return mock as unknown as CodeartifactClient;
}

describe('downloadGenericAssets', () => {
  it('writes verified assets and fails on a tampered one, naming it and removing the partial file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'generic-download-'));
    const good = await downloadGenericAssets(
      repository({ 'a.txt': 'alpha' }, { 'a.txt': 'alpha' }),
      ref,
      '1.0.0',
      {
        assets: [],
        directory: dir,
        retry: noWait
      }
    );
    expect(good.map((a) => a.file)).toEqual([join(dir, 'a.txt')]);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('alpha');

    const tampered = repository({ 'b.txt': 'bravo' }, { 'b.txt': 'brav0' });
    await expect(
      downloadGenericAssets(tampered, ref, '1.0.0', { assets: [], directory: dir, retry: noWait })
    ).rejects.toThrow(
      new AssetIntegrityError(
        `Asset b.txt failed verification: got 5 bytes with SHA-256 ${sha('brav0')}, but the repository lists 5 bytes with SHA-256 ${sha('bravo')}. The file was removed.`
      )
    );
    const truncated = repository({ 'c.txt': 'charlie' }, { 'c.txt': 'char' });
    await expect(
      downloadGenericAssets(truncated, ref, '1.0.0', { assets: [], directory: dir, retry: noWait })
    ).rejects.toThrow(/Asset c\.txt failed verification: got 4 bytes/);
    expect(existsSync(join(dir, 'b.txt'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['a.txt']);
  });
});

describe('selectAssets', () => {
  const listed = ['tool-linux', 'tool-darwin', 'sums.txt'].map((name) => ({ name, size: 1, sha256: '' }));
  it('chooses assets by names and globs, and fails on a pattern that names none', () => {
    expect(selectAssets(listed, ['tool-*']).map((a) => a.name)).toEqual(['tool-darwin', 'tool-linux']);
    expect(selectAssets(listed, []).map((a) => a.name)).toEqual(['sums.txt', 'tool-darwin', 'tool-linux']);
    expect(() => selectAssets(listed, ['*.zip'])).toThrow(/Input "assets": "\*\.zip" matches none/);
  });
});

import {
  CodeartifactClient,
  DescribePackageVersionCommand,
  ListPackageVersionAssetsCommand,
  PublishPackageVersionCommand
} from '@aws-sdk/client-codeartifact';
import { describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestFile } from './hash.js';
import { PublishConflictError, publishGenericVersion, type LocalAsset } from './publish.js';
import type { RetryPolicy } from './retry.js';

const ref = { domain: 'nextwork', repository: 'generic-store', namespace: 'team', package: 'tools' };
const noWait: RetryPolicy = { attempts: 3, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined };

async function localAssets(contents: Record<string, string>): Promise<LocalAsset[]> {
  const dir = mkdtempSync(join(tmpdir(), 'generic-publish-'));
  const assets: LocalAsset[] = [];
  for (const [name, text] of Object.entries(contents)) {
    writeFileSync(join(dir, name), text);
    assets.push({ name, file: join(dir, name), ...(await digestFile(join(dir, name))) });
  }
  return assets;
}

/** A fake repository: tracks assets and status as PublishPackageVersion would. */
function fakeRepository(initial?: { status: string; assets: LocalAsset[] }) {
  const mock = mockClient(CodeartifactClient);
  const state = { status: initial?.status, assets: new Map((initial?.assets ?? []).map((a) => [a.name, a])) };
  const published: Array<{ name: string; unfinished: boolean }> = [];
  mock.on(DescribePackageVersionCommand).callsFake(async () => {
    if (!state.status)
      throw Object.assign(new Error('no such version'), { name: 'ResourceNotFoundException' });
    return { packageVersion: { status: state.status, revision: 'r1' } };
  });
  mock.on(ListPackageVersionAssetsCommand).callsFake(async () => ({
    assets: [...state.assets.values()].map((a) => ({
      name: a.name,
      size: a.size,
      hashes: { 'SHA-256': a.sha256 }
    }))
  }));
  return { mock, state, published };
}

describe('publishGenericVersion', () => {
  it('uploads every asset but the last as unfinished, and the last one after verifying the others', async () => {
    const assets = await localAssets({ 'b.bin': 'bee', 'a.bin': 'ay', 'c.bin': 'see' });
    const repo = fakeRepository();
    repo.mock.on(PublishPackageVersionCommand).callsFake(async (input) => {
      const asset = assets.find((a) => a.name === input.assetName)!;
      repo.state.assets.set(asset.name, asset);
      repo.state.status = input.unfinished ? 'Unfinished' : 'Published';
      repo.published.push({ name: asset.name, unfinished: !!input.unfinished });
      return {};
    });
    const outcome = await publishGenericVersion(
      repo.mock as unknown as CodeartifactClient,
      ref,
      '1.0.0',
      assets,
      {
        mode: 'publish',
        ifExists: 'skip-identical',
        retry: noWait
      }
    );
    expect(repo.published).toEqual([
      { name: 'a.bin', unfinished: true },
      { name: 'b.bin', unfinished: true },
      { name: 'c.bin', unfinished: false }
    ]);
    expect(outcome.status).toBe('Published');
    expect(outcome.assets.map((a) => a.name)).toEqual(['a.bin', 'b.bin', 'c.bin']);
  });

  it('reports an identical Published version as already published, and fails on any difference without writing', async () => {
    const assets = await localAssets({ 'a.bin': 'ay' });
    const repo = fakeRepository({ status: 'Published', assets });
    const same = await publishGenericVersion(
      repo.mock as unknown as CodeartifactClient,
      ref,
      '1.0.0',
      assets,
      {
        mode: 'publish',
        ifExists: 'skip-identical'
      }
    );
    expect(same.alreadyPublished).toBe(true);

    const changed = await localAssets({ 'a.bin': 'changed' });
    await expect(
      publishGenericVersion(repo.mock as unknown as CodeartifactClient, ref, '1.0.0', changed, {
        mode: 'publish',
        ifExists: 'skip-identical'
      })
    ).rejects.toThrow(PublishConflictError);
    await expect(
      publishGenericVersion(repo.mock as unknown as CodeartifactClient, ref, '1.0.0', assets, {
        mode: 'publish',
        ifExists: 'fail'
      })
    ).rejects.toThrow(/if-exists: fail/);
    expect(repo.mock.commandCalls(PublishPackageVersionCommand)).toHaveLength(0);
  });

  it('resumes an Unfinished version: identical assets are skipped, a different one fails before any upload', async () => {
    const assets = await localAssets({ 'a.bin': 'ay', 'b.bin': 'bee' });
    const repo = fakeRepository({ status: 'Unfinished', assets: [assets[0]!] });
    repo.mock.on(PublishPackageVersionCommand).callsFake(async (input) => {
      repo.state.assets.set(
        input.assetName!,
        assets.find((a) => a.name === input.assetName)!
      );
      repo.state.status = input.unfinished ? 'Unfinished' : 'Published';
      return {};
    });
    const outcome = await publishGenericVersion(
      repo.mock as unknown as CodeartifactClient,
      ref,
      '1.0.0',
      assets,
      {
        mode: 'publish',
        ifExists: 'skip-identical'
      }
    );
    expect(outcome.skipped).toEqual(['a.bin']);
    expect(outcome.uploaded).toEqual(['b.bin']);

    const other = await localAssets({ 'a.bin': 'other', 'c.bin': 'sea' });
    const stale = fakeRepository({ status: 'Unfinished', assets: [assets[0]!] });
    await expect(
      publishGenericVersion(stale.mock as unknown as CodeartifactClient, ref, '1.0.0', other, {
        mode: 'publish',
        ifExists: 'skip-identical'
      })
    ).rejects.toThrow(/a\.bin has SHA-256/);
    expect(stale.mock.commandCalls(PublishPackageVersionCommand)).toHaveLength(0);
  });

  it('retries an asset whose connection was cut, with a fresh stream, and gives up on a 4xx', async () => {
    const assets = await localAssets({ 'a.bin': 'ay' });
    const repo = fakeRepository();
    let attempts = 0;
    repo.mock.on(PublishPackageVersionCommand).callsFake(async (input) => {
      attempts++;
      const body = input.assetContent as NodeJS.ReadableStream;
      let text = '';
      for await (const chunk of body) text += chunk.toString();
      expect(text).toBe('ay');
      if (attempts === 1) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      repo.state.assets.set('a.bin', assets[0]!);
      repo.state.status = 'Published';
      return {};
    });
    await publishGenericVersion(repo.mock as unknown as CodeartifactClient, ref, '1.0.0', assets, {
      mode: 'publish',
      ifExists: 'skip-identical',
      retry: noWait
    });
    expect(attempts).toBe(2);

    const denied = fakeRepository();
    denied.mock
      .on(PublishPackageVersionCommand)
      .rejects(
        Object.assign(new Error('no'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } })
      );
    await expect(
      publishGenericVersion(denied.mock as unknown as CodeartifactClient, ref, '1.0.0', assets, {
        mode: 'publish',
        ifExists: 'skip-identical',
        retry: noWait
      })
    ).rejects.toThrow(/PublishPackageVersion failed/);
    expect(denied.mock.commandCalls(PublishPackageVersionCommand)).toHaveLength(1);
  });
});

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { ServiceError, type PackageKey } from '../contracts.js';
import { Catalog } from './catalog.js';

const key: PackageKey = { format: 'generic', namespace: 'ns', package: 'pkg' };
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
let catalog: Catalog | undefined;

async function repository() {
  catalog = await Catalog.open();
  await catalog.createDomain('111122223333', 'dom');
  return catalog.createRepository('111122223333', 'dom', 'repo');
}

async function text(stream: Readable): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += chunk.toString();
  return out;
}

afterEach(async () => {
  await catalog?.close();
  catalog = undefined;
});

describe('StoredRepository.putAsset', () => {
  it('creates an Unfinished version holding the streamed asset and its hashes', async () => {
    const repo = await repository();
    const asset = await repo.putAsset(key, '1.0', 'a.txt', Readable.from(['hel', 'lo']));
    expect(asset).toMatchObject({ name: 'a.txt', size: 5, hashes: { 'SHA-256': sha('hello') } });
    expect((await repo.getVersion(key, '1.0'))?.status).toBe('Unfinished');
    expect(await text((await repo.openAsset(key, '1.0', 'a.txt'))!.stream)).toBe('hello');
  });

  it('rejects a mismatched SHA-256 and leaves no bytes behind', async () => {
    const repo = await repository();
    await expect(
      repo.putAsset(key, '1.0', 'a.txt', Readable.from(['x']), { expectedSha256: sha('y') })
    ).rejects.toMatchObject({
      status: 400,
      type: 'ValidationException'
    });
    expect(await repo.getVersion(key, '1.0')).toBeUndefined();
    expect(await readdir(join(catalog!.blobs.root, 'staging'))).toEqual([]);
  });

  it('accepts the same bytes again, refuses different ones unless replace is set', async () => {
    const repo = await repository();
    await repo.putAsset(key, '1.0', 'a.txt', Readable.from(['one']));
    await repo.putAsset(key, '1.0', 'a.txt', Readable.from(['one']));
    const conflict = repo.putAsset(key, '1.0', 'a.txt', Readable.from(['two']));
    await expect(conflict).rejects.toBeInstanceOf(ServiceError);
    await expect(conflict).rejects.toMatchObject({
      status: 409,
      extra: { resourceType: 'asset', resourceId: 'a.txt' }
    });
    await repo.putAsset(key, '1.0', 'a.txt', Readable.from(['two']), { replace: true });
    expect(await text((await repo.openAsset(key, '1.0', 'a.txt'))!.stream)).toBe('two');
  });

  it('never takes a Published version back to Unfinished', async () => {
    const repo = await repository();
    await repo.putAsset(key, '1.0', 'a.txt', Readable.from(['x']));
    await repo.setStatus(key, '1.0', 'Published');
    await expect(repo.setStatus(key, '1.0', 'Unfinished')).rejects.toMatchObject({ status: 409 });
    expect((await repo.getVersion(key, '1.0'))?.status).toBe('Published');
  });

  it('changes the revision with every change to the version', async () => {
    const repo = await repository();
    await repo.putAsset(key, '1.0', 'a.txt', Readable.from(['x']));
    const first = (await repo.getVersion(key, '1.0'))!.revision;
    await repo.putAsset(key, '1.0', 'b.txt', Readable.from(['y']));
    const second = (await repo.getVersion(key, '1.0'))!.revision;
    await repo.setStatus(key, '1.0', 'Published');
    const third = (await repo.getVersion(key, '1.0'))!.revision;
    expect(new Set([first, second, third]).size).toBe(3);
  });
});

/**
 * Asset bytes on disk, addressed by their SHA-256. Bytes stream in through the four hash functions
 * and out of a file, so an asset of any size costs a few buffers of memory.
 */
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AssetHashes } from '../contracts.js';

/** Bytes written to a temporary file, hashed, not yet part of the store. */
export interface StagedBlob {
  readonly path: string;
  readonly size: number;
  readonly hashes: AssetHashes;
}

const HASH_ALGORITHMS: Record<keyof AssetHashes, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-512': 'sha512'
};

export class BlobStore {
  private constructor(readonly root: string) {}

  static async open(root: string): Promise<BlobStore> {
    await mkdir(join(root, 'staging'), { recursive: true });
    return new BlobStore(root);
  }

  /** Streams `body` into a staging file, hashing on the way. */
  async stage(body: Readable): Promise<StagedBlob> {
    const path = join(this.root, 'staging', randomBytes(12).toString('hex'));
    const hashers = Object.fromEntries(
      Object.entries(HASH_ALGORITHMS).map(([name, algorithm]) => [name, createHash(algorithm)])
    ) as Record<keyof AssetHashes, Hash>;
    let size = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        for (const hasher of Object.values(hashers)) hasher.update(chunk);
        callback(null, chunk);
      }
    });
    try {
      await pipeline(body, hashing, createWriteStream(path));
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    const hashes = Object.fromEntries(
      Object.entries(hashers).map(([name, hasher]) => [name, hasher.digest('hex')])
    ) as unknown as AssetHashes;
    return { path, size, hashes };
  }

  /** Moves a staged file to its place; the same bytes stored twice share one file. */
  async commit(staged: StagedBlob): Promise<void> {
    const target = this.pathOf(staged.hashes['SHA-256']);
    await mkdir(join(target, '..'), { recursive: true });
    await rename(staged.path, target);
  }

  async discard(staged: StagedBlob): Promise<void> {
    await rm(staged.path, { force: true });
  }

  async exists(sha256: string): Promise<boolean> {
    return stat(this.pathOf(sha256)).then(
      () => true,
      () => false
    );
  }

  open(sha256: string): Readable {
    return createReadStream(this.pathOf(sha256));
  }

  private pathOf(sha256: string): string {
    return join(this.root, 'sha256', sha256.slice(0, 2), sha256);
  }
}

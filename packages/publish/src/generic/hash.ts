import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** What a file holds, as CodeArtifact reports it: byte count and lowercase hex SHA-256. */
export interface ContentDigest {
  size: number;
  sha256: string;
}

/** A pass-through stream that counts and hashes what flows through it. */
export class DigestStream extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }

  /** The digest; call once the stream has finished. */
  digest(): ContentDigest {
    return { size: this.bytes, sha256: this.hash.digest('hex') };
  }
}

/** Streams a file through SHA-256 without holding it in memory. */
export async function digestFile(path: string): Promise<ContentDigest> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(
    createReadStream(path, { highWaterMark: 1 << 20 }),
    async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) {
        hash.update(chunk);
        size += chunk.length;
      }
    }
  );
  return { size, sha256: hash.digest('hex') };
}

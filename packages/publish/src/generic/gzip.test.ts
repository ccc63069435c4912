import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { gunzipSync } from 'node:zlib';
import { BlockGzip, type BlockGzipOptions } from './gzip.js';

async function gzip(input: Buffer, options: BlockGzipOptions, chunk = 4096): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < input.length; i += chunk) chunks.push(input.subarray(i, i + chunk));
  return buffer(Readable.from(chunks).pipe(new BlockGzip(options)));
}

/** Half text that compresses, half random bytes that do not, with repeats across block seams. */
function mixed(size: number): Buffer {
  const text = Buffer.from('the secret mission, step by step; '.repeat(Math.ceil(size / 68)));
  const out = Buffer.concat([text.subarray(0, size >> 1), randomBytes(size - (size >> 1))]);
  if (size > 10_000) out.copy(out, size - 5000, 100, 5100);
  return out;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('BlockGzip', () => {
  const blockSize = 16 * 1024;

  it.each([
    ['nothing', 0],
    ['less than a block', 1000],
    ['exactly one block', blockSize],
    ['exactly three blocks', 3 * blockSize],
    ['blocks and a bit', 5 * blockSize + 77]
  ])('writes gzip that gunzip and GNU gzip read back whole: %s', async (_name, size) => {
    const input = mixed(size);
    const gz = await gzip(input, { level: 6, blockSize });
    // zlib checks the CRC-32 and the length in the trailer.
    expect(gunzipSync(gz).equals(input)).toBe(true);
    expect(execFileSync('gzip', ['-dc'], { input: gz }).equals(input)).toBe(true);
  });

  it('gives the same bytes whatever the thread count and input chunking', async () => {
    const input = mixed(9 * blockSize + 123);
    const one = await gzip(input, { level: 6, blockSize, parallel: 1 });
    const many = await gzip(input, { level: 6, blockSize, parallel: 4 }, 7777);
    const whole = await gzip(input, { level: 6, blockSize, parallel: 2 }, input.length);
    expect(sha256(many)).toBe(sha256(one));
    expect(sha256(whole)).toBe(sha256(one));
  });

  it('starts each block with the previous one as its dictionary, so repeats across seams still compress', async () => {
    const period = randomBytes(8192);
    const input = Buffer.concat(Array.from({ length: (8 * blockSize) / period.length }, () => period));
    const gz = await gzip(input, { level: 6, blockSize });
    // The first 8 KiB stay literal; without a dictionary each of the 8 blocks would repeat them.
    expect(gz.length).toBeLessThan(period.length + 8 * 512);
    expect(gunzipSync(gz).equals(input)).toBe(true);
  });

  it('writes a header with no time, no name, Unix as the OS, and zlib’s speed flag', async () => {
    const fast = await gzip(Buffer.from('x'), { level: 1 });
    const best = await gzip(Buffer.from('x'), { level: 9 });
    expect([...fast.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 3]);
    expect(best[8]).toBe(2);
  });

  it('fails the stream when a block cannot be compressed', async () => {
    await expect(gzip(Buffer.from('abc'), { level: 42 })).rejects.toThrow(/level/);
  });
});

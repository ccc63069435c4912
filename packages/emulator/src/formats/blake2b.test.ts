import { createHash, randomBytes } from 'node:crypto';
import { describe, it, expect } from '@jest/globals';
import { Blake2b } from './blake2b.js';

describe('Blake2b', () => {
  it('computes the 32-byte digest twine sends as blake2_256_digest', () => {
    // Python: hashlib.blake2b(b'abc', digest_size=32).hexdigest()
    expect(new Blake2b(32).update(Buffer.from('abc')).digest().toString('hex')).toBe(
      'bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319'
    );
  });

  it('agrees with node:crypto blake2b512 over many blocks fed in uneven chunks', () => {
    for (const size of [0, 1, 127, 128, 129, 256, 100_003]) {
      const data = randomBytes(size);
      const hash = new Blake2b(64);
      for (let offset = 0; offset < size; offset += 77) hash.update(data.subarray(offset, offset + 77));
      expect(hash.digest().toString('hex')).toBe(createHash('blake2b512').update(data).digest('hex'));
    }
  });
});

/**
 * BLAKE2b (RFC 7693) with a chosen digest length. twine sends blake2_256_digest (BLAKE2b with a
 * 32-byte digest), which node:crypto cannot compute: its blake2b512 has a fixed length.
 */

// SHA-512's initial values as [low, high] 32-bit halves.
const IV = new Uint32Array([
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a, 0xade682d1,
  0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19
]);

const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0]
];

const BLOCK = 128;

/** Incremental BLAKE2b without a key. */
export class Blake2b {
  private readonly state = new Uint32Array(16);
  private readonly block = Buffer.alloc(BLOCK);
  private readonly work = new Uint32Array(32);
  private readonly message = new Uint32Array(32);
  private filled = 0;
  private counter = 0;

  constructor(private readonly length = 64) {
    this.state.set(IV);
    // Parameter block: digest length, no key, fanout 1, depth 1.
    this.state[0] = (this.state[0] ?? 0) ^ (0x01010000 | length);
  }

  update(data: Buffer | Uint8Array): this {
    for (let offset = 0; offset < data.length;) {
      if (this.filled === BLOCK) {
        this.counter += BLOCK;
        this.compress(false);
        this.filled = 0;
      }
      const take = Math.min(BLOCK - this.filled, data.length - offset);
      this.block.set(data.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
    }
    return this;
  }

  digest(): Buffer {
    this.counter += this.filled;
    this.block.fill(0, this.filled);
    this.compress(true);
    const out = Buffer.alloc(64);
    for (let word = 0; word < 16; word++) out.writeUInt32LE(this.state[word] ?? 0, word * 4);
    return out.subarray(0, this.length);
  }

  private compress(last: boolean): void {
    const v = this.work;
    const m = this.message;
    v.set(this.state);
    v.set(IV, 16);
    v[24] = (v[24] ?? 0) ^ (this.counter % 0x100000000);
    v[25] = (v[25] ?? 0) ^ Math.floor(this.counter / 0x100000000);
    if (last) {
      v[28] = ~(v[28] ?? 0);
      v[29] = ~(v[29] ?? 0);
    }
    for (let word = 0; word < 32; word++) m[word] = this.block.readUInt32LE(word * 4);
    for (let round = 0; round < 12; round++) {
      const s = SIGMA[round % 10] as number[];
      const at = (index: number) => (s[index] ?? 0) * 2;
      mix(v, m, 0, 8, 16, 24, at(0), at(1));
      mix(v, m, 2, 10, 18, 26, at(2), at(3));
      mix(v, m, 4, 12, 20, 28, at(4), at(5));
      mix(v, m, 6, 14, 22, 30, at(6), at(7));
      mix(v, m, 0, 10, 20, 30, at(8), at(9));
      mix(v, m, 2, 12, 22, 24, at(10), at(11));
      mix(v, m, 4, 14, 16, 26, at(12), at(13));
      mix(v, m, 6, 8, 18, 28, at(14), at(15));
    }
    for (let half = 0; half < 16; half++) {
      this.state[half] = (this.state[half] ?? 0) ^ (v[half] ?? 0) ^ (v[half + 16] ?? 0);
    }
  }
}

/** v[a] += v[b] + m[x], on 64-bit words stored as [low, high] pairs. */
function add(v: Uint32Array, a: number, lowB: number, highB: number): void {
  const low = (v[a] ?? 0) + lowB;
  v[a + 1] = (v[a + 1] ?? 0) + highB + (low >= 0x100000000 ? 1 : 0);
  v[a] = low;
}

/** v[d] = rotate-right(v[d] ^ v[a], bits) for bits in 16, 24, 32, 63. */
function xorRotate(v: Uint32Array, d: number, a: number, bits: number): void {
  const low = (v[d] ?? 0) ^ (v[a] ?? 0);
  const high = (v[d + 1] ?? 0) ^ (v[a + 1] ?? 0);
  if (bits === 32) {
    v[d] = high;
    v[d + 1] = low;
  } else if (bits === 63) {
    v[d] = (low << 1) | (high >>> 31);
    v[d + 1] = (high << 1) | (low >>> 31);
  } else {
    v[d] = (low >>> bits) | (high << (32 - bits));
    v[d + 1] = (high >>> bits) | (low << (32 - bits));
  }
}

function mix(
  v: Uint32Array,
  m: Uint32Array,
  a: number,
  b: number,
  c: number,
  d: number,
  x: number,
  y: number
) {
  add(v, a, v[b] ?? 0, v[b + 1] ?? 0);
  add(v, a, m[x] ?? 0, m[x + 1] ?? 0);
  xorRotate(v, d, a, 32);
  add(v, c, v[d] ?? 0, v[d + 1] ?? 0);
  xorRotate(v, b, c, 24);
  add(v, a, v[b] ?? 0, v[b + 1] ?? 0);
  add(v, a, m[y] ?? 0, m[y + 1] ?? 0);
  xorRotate(v, d, a, 16);
  add(v, c, v[d] ?? 0, v[d + 1] ?? 0);
  xorRotate(v, b, c, 63);
}

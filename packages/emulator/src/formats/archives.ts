/** Reads one small member out of a wheel (zip) or a .tar.gz, enough to index packages without unpacking them. */
import { gunzipSync, inflateRawSync } from 'node:zlib';

const ZIP_END_OF_DIRECTORY = 0x06054b50;
const ZIP_DIRECTORY_ENTRY = 0x02014b50;
const ZIP_LOCAL_HEADER = 0x04034b50;

/** The bytes of the first zip member whose name matches, or undefined. */
export function readZipMember(zip: Buffer, matches: (name: string) => boolean): Buffer | undefined {
  const end = findEndOfDirectory(zip);
  if (end < 0) return undefined;
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  for (let index = 0; index < count && offset + 46 <= zip.length; index++) {
    if (zip.readUInt32LE(offset) !== ZIP_DIRECTORY_ENTRY) return undefined;
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const entryLength = 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    if (matches(name)) return inflateMember(zip, zip.readUInt32LE(offset + 42), method, compressedSize);
    offset += entryLength;
  }
  return undefined;
}

function findEndOfDirectory(zip: Buffer): number {
  // The end record sits within the last 64 KiB + 22 bytes (its comment is at most 65535 bytes).
  for (let offset = zip.length - 22; offset >= Math.max(0, zip.length - 65557); offset--) {
    if (zip.readUInt32LE(offset) === ZIP_END_OF_DIRECTORY) return offset;
  }
  return -1;
}

function inflateMember(zip: Buffer, headerOffset: number, method: number, size: number): Buffer | undefined {
  if (zip.readUInt32LE(headerOffset) !== ZIP_LOCAL_HEADER) return undefined;
  const start = headerOffset + 30 + zip.readUInt16LE(headerOffset + 26) + zip.readUInt16LE(headerOffset + 28);
  const data = zip.subarray(start, start + size);
  if (method === 0) return Buffer.from(data);
  if (method === 8) return inflateRawSync(data);
  return undefined;
}

/** The bytes of the first regular file in a gzipped tar whose name matches, or undefined. */
export function readTarGzMember(tgz: Buffer, matches: (name: string) => boolean): Buffer | undefined {
  const tar = gunzipSync(tgz);
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) return undefined;
    const size = parseInt(field(header, 124, 12) || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    if (type === 'x') {
      longName = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1] ?? longName;
      continue;
    }
    const prefix = field(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = undefined;
    if ((type === '0' || type === '\0') && matches(name)) return Buffer.from(body);
  }
  return undefined;
}

function field(header: Buffer, start: number, length: number): string {
  return header
    .toString('utf8', start, start + length)
    .replace(/\0.*$/s, '')
    .trim();
}

/** Reads a header value out of Python core metadata (METADATA / PKG-INFO, RFC 822 style). */
export function coreMetadataField(metadata: string, name: string): string | undefined {
  const headers = metadata.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const pattern = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im');
  return pattern.exec(headers)?.[1]?.trim() || undefined;
}

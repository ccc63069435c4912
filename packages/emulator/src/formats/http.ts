/** Small HTTP pieces the package endpoints share: replies, bodies, content negotiation, streaming. */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { ServiceError, type RepositoryContext, type StoredAsset } from '../contracts.js';

/** Thrown by handlers to end a request with a status and a message in the format's own error shape. */
export class EndpointError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message);
  }
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  type = 'text/plain; charset=utf-8'
): void {
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, { 'content-type': type, 'content-length': body.length });
  res.end(res.req?.method === 'HEAD' ? undefined : body);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  type = 'application/json'
): void {
  sendText(res, status, JSON.stringify(value), type);
}

/** Streams a stored asset (or a body for HEAD, only the headers) with its size and digests. */
export async function sendAsset(
  ctx: RepositoryContext,
  asset: StoredAsset,
  stream: Readable,
  type = 'application/octet-stream'
): Promise<void> {
  ctx.res.writeHead(200, {
    'content-type': type,
    'content-length': asset.size,
    etag: `"${asset.hashes['SHA-256']}"`,
    'x-checksum-sha1': asset.hashes['SHA-1'],
    'x-checksum-md5': asset.hashes.MD5
  });
  if (ctx.req.method === 'HEAD') {
    stream.destroy();
    ctx.res.end();
    return;
  }
  await pipeline(stream, ctx.res);
}

/** Reads a whole request body, refusing more than `limit` bytes (JSON and XML bodies only). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new EndpointError(413, `request body larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function digest(algorithm: string, data: Buffer | string, encoding: 'hex' | 'base64' = 'hex'): string {
  return createHash(algorithm).update(data).digest(encoding);
}

/** The media types of an Accept header with their q values, best first (ties keep header order). */
export function acceptedTypes(accept: string | undefined): string[] {
  const entries = (accept ?? '')
    .split(',')
    .map((part, index) => {
      const [type = '', ...params] = part.split(';').map((piece) => piece.trim());
      const q = params.find((param) => param.startsWith('q='));
      return { type: type.toLowerCase(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => entry.type && entry.q > 0);
  entries.sort((a, b) => b.q - a.q || a.index - b.index);
  return entries.map((entry) => entry.type);
}

/** Splits a subpath into decoded segments; refuses "." / ".." and empty interior segments. */
export function pathSegments(subpath: string): string[] {
  const raw = subpath.split('/');
  if (raw.length > 1 && raw[raw.length - 1] === '') raw.pop();
  const segments = raw.map((segment) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new EndpointError(400, `malformed path segment "${segment}"`);
    }
    // Maven paths become file paths under an external connection's folder: no way out of it.
    if (decoded === '.' || decoded === '..' || /[/\\\0]/.test(decoded)) {
      throw new EndpointError(400, `path segment "${segment}" is not allowed`);
    }
    return decoded;
  });
  return segments.filter((segment, index) => segment !== '' || index === 0);
}

/** Refuses a write unless the caller may publish to the repository. */
export function requirePublish(ctx: RepositoryContext): void {
  if (!ctx.principal.allows('codeartifact:PublishPackageVersion')) {
    throw new EndpointError(
      403,
      `${ctx.principal.arn} is not authorized to perform codeartifact:PublishPackageVersion on ${ctx.repository.name}`
    );
  }
}

/** The HTTP status and message a store or handler failure maps to. */
export function failureOf(error: unknown): { status: number; message: string } {
  if (error instanceof EndpointError) return { status: error.status, message: error.message };
  if (error instanceof ServiceError) return { status: error.status, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, message };
}

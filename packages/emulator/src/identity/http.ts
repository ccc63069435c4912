/** Small request/response helpers the identity endpoints share. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { ServiceError } from '../contracts.js';

/** Reads a whole request body, refusing more than `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit)
      throw new ServiceError(413, 'RequestEntityTooLarge', `the request body exceeds ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The path and query of a request, split without decoding either. */
export function splitUrl(req: IncomingMessage): { path: string; query: string } {
  const url = req.url ?? '/';
  const mark = url.indexOf('?');
  return mark < 0 ? { path: url, query: '' } : { path: url.slice(0, mark), query: url.slice(mark + 1) };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  contentType: string,
  text: string,
  headers = {}
): void {
  res.writeHead(status, {
    ...headers,
    'content-type': contentType,
    'content-length': Buffer.byteLength(text)
  });
  res.end(text);
}

/**
 * Reads a small body whose hash the client signed in `x-amz-content-sha256` (authenticate leaves it
 * unread), refusing one that does not hash to that value: without this check the body is unauthenticated.
 */
export async function readSignedBody(req: IncomingMessage, limit = 16 * 1024 * 1024): Promise<Buffer> {
  const body = await readBody(req, limit);
  const declared = req.headers['x-amz-content-sha256'];
  if (typeof declared === 'string' && declared !== 'UNSIGNED-PAYLOAD') {
    if (createHash('sha256').update(body).digest('hex') !== declared) {
      throw new ServiceError(
        400,
        'ValidationException',
        "The provided 'x-amz-content-sha256' header does not match what was computed."
      );
    }
  }
  return body;
}

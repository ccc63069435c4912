/** Small helpers for writing responses the way each protocol expects. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ServiceError } from './contracts.js';

/** Which wire format an error goes out in. */
export type Protocol = 'restJson' | 'query' | 'plain';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId(),
    ...headers
  });
  res.end(text);
}

/** Writes `error` as restJson1 (type header + JSON body), STS's XML, or plain text with the status. */
export function sendError(res: ServerResponse, error: ServiceError, protocol: Protocol): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (protocol === 'plain') {
    const text = `${error.message}\n`;
    res.writeHead(error.status, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      ...error.headers
    });
    res.end(text);
    return;
  }
  if (protocol === 'query') {
    sendQueryError(res, error);
    return;
  }
  sendJson(
    res,
    error.status,
    { message: error.message, ...error.extra },
    { 'x-amzn-errortype': error.type, ...error.headers }
  );
}

/** Anything thrown, as the ServiceError AWS would answer with. */
export function asServiceError(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  return new ServiceError(
    500,
    'InternalServerException',
    `Internal error: ${(error as Error)?.message ?? String(error)}`
  );
}

/** Reads a small request body whole; refuses more than `limit` bytes. */
export async function readSmallBody(req: IncomingMessage, limit = 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit)
      throw new ServiceError(400, 'ValidationException', `The request body exceeds ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function requestId(): string {
  return randomUUID();
}

/** STS's `<ErrorResponse>`; its throttling code is `Throttling`. */
function sendQueryError(res: ServerResponse, error: ServiceError): void {
  const code = error.type === 'ThrottlingException' ? 'Throttling' : error.type;
  const escape = (text: string) => text.replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`);
  const xml =
    `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>${error.status >= 500 ? 'Receiver' : 'Sender'}</Type>` +
    `<Code>${escape(code)}</Code><Message>${escape(error.message)}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`;
  res.writeHead(error.status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(xml),
    ...error.headers
  });
  res.end(xml);
}

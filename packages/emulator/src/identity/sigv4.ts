/**
 * Verifies AWS Signature Version 4 on incoming requests, the way AWS does: rebuild the canonical
 * request from what arrived, sign it with the caller's secret, compare. The canonical forms follow
 * the SigV4 specification, which the JS SDK (@smithy/signature-v4) and botocore both implement.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ServiceError } from '../contracts.js';
import { splitUrl } from './http.js';
import type { CredentialRecord, EmulatorPrincipal } from './principals.js';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const EMPTY_SHA256 = createHash('sha256').digest('hex');
const MAX_SKEW_MS = 15 * 60 * 1000;

/** The parts of an `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` header. */
export interface AuthorizationParts {
  accessKeyId: string;
  /** YYYYMMDD of the credential scope. */
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

function incomplete(message: string): ServiceError {
  return new ServiceError(403, 'IncompleteSignatureException', message);
}

/** Parses the Authorization header; rejects a malformed one with IncompleteSignatureException. */
export function parseAuthorization(header: string): AuthorizationParts {
  if (!header.startsWith(`${ALGORITHM} `)) {
    throw incomplete(`Authorization header must use ${ALGORITHM}; got '${header.split(' ')[0]}'`);
  }
  const fields = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length).split(',')) {
    const [name, ...rest] = part.trim().split('=');
    fields.set(name, rest.join('='));
  }
  const credential = fields.get('Credential')?.split('/');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || credential.length !== 5 || credential[4] !== 'aws4_request') {
    throw incomplete(
      "Authorization header requires 'Credential' parameter of the form AKID/YYYYMMDD/region/service/aws4_request."
    );
  }
  if (!signedHeaders) throw incomplete("Authorization header requires 'SignedHeaders' parameter.");
  if (!signature || !/^[0-9a-f]{64}$/.test(signature)) {
    throw incomplete("Authorization header requires 'Signature' parameter of 64 hexadecimal digits.");
  }
  const [accessKeyId, date, region, service] = credential;
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

/** RFC 3986 percent-encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ */
export function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`
  );
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The canonical URI: the path as sent, dot segments removed, each segment encoded again (non-S3 services). */
export function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return `/${segments.map(escapeUri).join('/')}${trailing}`;
}

/** The canonical query: each name and value decoded, re-encoded strictly, sorted by name then value. */
export function canonicalQuery(rawQuery: string): string {
  const pairs: Array<[string, string]> = [];
  for (const item of rawQuery.split('&')) {
    if (item === '') continue;
    const mark = item.indexOf('=');
    const name = escapeUri(decodeComponent(mark < 0 ? item : item.slice(0, mark)));
    const value = mark < 0 ? '' : escapeUri(decodeComponent(item.slice(mark + 1)));
    if (name !== 'X-Amz-Signature') pairs.push([name, value]);
  }
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/** The canonical headers block: `name:value\n` per signed header, values trimmed, inner whitespace collapsed. */
export function canonicalHeaders(rawHeaders: string[], signedHeaders: string[]): string {
  const values = new Map<string, string[]>();
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = rawHeaders[index].toLowerCase();
    const list = values.get(name) ?? [];
    list.push(rawHeaders[index + 1].trim().replace(/\s+/g, ' '));
    values.set(name, list);
  }
  return signedHeaders.map((name) => `${name}:${(values.get(name) ?? []).join(',')}\n`).join('');
}

export function canonicalRequest(req: IncomingMessage, signedHeaders: string[], payloadHash: string): string {
  const { path, query } = splitUrl(req);
  return [
    req.method ?? 'GET',
    canonicalPath(path),
    canonicalQuery(query),
    canonicalHeaders(req.rawHeaders, signedHeaders),
    signedHeaders.join(';'),
    payloadHash
  ].join('\n');
}

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** The signature of `canonical` with `secret` for the scope in `auth`, as hex. */
export function computeSignature(
  secret: string,
  amzDate: string,
  auth: AuthorizationParts,
  canonical: string
): string {
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join(
    '\n'
  );
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${secret}`, auth.date), auth.region), auth.service),
    'aws4_request'
  );
  return createHmac('sha256', signingKey).update(stringToSign).digest('hex');
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `20250102T030405Z` to epoch milliseconds, or NaN. */
function parseAmzDate(text: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return Date.parse(text);
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

const INVALID_TOKEN = 'The security token included in the request is invalid.';
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** Checks signatures against the keys the emulator knows. */
export class SigV4Verifier {
  constructor(
    private readonly findCredentials: (accessKeyId: string) => CredentialRecord | undefined,
    private readonly now: () => number,
    /** The region regional services sign for; STS is answered in any region, as AWS does. */
    private readonly region: string
  ) {}

  /** The caller of a signed request whose payload hashes to `payloadHash`; rejects as AWS does. */
  verify(req: IncomingMessage, payloadHash: string): EmulatorPrincipal {
    const header = headerValue(req, 'authorization');
    if (!header)
      throw new ServiceError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    const auth = parseAuthorization(header);
    const record = this.credentialsFor(req, auth.accessKeyId);
    const amzDate = this.checkDate(req, auth);
    if (auth.service !== 'sts' && auth.region !== this.region) {
      throw new ServiceError(
        403,
        'InvalidSignatureException',
        `Credential should be scoped to a valid region, not '${auth.region}'. This endpoint serves '${this.region}'.`
      );
    }
    if (!auth.signedHeaders.includes('host')) {
      throw new ServiceError(
        403,
        'InvalidSignatureException',
        "'Host' must be a 'SignedHeader' in the AWS Authorization."
      );
    }
    const expected = computeSignature(
      record.secretAccessKey,
      amzDate,
      auth,
      canonicalRequest(req, auth.signedHeaders, payloadHash)
    );
    if (!timingSafeEqual(Buffer.from(expected), Buffer.from(auth.signature))) {
      throw new ServiceError(403, 'InvalidSignatureException', SIGNATURE_MISMATCH);
    }
    return record.principal;
  }

  private credentialsFor(req: IncomingMessage, accessKeyId: string): CredentialRecord {
    const record = this.findCredentials(accessKeyId);
    if (!record) throw new ServiceError(403, 'UnrecognizedClientException', INVALID_TOKEN);
    if (
      record.sessionToken !== undefined &&
      headerValue(req, 'x-amz-security-token') !== record.sessionToken
    ) {
      throw new ServiceError(403, 'UnrecognizedClientException', INVALID_TOKEN);
    }
    if (record.expiration && record.expiration.getTime() <= this.now()) {
      throw new ServiceError(
        403,
        'ExpiredTokenException',
        'The security token included in the request is expired'
      );
    }
    return record;
  }

  private checkDate(req: IncomingMessage, auth: AuthorizationParts): string {
    const amzDate = headerValue(req, 'x-amz-date') ?? headerValue(req, 'date');
    if (!amzDate) {
      throw incomplete(
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
      );
    }
    const signedAt = parseAmzDate(amzDate);
    if (Number.isNaN(signedAt))
      throw incomplete(`'${amzDate}' is not a valid X-Amz-Date (YYYYMMDDTHHMMSSZ).`);
    const now = this.now();
    const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');
    if (signedAt < now - MAX_SKEW_MS) {
      throw new ServiceError(
        403,
        'InvalidSignatureException',
        `Signature expired: ${stamp(signedAt)} is now earlier than ${stamp(now - MAX_SKEW_MS)} (${stamp(now)} - 15 min.)`
      );
    }
    if (signedAt > now + MAX_SKEW_MS) {
      throw new ServiceError(
        403,
        'InvalidSignatureException',
        `Signature not yet current: ${stamp(signedAt)} is still later than ${stamp(now + MAX_SKEW_MS)} (${stamp(now)} + 15 min.)`
      );
    }
    if (stamp(signedAt).slice(0, 8) !== auth.date) {
      throw new ServiceError(
        403,
        'InvalidSignatureException',
        `Credential should be scoped to a valid date, not '${auth.date}'.`
      );
    }
    // The string to sign wants the basic ISO 8601 form even when the time came in a Date header.
    return stamp(signedAt);
  }
}

/**
 * STS on the query protocol: `POST /` with a form body (or `GET /?Action=...`), XML answers and
 * `<ErrorResponse>` errors shaped as STS sends them.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ServiceError } from '../contracts.js';
import type { EmulatorConfig, RoleConfig } from '../config.js';
import { readBody, sendText, splitUrl } from './http.js';
import type { OidcIssuer } from './oidc.js';
import { stringLike } from './patterns.js';
import { roleSessionPrincipal, type CredentialStore } from './principals.js';
import type { SigV4Verifier } from './sigv4.js';

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const MAX_FORM_BYTES = 1024 * 1024;
const SESSION_NAME = /^[\w+=,.@-]*$/;

type XmlTree = { [name: string]: string | XmlTree };

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function toXml(tree: XmlTree): string {
  return Object.entries(tree)
    .map(
      ([name, value]) => `<${name}>${typeof value === 'string' ? escapeXml(value) : toXml(value)}</${name}>`
    )
    .join('');
}

/** STS writes times as ISO 8601 without milliseconds. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The control plane's SigV4 errors (all 403) under the names STS gives them. */
const QUERY_ERROR_CODES: Record<string, string> = {
  MissingAuthenticationTokenException: 'MissingAuthenticationToken',
  UnrecognizedClientException: 'InvalidClientTokenId',
  InvalidSignatureException: 'SignatureDoesNotMatch',
  // A 400 ExpiredTokenException is an expired web identity token, which keeps its name.
  ExpiredTokenException: 'ExpiredToken',
  IncompleteSignatureException: 'IncompleteSignature'
};

function validationError(message: string): ServiceError {
  return new ServiceError(400, 'ValidationError', message);
}

function accessDenied(): ServiceError {
  return new ServiceError(403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
}

export interface StsOptions {
  config: EmulatorConfig;
  oidc: OidcIssuer;
  credentials: CredentialStore;
  verifier: SigV4Verifier;
  now: () => number;
}

export class StsService {
  constructor(private readonly options: StsOptions) {}

  /** Answers one STS request; every failure becomes an `<ErrorResponse>`. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    try {
      const body = req.method === 'POST' ? await readBody(req, MAX_FORM_BYTES) : Buffer.alloc(0);
      const params = new URLSearchParams(splitUrl(req).query);
      for (const [name, value] of new URLSearchParams(body.toString('utf8'))) params.set(name, value);
      const result = await this.dispatch(req, params, body);
      const action = params.get('Action');
      const xml = `<${action}Response xmlns="${NAMESPACE}"><${action}Result>${toXml(result)}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
      sendText(res, 200, 'text/xml', xml, { 'x-amzn-requestid': requestId });
    } catch (error) {
      this.sendError(res, error, requestId);
    }
  }

  private async dispatch(req: IncomingMessage, params: URLSearchParams, body: Buffer): Promise<XmlTree> {
    const action = params.get('Action');
    if (!action) throw new ServiceError(400, 'MissingAction', 'Missing Action');
    if (action === 'AssumeRoleWithWebIdentity') return this.assumeRoleWithWebIdentity(params);
    if (action === 'GetCallerIdentity') return this.getCallerIdentity(req, body);
    throw new ServiceError(400, 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
  }

  private getCallerIdentity(req: IncomingMessage, body: Buffer): XmlTree {
    const bodyHash = createHash('sha256').update(body).digest('hex');
    const declared = req.headers['x-amz-content-sha256'];
    if (typeof declared === 'string' && declared !== 'UNSIGNED-PAYLOAD' && declared !== bodyHash) {
      throw new ServiceError(
        400,
        'XAmzContentSHA256Mismatch',
        "The provided 'x-amz-content-sha256' header does not match what was computed."
      );
    }
    const principal = this.options.verifier.verify(req, typeof declared === 'string' ? declared : bodyHash);
    return { Arn: principal.arn, UserId: principal.userId, Account: principal.accountId };
  }

  private async assumeRoleWithWebIdentity(params: URLSearchParams): Promise<XmlTree> {
    const { roleArn, sessionName, durationSeconds, token } = this.readAssumeRoleParams(params);
    const claims = await this.options.oidc.verify(token);
    const role = this.options.config.roles.find((candidate) => candidate.arn === roleArn);
    if (!role) throw accessDenied();
    const audiences = typeof claims.aud === 'string' ? [claims.aud] : (claims.aud ?? []);
    const known = this.options.config.roles.flatMap((candidate) => candidate.trust.audience);
    // Like IAM's OIDC provider: an audience no role lists is not a client ID of the provider at all.
    if (!audiences.some((audience) => known.includes(audience))) {
      throw new ServiceError(400, 'InvalidIdentityToken', 'Incorrect token audience');
    }
    const subject = String(claims.sub ?? '');
    if (!trusts(role, subject, audiences)) throw accessDenied();
    if (durationSeconds > role.maxSessionDuration) {
      throw validationError(
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'
      );
    }
    const { accountId } = this.options.config;
    const expiration = new Date(Math.floor(this.options.now() / 1000) * 1000 + durationSeconds * 1000);
    const principal = roleSessionPrincipal(role, accountId, sessionName, expiration);
    const credentials = this.options.credentials.issueSession(principal, expiration);
    return {
      SubjectFromWebIdentityToken: subject,
      Audience: audiences.find((audience) => role.trust.audience.includes(audience)) ?? audiences[0],
      AssumedRoleUser: { Arn: principal.arn, AssumedRoleId: principal.userId },
      Credentials: {
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        SessionToken: credentials.sessionToken,
        Expiration: isoSeconds(expiration)
      },
      Provider: String(claims.iss)
    };
  }

  private readAssumeRoleParams(params: URLSearchParams) {
    const roleArn = requiredParam(params, 'RoleArn');
    const sessionName = requiredParam(params, 'RoleSessionName');
    const token = requiredParam(params, 'WebIdentityToken');
    if (sessionName.length < 2 || sessionName.length > 64) {
      throw constraintError(sessionName, 'roleSessionName', 'Member must have length between 2 and 64');
    }
    if (!SESSION_NAME.test(sessionName)) {
      throw constraintError(
        sessionName,
        'roleSessionName',
        'Member must satisfy regular expression pattern: [\\w+=,.@-]*'
      );
    }
    if (roleArn.length < 20 || roleArn.length > 2048) {
      throw constraintError(roleArn, 'roleArn', 'Member must have length between 20 and 2048');
    }
    return { roleArn, sessionName, token, durationSeconds: readDuration(params.get('DurationSeconds')) };
  }

  private sendError(res: ServerResponse, error: unknown, requestId: string): void {
    const known = error instanceof ServiceError;
    const status = known ? error.status : 500;
    const code = known ? (status === 403 && QUERY_ERROR_CODES[error.type]) || error.type : 'InternalFailure';
    const message = known ? error.message : 'The request processing has failed because of an unknown error.';
    const type = status >= 500 ? 'Receiver' : 'Sender';
    const xml = `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    sendText(res, status, 'text/xml', xml, { 'x-amzn-requestid': requestId });
  }
}

function constraintError(value: string, member: string, constraint: string): ServiceError {
  return validationError(
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`
  );
}

/** A required parameter; STS names the member in lower camel case. */
function requiredParam(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null) {
    const member = name[0].toLowerCase() + name.slice(1);
    throw validationError(
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`
    );
  }
  return value;
}

function readDuration(text: string | null): number {
  if (text === null) return 3600;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 900) {
    throw constraintError(text, 'durationSeconds', 'Member must have value greater than or equal to 900');
  }
  if (value > 43200) {
    throw constraintError(text, 'durationSeconds', 'Member must have value less than or equal to 43200');
  }
  return value;
}

/** The role's trust policy: StringEquals on aud, StringLike on sub. */
export function trusts(role: RoleConfig, subject: string, audiences: string[]): boolean {
  return (
    audiences.some((audience) => role.trust.audience.includes(audience)) &&
    role.trust.subjects.some((pattern) => stringLike(pattern, subject))
  );
}

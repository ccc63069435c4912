/**
 * The identity side of the local CodeArtifact: a GitHub OIDC issuer, STS, SigV4 verification,
 * IAM-style principals, and CodeArtifact authorization tokens.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Identity, Principal } from '../contracts.js';
import { ServiceError } from '../contracts.js';
import type { EmulatorConfig } from '../config.js';
import { readBody, splitUrl } from './http.js';
import { OidcIssuer, type TokenClaims } from './oidc.js';
import {
  CredentialStore,
  generateStaticCredentials,
  rootPrincipal,
  roleSessionPrincipal,
  type Credentials,
  type EmulatorPrincipal
} from './principals.js';
import { SigV4Verifier } from './sigv4.js';
import { StsService } from './sts.js';
import { AuthorizationTokens } from './tokens.js';

export { resolveClaims, type TokenClaims } from './oidc.js';
export { readSignedBody } from './http.js';
export { actionMatches, stringLike } from './patterns.js';
export type { Credentials, EmulatorPrincipal } from './principals.js';

/** Control-plane bodies are small; a larger unsigned-hash body is refused rather than buffered. */
const MAX_SIGNED_BODY_BYTES = 64 * 1024 * 1024;

/** What tests and the bin add to Identity. */
export interface IdentityAdmin {
  /** A token from the emulator's issuer with other claims (another repository, a branch, an expired one). */
  issueOidcToken(claims: TokenClaims): Promise<string>;
  /** The account root, for calling issueAuthorizationToken directly. */
  readonly root: EmulatorPrincipal;
  /** A role session without the OIDC round trip: credentials whose signed requests act as the role. */
  assumeRole(
    roleArn: string,
    options?: { sessionName?: string; durationSeconds?: number }
  ): Required<Credentials>;
  /** The issuer URL (`<base>/oidc`). */
  readonly issuer: string;
}

export interface IdentityOptions {
  /** The emulator's base URL, e.g. `http://127.0.0.1:4566` (a function: the port is known after listen). */
  baseUrl: () => string;
  config: EmulatorConfig;
  region: string;
  /** The clock, in epoch milliseconds; tests move it. */
  now?: () => number;
}

function payloadHashOf(req: IncomingMessage): string | undefined {
  const declared = req.headers['x-amz-content-sha256'];
  return typeof declared === 'string' ? declared : undefined;
}

export async function createIdentity(options: IdentityOptions): Promise<Identity & IdentityAdmin> {
  const now = options.now ?? Date.now;
  const { config } = options;
  const issuerUrl = () => `${options.baseUrl().replace(/\/+$/, '')}/oidc`;
  const oidc = await OidcIssuer.create({
    issuer: issuerUrl,
    claims: config.oidc.claims,
    requestToken: config.oidc.requestToken,
    now
  });
  const root = rootPrincipal(config.accountId);
  const staticKeys = config.credentials ?? generateStaticCredentials();
  const credentials = new CredentialStore({ ...staticKeys, principal: root }, now);
  const verifier = new SigV4Verifier((key) => credentials.find(key), now, options.region);
  const sts = new StsService({ config, oidc, credentials, verifier, now });
  const tokens = new AuthorizationTokens(now);

  return {
    root,
    get issuer() {
      return oidc.issuer;
    },

    async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
      const { path, query } = splitUrl(req);
      const oidcBase = new URL(oidc.issuer).pathname;
      if (path === oidcBase || path.startsWith(`${oidcBase}/`)) return oidc.handle(req, res, path);
      const isStsCall = req.method === 'POST' || /(^|&)Action=/.test(query);
      if (path !== '/' || !isStsCall) return false;
      await sts.handle(req, res);
      return true;
    },

    async authenticate(req: IncomingMessage): Promise<{ principal: Principal; body?: Buffer }> {
      const declared = payloadHashOf(req);
      if (declared !== undefined) return { principal: verifier.verify(req, declared) };
      if (!req.headers.authorization) {
        throw new ServiceError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
      }
      const body = await readBody(req, MAX_SIGNED_BODY_BYTES);
      const principal = verifier.verify(req, createHash('sha256').update(body).digest('hex'));
      return { principal, body };
    },

    issueAuthorizationToken(
      principal: Principal,
      domain: string,
      domainOwner: string,
      durationSeconds: number
    ) {
      return tokens.issue(asEmulatorPrincipal(principal), domain, domainOwner, durationSeconds);
    },

    principalForToken(token: string, domain: string, domainOwner: string): Principal | undefined {
      return tokens.principalFor(token, domain, domainOwner);
    },

    readyInfo() {
      return {
        accountId: config.accountId,
        credentials: { accessKeyId: staticKeys.accessKeyId, secretAccessKey: staticKeys.secretAccessKey },
        oidc: { issuer: oidc.issuer, requestUrl: oidc.requestUrl, requestToken: oidc.requestToken },
        roles: config.roles.map((role) => role.arn)
      };
    },

    issueOidcToken: (claims: TokenClaims) => oidc.mint(claims),

    assumeRole(roleArn, { sessionName = 'emulator-session', durationSeconds = 3600 } = {}) {
      const role = config.roles.find((candidate) => candidate.arn === roleArn);
      if (!role)
        throw new Error(
          `no role ${roleArn} is configured (roles: ${config.roles.map((r) => r.arn).join(', ')})`
        );
      const expiration = new Date(now() + durationSeconds * 1000);
      return credentials.issueSession(
        roleSessionPrincipal(role, config.accountId, sessionName, expiration),
        expiration
      );
    }
  };
}

/** Principals come from this module; one built elsewhere is treated as a session-less caller. */
function asEmulatorPrincipal(principal: Principal): EmulatorPrincipal {
  if ('kind' in principal && 'userId' in principal) return principal as EmulatorPrincipal;
  return { ...principal, kind: 'role', userId: principal.arn, allows: (action) => principal.allows(action) };
}

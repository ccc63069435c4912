/**
 * A GitHub Actions OIDC issuer: discovery, JWKS, and a token request URL that behaves like
 * ACTIONS_ID_TOKEN_REQUEST_URL, minting RS256 tokens with GitHub's claims.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  SignJWT,
  calculateJwkThumbprint,
  createLocalJWKSet,
  errors as joseErrors,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type CryptoKey
} from 'jose';
import { ServiceError } from '../contracts.js';
import { isClaimName, type GithubClaims } from '../config.js';
import { sendJson, splitUrl } from './http.js';

/** Claims a token request may set on top of the configured ones, plus its audience and lifetime. */
export type TokenClaims = Partial<GithubClaims> & { aud?: string; expiresIn?: number };

/** GitHub's tokens live about five minutes. */
export const DEFAULT_TOKEN_SECONDS = 300;

const BASE_CLAIMS: Omit<
  GithubClaims,
  'sub' | 'repository_owner' | 'ref_type' | 'workflow_ref' | 'job_workflow_ref'
> = {
  repository: 'octo-org/octo-repo',
  ref: 'refs/tags/v1.2.3',
  sha: 'd6e5a3b1c0f4e2d8a7b9c1e3f5a7b9d1e3f5a7b9',
  workflow: 'release',
  event_name: 'push',
  environment: '',
  actor: 'octocat',
  run_id: '1000000001',
  run_number: '1',
  run_attempt: '1',
  repository_visibility: 'private',
  runner_environment: 'github-hosted'
};

/** Claims GitHub computes from others; a layer that changes their sources drops earlier explicit values. */
const DERIVED: ReadonlyArray<keyof GithubClaims> = [
  'sub',
  'repository_owner',
  'ref_type',
  'workflow_ref',
  'job_workflow_ref'
];
const SOURCES: ReadonlyArray<keyof GithubClaims> = ['repository', 'ref', 'environment', 'event_name'];

/**
 * Merges claim layers (configuration first, then each request's overrides) and derives what GitHub
 * derives: sub, repository_owner, ref_type, workflow_ref and job_workflow_ref.
 */
export function resolveClaims(...layers: Array<Partial<GithubClaims>>): GithubClaims {
  let explicit: Partial<GithubClaims> = {};
  for (const layer of layers) {
    if (SOURCES.some((name) => layer[name] !== undefined)) {
      explicit = Object.fromEntries(
        Object.entries(explicit).filter(([name]) => !DERIVED.includes(name as keyof GithubClaims))
      );
    }
    explicit = {
      ...explicit,
      ...Object.fromEntries(Object.entries(layer).filter(([, value]) => value !== undefined))
    };
  }
  const base = { ...BASE_CLAIMS, ...explicit };
  const workflowRef = `${base.repository}/.github/workflows/${base.workflow}.yml@${base.ref}`;
  return {
    ...base,
    sub: explicit.sub ?? subjectOf(base.repository, base.ref, base.environment, base.event_name),
    repository_owner: explicit.repository_owner ?? base.repository.split('/')[0],
    ref_type: explicit.ref_type ?? (base.ref.startsWith('refs/tags/') ? 'tag' : 'branch'),
    workflow_ref: explicit.workflow_ref ?? workflowRef,
    job_workflow_ref: explicit.job_workflow_ref ?? explicit.workflow_ref ?? workflowRef
  };
}

function subjectOf(repository: string, ref: string, environment: string, eventName: string): string {
  if (environment) return `repo:${repository}:environment:${environment}`;
  if (eventName === 'pull_request') return `repo:${repository}:pull_request`;
  return `repo:${repository}:ref:${ref}`;
}

/**
 * One RSA key per process: generating it takes about half a second, and emulators started in one
 * process still refuse each other's tokens because each has its own issuer URL (its port).
 */
let signingKey: Promise<{ privateKey: CryptoKey; publicJwk: JSONWebKeySet['keys'][number] }> | undefined;

async function newSigningKey(): Promise<{ privateKey: CryptoKey; publicJwk: JSONWebKeySet['keys'][number] }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { privateKey, publicJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } };
}

export interface OidcIssuerOptions {
  /** The issuer URL (`<base>/oidc`); a function because the port is known only after listen. */
  issuer: () => string;
  claims: Partial<GithubClaims>;
  /** The bearer token the request URL wants; random when omitted. */
  requestToken?: string;
  now: () => number;
}

export class OidcIssuer {
  readonly requestToken: string;
  private readonly jwks: JSONWebKeySet;

  private constructor(
    private readonly options: OidcIssuerOptions,
    private readonly privateKey: CryptoKey,
    publicJwk: JSONWebKeySet['keys'][number]
  ) {
    this.requestToken = options.requestToken ?? randomBytes(24).toString('base64url');
    this.jwks = { keys: [publicJwk] };
  }

  static async create(options: OidcIssuerOptions): Promise<OidcIssuer> {
    signingKey ??= newSigningKey();
    const { privateKey, publicJwk } = await signingKey;
    return new OidcIssuer(options, privateKey, publicJwk);
  }

  get issuer(): string {
    return this.options.issuer();
  }

  /** ACTIONS_ID_TOKEN_REQUEST_URL: already has a query so `&audience=` can be appended; claims can be appended too. */
  get requestUrl(): string {
    return `${this.issuer}/token?api-version=2.0`;
  }

  get kid(): string {
    return String(this.jwks.keys[0].kid);
  }

  /** Mints a token with the configured claims overridden by `claims`. */
  async mint(claims: TokenClaims = {}): Promise<string> {
    const { aud, expiresIn = DEFAULT_TOKEN_SECONDS, ...overrides } = claims;
    const resolved = resolveClaims(this.options.claims, overrides);
    const { environment, ...rest } = resolved;
    const issuedAt = Math.floor(this.options.now() / 1000);
    return new SignJWT({ ...rest, ...(environment ? { environment } : {}), jti: randomUUID() })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.kid })
      .setIssuer(this.issuer)
      .setAudience(aud ?? `https://github.com/${resolved.repository_owner}`)
      .setIssuedAt(issuedAt)
      .setNotBefore(issuedAt)
      .setExpirationTime(issuedAt + expiresIn)
      .sign(this.privateKey);
  }

  /** Verifies a token as STS does (signature, issuer, time) and returns its claims; rejects with STS's errors. */
  async verify(token: string): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, createLocalJWKSet(this.jwks), {
        algorithms: ['RS256'],
        currentDate: new Date(this.options.now())
      });
      if (payload.iss !== this.issuer) {
        throw new ServiceError(
          400,
          'InvalidIdentityToken',
          `No OpenIDConnect provider found in your account for ${payload.iss}`
        );
      }
      return payload;
    } catch (error) {
      throw stsTokenError(error, this.options.now());
    }
  }

  /** Serves `/oidc/...`; resolves false for other paths under it. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    const base = new URL(this.issuer).pathname.replace(/\/$/, '');
    const route = path.slice(base.length);
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (route === '/.well-known/openid-configuration') sendJson(res, 200, this.discovery());
    else if (route === '/.well-known/jwks') sendJson(res, 200, this.jwks);
    else if (route === '/token') await this.serveTokenRequest(req, res);
    else return false;
    return true;
  }

  private discovery(): Record<string, unknown> {
    return {
      issuer: this.issuer,
      jwks_uri: `${this.issuer}/.well-known/jwks`,
      subject_types_supported: ['public', 'pairwise'],
      response_types_supported: ['id_token'],
      claims_supported: [
        'sub',
        'aud',
        'exp',
        'iat',
        'iss',
        'jti',
        'nbf',
        'ref',
        'sha',
        'repository',
        'repository_owner',
        'run_id',
        'actor',
        'workflow',
        'event_name',
        'ref_type',
        'environment',
        'job_workflow_ref',
        'workflow_ref'
      ],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid']
    };
  }

  private async serveTokenRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const expected = Buffer.from(`Bearer ${this.requestToken}`);
    const given = Buffer.from(String(req.headers.authorization ?? ''));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      sendJson(res, 401, { message: 'The bearer token does not match ACTIONS_ID_TOKEN_REQUEST_TOKEN' });
      return;
    }
    const params = new URLSearchParams(splitUrl(req).query);
    const claims: TokenClaims = {};
    for (const [name, value] of params) {
      if (name === 'audience') claims.aud = value;
      else if (isClaimName(name)) claims[name] = value;
      else if (name !== 'api-version') {
        sendJson(res, 400, {
          message: `unknown token request parameter "${name}" (claim names and audience are allowed)`
        });
        return;
      }
    }
    sendJson(res, 200, { count: 1, value: await this.mint(claims) });
  }
}

/** Translates jose's verification failures into what STS answers. */
function stsTokenError(error: unknown, now: number): ServiceError {
  if (error instanceof ServiceError) return error;
  if (error instanceof joseErrors.JWTExpired) {
    const exp = error.payload.exp;
    return new ServiceError(
      400,
      'ExpiredTokenException',
      `Token expired: current date/time ${Math.floor(now / 1000)} must be before the expiration date/time ${exp}`
    );
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) {
    return new ServiceError(
      400,
      'InvalidIdentityToken',
      "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements"
    );
  }
  if (
    error instanceof joseErrors.JWSSignatureVerificationFailed ||
    error instanceof joseErrors.JWTClaimValidationFailed
  ) {
    return new ServiceError(
      400,
      'InvalidIdentityToken',
      'The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.'
    );
  }
  return new ServiceError(
    400,
    'InvalidIdentityToken',
    'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)'
  );
}

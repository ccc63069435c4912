/** CodeArtifact authorization tokens: opaque, long, valid for one domain until they expire. */
import { randomBytes } from 'node:crypto';
import { TOKEN_DURATION } from '@codeartifact-actions/model';
import { ServiceError } from '../contracts.js';
import type { EmulatorPrincipal } from './principals.js';

interface TokenGrant {
  principal: EmulatorPrincipal;
  domain: string;
  domainOwner: string;
  expiresAt: number;
}

/** A root caller's token with duration 0 lives as long as the default (12 h): static keys have no session. */
const ROOT_SESSION_SECONDS = TOKEN_DURATION.default;

export class AuthorizationTokens {
  private readonly grants = new Map<string, TokenGrant>();

  constructor(private readonly now: () => number) {}

  /** Issues a token; `durationSeconds` 0 ties it to the caller's session, else 900-43200. */
  issue(
    principal: EmulatorPrincipal,
    domain: string,
    domainOwner: string,
    durationSeconds: number
  ): { token: string; expiration: Date } {
    const expiresAt = this.expiryFor(principal, durationSeconds);
    this.forgetExpired();
    const token = newTokenText(expiresAt);
    this.grants.set(token, { principal, domain, domainOwner, expiresAt });
    return { token, expiration: new Date(expiresAt) };
  }

  /** The principal behind `token`, or undefined when unknown, expired or for another domain. */
  principalFor(token: string, domain: string, domainOwner: string): EmulatorPrincipal | undefined {
    const grant = this.grants.get(token);
    if (!grant || grant.expiresAt <= this.now()) return undefined;
    if (grant.domain !== domain || grant.domainOwner !== domainOwner) return undefined;
    return grant.principal;
  }

  private expiryFor(principal: EmulatorPrincipal, durationSeconds: number): number {
    if (
      !Number.isInteger(durationSeconds) ||
      (durationSeconds !== 0 &&
        (durationSeconds < TOKEN_DURATION.min || durationSeconds > TOKEN_DURATION.max))
    ) {
      throw new ServiceError(
        400,
        'ValidationException',
        `durationSeconds must be 0 or between ${TOKEN_DURATION.min} and ${TOKEN_DURATION.max}`,
        { reason: 'FIELD_VALIDATION_FAILED' }
      );
    }
    if (durationSeconds > 0) return this.now() + durationSeconds * 1000;
    return principal.expiration?.getTime() ?? this.now() + ROOT_SESSION_SECONDS * 1000;
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [token, grant] of this.grants) if (grant.expiresAt <= now) this.grants.delete(token);
  }
}

/** A JWE-like shape (a JSON header, then random bytes) about as long as AWS's ~1,000-character tokens. */
function newTokenText(expiresAt: number): string {
  const header = Buffer.from(
    JSON.stringify({
      ver: 1,
      isu: Math.floor(Date.now() / 1000),
      enc: 'A128GCM',
      exp: Math.floor(expiresAt / 1000)
    })
  );
  return `${header.toString('base64url')}.${randomBytes(720).toString('base64url')}`;
}

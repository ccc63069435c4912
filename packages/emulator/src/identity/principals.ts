/**
 * Who may call: the account root (static keys, allowed everything) and role sessions (temporary
 * ASIA keys from AssumeRoleWithWebIdentity, allowed what their role lists, until they expire).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from '../contracts.js';
import type { RoleConfig } from '../config.js';
import { actionMatches } from './patterns.js';

/** A principal as the emulator keeps it. */
export interface EmulatorPrincipal extends Principal {
  readonly kind: 'root' | 'role';
  /** GetCallerIdentity's UserId: the account ID for the root, `AROA...:<session>` for a role session. */
  readonly userId: string;
  /** When the session ends; undefined for the root's static keys. */
  readonly expiration?: Date;
}

/** Temporary or static AWS credentials. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** What a SigV4 verifier needs to know about an access key. */
export interface CredentialRecord extends Credentials {
  principal: EmulatorPrincipal;
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomKeySuffix(length: number): string {
  return [...randomBytes(length)].map((byte) => KEY_ALPHABET[byte % KEY_ALPHABET.length]).join('');
}

/** A static access key pair shaped like IAM's (AKIA + 16 characters, 40-character secret). */
export function generateStaticCredentials(): { accessKeyId: string; secretAccessKey: string } {
  return { accessKeyId: `AKIA${randomKeySuffix(16)}`, secretAccessKey: randomBytes(30).toString('base64') };
}

/** The account root: every action allowed. */
export function rootPrincipal(accountId: string): EmulatorPrincipal {
  return {
    kind: 'root',
    arn: `arn:aws:iam::${accountId}:root`,
    accountId,
    userId: accountId,
    allows: () => true
  };
}

/** IAM's unique role ID (AROA...), stable for a role ARN. */
export function roleId(roleArn: string): string {
  const digest = createHash('sha256').update(roleArn).digest();
  return `AROA${[...digest.subarray(0, 17)].map((byte) => KEY_ALPHABET[byte % KEY_ALPHABET.length]).join('')}`;
}

/** A session of `role` named `sessionName`, allowed the role's actions until `expiration`. */
export function roleSessionPrincipal(
  role: RoleConfig,
  accountId: string,
  sessionName: string,
  expiration: Date
): EmulatorPrincipal {
  const actions = [...role.actions];
  return {
    kind: 'role',
    arn: `arn:aws:sts::${accountId}:assumed-role/${role.name}/${sessionName}`,
    accountId,
    userId: `${roleId(role.arn)}:${sessionName}`,
    expiration,
    allows: (action: string) => actions.some((pattern) => actionMatches(pattern, action))
  };
}

/** Sessions stay known this long after they expire, so their callers hear "expired", not "invalid". */
const EXPIRED_SESSION_MEMORY_MS = 24 * 3600 * 1000;

/** The access keys the emulator knows: the root's static pair and every session it issued. */
export class CredentialStore {
  private readonly sessions = new Map<string, CredentialRecord>();

  constructor(
    readonly root: CredentialRecord,
    private readonly now: () => number
  ) {}

  /** Issues temporary credentials (ASIA key, secret, session token) for a role session. */
  issueSession(principal: EmulatorPrincipal, expiration: Date): Required<Credentials> {
    this.forgetOldSessions();
    const credentials = {
      accessKeyId: `ASIA${randomKeySuffix(16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      // AWS session tokens are several hundred characters; long values catch tools that truncate them.
      sessionToken: randomBytes(600).toString('base64'),
      expiration
    };
    this.sessions.set(credentials.accessKeyId, { ...credentials, principal });
    return credentials;
  }

  find(accessKeyId: string): CredentialRecord | undefined {
    if (accessKeyId === this.root.accessKeyId) return this.root;
    return this.sessions.get(accessKeyId);
  }

  private forgetOldSessions(): void {
    const cutoff = this.now() - EXPIRED_SESSION_MEMORY_MS;
    for (const [key, record] of this.sessions) {
      if (record.expiration && record.expiration.getTime() < cutoff) this.sessions.delete(key);
    }
  }
}

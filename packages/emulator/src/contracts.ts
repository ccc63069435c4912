/**
 * The seams inside the local CodeArtifact: the control plane (API operations) and the package
 * endpoints (pip, twine, Maven, npm) share one store and one notion of who is calling.
 * Format handlers receive a RepositoryContext and never touch the HTTP router or SigV4.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';

export type Format = 'generic' | 'pypi' | 'maven' | 'npm' | 'nuget' | 'ruby' | 'swift' | 'cargo';
export type VersionStatus = 'Published' | 'Unfinished' | 'Unlisted' | 'Archived' | 'Disposed' | 'Deleted';

/** Who is calling: the account root (static keys) or an assumed role session. */
export interface Principal {
  arn: string;
  accountId: string;
  /** IAM actions this principal may perform ("codeartifact:ReadFromRepository", "*", "codeartifact:*"). */
  allows(action: string): boolean;
}

export interface AssetHashes {
  MD5: string;
  'SHA-1': string;
  'SHA-256': string;
  'SHA-512': string;
}

export interface StoredAsset {
  name: string;
  size: number;
  hashes: AssetHashes;
}

export interface PackageKey {
  format: Format;
  /** groupId for Maven, scope without "@" for npm, undefined for PyPI. */
  namespace?: string;
  /** Normalised the way the format does (PEP 503 for PyPI). */
  package: string;
}

export interface StoredVersion {
  version: string;
  status: VersionStatus;
  revision: string;
  /** Epoch seconds. */
  publishedTime?: number;
  /** INTERNAL when published to this repository, EXTERNAL when fetched through an upstream or external connection. */
  originType: 'INTERNAL' | 'EXTERNAL';
  /** Repository (domain/repo) or external connection the version came from, when EXTERNAL. */
  origin?: string;
  assets: StoredAsset[];
  /** Format-specific metadata the handler needs again (npm's version manifest, PyPI's requires-python...). */
  metadata?: Record<string, unknown>;
}

/** The storage of one repository's packages, streamed: asset bytes never sit whole in memory. */
export interface RepositoryStore {
  readonly domain: string;
  readonly domainOwner: string;
  readonly name: string;
  /** Upstream repository names, in resolution order. */
  readonly upstreams: string[];
  /** External connection names (public:pypi, public:npmjs, public:maven-central, ...). */
  readonly externalConnections: string[];

  listPackages(format?: Format): Promise<PackageKey[]>;
  listVersions(key: PackageKey): Promise<StoredVersion[]>;
  getVersion(key: PackageKey, version: string): Promise<StoredVersion | undefined>;
  /**
   * Streams `body` into storage as an asset of the version, creating package and version as needed
   * (status `status`, default Unfinished). Hashes are computed while streaming. When `expectedSha256`
   * is given and differs, nothing is stored and the promise rejects.
   * An asset with the same name and the same bytes is accepted again; different bytes reject with
   * a conflict (unless `replace` is set, as for SNAPSHOT metadata).
   */
  putAsset(
    key: PackageKey,
    version: string,
    asset: string,
    body: Readable,
    options?: {
      expectedSha256?: string;
      replace?: boolean;
      originType?: 'INTERNAL' | 'EXTERNAL';
      origin?: string;
    }
  ): Promise<StoredAsset>;
  openAsset(
    key: PackageKey,
    version: string,
    asset: string
  ): Promise<{ asset: StoredAsset; stream: Readable } | undefined>;
  setStatus(key: PackageKey, version: string, status: VersionStatus): Promise<void>;
  setMetadata(key: PackageKey, version: string, metadata: Record<string, unknown>): Promise<void>;
}

/** Everything a format handler gets for one request under `/<domain>-<owner>/<format>/<repo>/`. */
export interface RepositoryContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** The path after `/<domain>-<owner>/<format>/<repo>/`, undecoded, without the query string. */
  subpath: string;
  /** The repository endpoint URL as GetRepositoryEndpoint returns it (ends in "/"). */
  endpoint: string;
  repository: RepositoryStore;
  /** The repository's upstreams, resolved (in order), for fetch-through. */
  upstream(name: string): RepositoryStore | undefined;
  /**
   * A folder standing in for an external connection (configured per connection), or undefined when
   * none is configured.
   */
  externalFolder(connection: string): string | undefined;
  /** The caller, authenticated from the authorization token (Basic aws:<token> or Bearer). */
  principal: Principal;
  /** Records the operation and outcome in the request log. */
  log(operation: string, status: number): void;
}

export type FormatHandler = (ctx: RepositoryContext) => Promise<void>;

/** Raw request/response access for the control plane router. */
export type RawHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * An error as AWS sends it. The control plane writes it as restJson1 (`x-amzn-errortype` header and
 * `{"message": ...}` body plus `extra`), STS as query-protocol XML (`<ErrorResponse>`), package
 * endpoints as plain text with the status.
 */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    /** AWS error code: ValidationException, AccessDeniedException, InvalidIdentityToken, ... */
    readonly type: string,
    message: string,
    /** Extra members of the error shape: resourceId, resourceType, reason, retryAfterSeconds. */
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {}
  ) {
    super(message);
  }
}

/** What the identity side (GitHub OIDC, STS, SigV4, IAM, authorization tokens) offers the rest. */
export interface Identity {
  /**
   * Serves the OIDC issuer (`/oidc/...`: discovery, JWKS, the token request URL) and STS
   * (`POST /` with a form body: AssumeRoleWithWebIdentity, GetCallerIdentity). Resolves false when
   * the request is not one of those, without consuming its body.
   */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /**
   * Verifies a SigV4-signed control-plane request against credentials the emulator issued. When the
   * request carries `x-amz-content-sha256` the body is left unread (the caller streams and checks it);
   * otherwise the body is read (control-plane bodies are small) and returned.
   * Rejects with ServiceError (UnrecognizedClientException / InvalidSignatureException /
   * ExpiredTokenException, 403) as AWS would.
   */
  authenticate(req: IncomingMessage): Promise<{ principal: Principal; body?: Buffer }>;
  /** A CodeArtifact authorization token for `principal`, valid for one domain until `expiration`. */
  issueAuthorizationToken(
    principal: Principal,
    domain: string,
    domainOwner: string,
    durationSeconds: number
  ): { token: string; expiration: Date };
  /** The principal behind a token, or undefined when it is unknown, expired, or for another domain. */
  principalForToken(token: string, domain: string, domainOwner: string): Principal | undefined;
  /** The identity parts of the ready line. */
  readyInfo(): {
    accountId: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    oidc: { issuer: string; requestUrl: string; requestToken: string };
    roles: string[];
  };
}

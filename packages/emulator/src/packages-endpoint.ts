/**
 * The repository endpoints (`/<domain>-<owner>/<format>/<repo>/...`): the caller is authenticated by
 * its authorization token, then the format's handler serves the request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FORMATS } from '@codeartifact-actions/model';
import {
  ServiceError,
  type Format,
  type FormatHandler,
  type Principal,
  type RepositoryContext
} from './contracts.js';
import type { Catalog } from './storage/catalog.js';
import type { Identity } from './contracts.js';
import { repositoryEndpoint } from './control/domains.js';

export interface RepositoryPath {
  domain: string;
  owner: string;
  format: Format;
  repository: string;
  /** After `<repo>/`, undecoded. */
  subpath: string;
}

const REPOSITORY_PATH = /^\/([a-z][a-z0-9-]{0,48}[a-z0-9])-(\d{12})\/([a-z]+)\/([^/]+)(?:\/(.*))?$/;

/** The parts of a repository endpoint path, or undefined when `path` is not one. */
export function parseRepositoryPath(path: string): RepositoryPath | undefined {
  const match = REPOSITORY_PATH.exec(path);
  if (!match || !(FORMATS as readonly string[]).includes(match[3])) return undefined;
  return {
    domain: match[1],
    owner: match[2],
    format: match[3] as Format,
    repository: match[4],
    subpath: match[5] ?? ''
  };
}

/** The token in `Authorization: Basic base64(aws:<token>)` or `Bearer <token>`. */
export function tokenFromAuthorization(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value] = header.split(/\s+/, 2);
  if (!value) return undefined;
  if (/^bearer$/i.test(scheme)) return value;
  if (!/^basic$/i.test(scheme)) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : decoded.slice(colon + 1);
}

/** Reading needs ReadFromRepository; anything that writes needs PublishPackageVersion. */
export function actionForMethod(method: string): string {
  return method === 'GET' || method === 'HEAD'
    ? 'codeartifact:ReadFromRepository'
    : 'codeartifact:PublishPackageVersion';
}

export interface PackageEndpointServices {
  catalog: Catalog;
  identity: Identity;
  formats: Partial<Record<Format, FormatHandler>>;
  externalConnections: Record<string, string>;
  baseUrl: string;
}

export async function servePackageEndpoint(
  services: PackageEndpointServices,
  target: RepositoryPath,
  req: IncomingMessage,
  res: ServerResponse,
  log: (operation: string, status: number) => void,
  onPrincipal: (principal: Principal) => void
): Promise<void> {
  const token = tokenFromAuthorization(req.headers.authorization);
  const principal = token
    ? services.identity.principalForToken(token, target.domain, target.owner)
    : undefined;
  if (!principal) {
    throw new ServiceError(
      401,
      'Unauthorized',
      token
        ? 'The authorization token is not valid for this domain or has expired'
        : 'Authentication required',
      {},
      {
        'www-authenticate': `Basic realm="${target.domain}-${target.owner}/${target.format}/${target.repository}"`
      }
    );
  }
  onPrincipal(principal);
  const action = actionForMethod(req.method ?? 'GET');
  if (!principal.allows(action)) {
    throw new ServiceError(
      403,
      'AccessDenied',
      `User: ${principal.arn} is not authorized to perform: ${action} on repository ${target.repository}`
    );
  }
  const repository = services.catalog.repository(target.owner, target.domain, target.repository);
  if (!repository)
    throw new ServiceError(
      404,
      'NotFound',
      `Repository '${target.repository}' does not exist in domain '${target.domain}'`
    );
  const handler = services.formats[target.format];
  if (!handler) throw new ServiceError(404, 'NotFound', `This emulator serves no ${target.format} endpoint`);
  const context: RepositoryContext = {
    req,
    res,
    subpath: target.subpath,
    endpoint: repositoryEndpoint(
      services.baseUrl,
      target.domain,
      target.owner,
      target.format,
      target.repository
    ),
    repository,
    // Any repository of the domain: fetch-through walks upstreams of upstreams, as CodeArtifact does.
    upstream: (name) => services.catalog.repository(target.owner, target.domain, name),
    externalFolder: (connection) => services.externalConnections[connection],
    principal,
    log
  };
  await handler(context);
}

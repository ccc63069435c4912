/** The control plane's routes: method and path to operation, as the service model binds them. */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ServiceError, type Principal } from '../contracts.js';
import { readSmallBody } from '../http.js';
import type { ControlPlane, OperationContext } from './context.js';
import {
  associateExternalConnection,
  createDomain,
  createRepository,
  describeDomain,
  describeRepository,
  getAuthorizationToken,
  getRepositoryEndpoint,
  listRepositoriesInDomain
} from './domains.js';
import {
  deletePackageVersions,
  describePackageVersion,
  getPackageVersionAsset,
  listPackageVersionAssets,
  listPackages,
  listPackageVersions,
  updatePackageVersionsStatus
} from './packages.js';
import { publishPackageVersion } from './publish.js';

export interface Operation {
  name: string;
  method: string;
  path: string;
  run(ctx: OperationContext): Promise<void>;
  /** The operation reads the request body itself, streaming. */
  streamsBody?: boolean;
}

export const OPERATIONS: Operation[] = [
  { name: 'CreateDomain', method: 'POST', path: '/v1/domain', run: createDomain },
  { name: 'DescribeDomain', method: 'GET', path: '/v1/domain', run: describeDomain },
  { name: 'CreateRepository', method: 'POST', path: '/v1/repository', run: createRepository },
  { name: 'DescribeRepository', method: 'GET', path: '/v1/repository', run: describeRepository },
  {
    name: 'ListRepositoriesInDomain',
    method: 'POST',
    path: '/v1/domain/repositories',
    run: listRepositoriesInDomain
  },
  {
    name: 'AssociateExternalConnection',
    method: 'POST',
    path: '/v1/repository/external-connection',
    run: associateExternalConnection
  },
  {
    name: 'GetAuthorizationToken',
    method: 'POST',
    path: '/v1/authorization-token',
    run: getAuthorizationToken
  },
  {
    name: 'GetRepositoryEndpoint',
    method: 'GET',
    path: '/v1/repository/endpoint',
    run: getRepositoryEndpoint
  },
  {
    name: 'PublishPackageVersion',
    method: 'POST',
    path: '/v1/package/version/publish',
    run: publishPackageVersion,
    streamsBody: true
  },
  { name: 'ListPackages', method: 'POST', path: '/v1/packages', run: listPackages },
  { name: 'ListPackageVersions', method: 'POST', path: '/v1/package/versions', run: listPackageVersions },
  { name: 'DescribePackageVersion', method: 'GET', path: '/v1/package/version', run: describePackageVersion },
  {
    name: 'ListPackageVersionAssets',
    method: 'POST',
    path: '/v1/package/version/assets',
    run: listPackageVersionAssets
  },
  {
    name: 'GetPackageVersionAsset',
    method: 'GET',
    path: '/v1/package/version/asset',
    run: getPackageVersionAsset
  },
  {
    name: 'UpdatePackageVersionsStatus',
    method: 'POST',
    path: '/v1/package/versions/update_status',
    run: updatePackageVersionsStatus
  },
  {
    name: 'DeletePackageVersions',
    method: 'POST',
    path: '/v1/package/versions/delete',
    run: deletePackageVersions
  }
];

export function findOperation(method: string, path: string): Operation | undefined {
  return OPERATIONS.find((op) => op.method === method && op.path === path);
}

/** Authenticates a SigV4 request and runs `operation`; `onPrincipal` learns who called, for the log. */
export async function runOperation(
  plane: ControlPlane,
  operation: Operation,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  onPrincipal: (principal: Principal) => void
): Promise<void> {
  const { principal, body } = await plane.identity.authenticate(req);
  onPrincipal(principal);
  let json: Record<string, unknown> = {};
  if (!operation.streamsBody) {
    const raw = body ?? (await readSmallBody(req));
    checkPayloadHash(req, raw);
    json = parseJsonBody(raw);
  }
  await operation.run({ ...plane, req, res, query, principal, body: json });
}

/** The signed payload hash must be the body's: the signature covers the header, not the bytes. */
function checkPayloadHash(req: IncomingMessage, body: Buffer): void {
  const declared = req.headers['x-amz-content-sha256'];
  if (typeof declared !== 'string' || declared === 'UNSIGNED-PAYLOAD') return;
  const actual = createHash('sha256').update(body).digest('hex');
  if (declared !== actual) {
    throw new ServiceError(
      400,
      'XAmzContentSHA256Mismatch',
      `The provided 'x-amz-content-sha256' header does not match what was computed.`
    );
  }
}

function parseJsonBody(raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) return {};
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new ServiceError(400, 'ValidationException', 'The request body is not a JSON object', {
    reason: 'CANNOT_PARSE'
  });
}

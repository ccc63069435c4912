/**
 * The admin API under `/_emulator/` (unauthenticated: the emulator listens on loopback for tests):
 * the ready information, the request log, faults, OIDC tokens with other claims, and domains and
 * repositories created without signing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DOMAIN, REPOSITORY, checkName } from '@codeartifact-actions/model';
import { ServiceError } from './contracts.js';
import { checkFault, type FaultSpec, type Observer } from './faults.js';
import { readSmallBody, sendJson } from './http.js';
import type { Catalog } from './storage/catalog.js';

export interface AdminServices {
  catalog: Catalog;
  observer: Observer;
  accountId: string;
  info(): object;
  issueOidcToken(claims: Record<string, unknown>): Promise<string>;
}

type AdminRoute = (services: AdminServices, req: IncomingMessage, res: ServerResponse) => Promise<void>;

const ROUTES: Record<string, AdminRoute> = {
  'GET /_emulator': async (s, _req, res) => sendJson(res, 200, s.info()),
  'GET /_emulator/requests': async (s, _req, res) => sendJson(res, 200, { requests: s.observer.requests() }),
  'DELETE /_emulator/requests': async (s, _req, res) => noContent(res, s.observer.clearRequests()),
  'GET /_emulator/faults': async (s, _req, res) => sendJson(res, 200, { faults: s.observer.listFaults() }),
  'DELETE /_emulator/faults': async (s, _req, res) => noContent(res, s.observer.clearFaults()),
  'POST /_emulator/faults': addFaults,
  'POST /_emulator/oidc-token': async (s, req, res) =>
    sendJson(res, 200, { value: await s.issueOidcToken(await readJson(req)) }),
  'POST /_emulator/domains': createDomain,
  'POST /_emulator/repositories': createRepository
};

export async function serveAdmin(
  services: AdminServices,
  req: IncomingMessage,
  res: ServerResponse,
  path: string
): Promise<void> {
  const route = ROUTES[`${req.method} ${path.replace(/\/$/, '')}`];
  if (!route)
    throw new ServiceError(
      404,
      'NotFound',
      `No admin route ${req.method} ${path} (see the emulator's README)`
    );
  await route(services, req, res);
}

function noContent(res: ServerResponse, _done: void): void {
  res.writeHead(204).end();
}

function badRequest(message: string): ServiceError {
  return new ServiceError(400, 'ValidationException', message);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readSmallBody(req);
  if (raw.length === 0) return {};
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw badRequest('The body must be a JSON object');
}

/** One fault (`{operation, status, ...}`) or several (`{faults: [...]}`). */
async function addFaults(services: AdminServices, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req);
  const faults = (Array.isArray(body.faults) ? body.faults : [body]) as FaultSpec[];
  for (const fault of faults) {
    const problem = checkFault(fault);
    if (problem) throw badRequest(`Invalid fault: ${problem}`);
  }
  for (const fault of faults) services.observer.addFault(fault);
  sendJson(res, 201, { faults: services.observer.listFaults() });
}

function requireName(value: unknown, rule: typeof DOMAIN, field: string): string {
  const problem = typeof value === 'string' ? checkName(rule, value) : `${field} is required`;
  if (problem) throw badRequest(problem);
  return value as string;
}

async function createDomain(
  services: AdminServices,
  req: IncomingMessage,
  res: ServerResponse
): Promise<void> {
  const body = await readJson(req);
  const name = requireName(body.name, DOMAIN, 'name');
  const owner = typeof body.owner === 'string' ? body.owner : services.accountId;
  sendJson(res, 201, { domain: await services.catalog.createDomain(owner, name) });
}

async function createRepository(
  services: AdminServices,
  req: IncomingMessage,
  res: ServerResponse
): Promise<void> {
  const body = await readJson(req);
  const domain = requireName(body.domain, DOMAIN, 'domain');
  const name = requireName(body.name, REPOSITORY, 'name');
  const owner = typeof body.owner === 'string' ? body.owner : services.accountId;
  const upstreams = Array.isArray(body.upstreams) ? body.upstreams.map(String) : [];
  const store = await services.catalog.createRepository(owner, domain, name, {
    description: typeof body.description === 'string' ? body.description : undefined,
    upstreams
  });
  if (Array.isArray(body.externalConnections)) {
    store.record.externalConnections.push(...body.externalConnections.map(String));
    await services.catalog.save();
  }
  const { packages: _packages, ...record } = store.record;
  sendJson(res, 201, { repository: record });
}

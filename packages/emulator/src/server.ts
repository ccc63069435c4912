/**
 * The request router: admin API, control plane, repository endpoints and identity (OIDC, STS),
 * with injected faults applied and every request logged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ServiceError, type Format, type FormatHandler, type Identity } from './contracts.js';
import { findOperation, runOperation } from './control/index.js';
import type { ActiveFault, Observer, RequestLogEntry } from './faults.js';
import { asServiceError, sendError, type Protocol } from './http.js';
import { parseRepositoryPath, servePackageEndpoint } from './packages-endpoint.js';
import type { Catalog } from './storage/catalog.js';

export interface EmulatorServices {
  catalog: Catalog;
  identity: Identity;
  observer: Observer;
  formats: Partial<Record<Format, FormatHandler>>;
  externalConnections: Record<string, string>;
  region: string;
  /** Known once the server listens. */
  baseUrl: string;
  /** Serves `/_emulator/...`. */
  admin(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
}

/** Where a request goes, decided from its method and path alone. */
interface Route {
  /** Names a fault may target, most specific first. */
  faultNames: string[];
  protocol: Protocol;
  serve(entry: RequestLogEntry): Promise<void>;
}

export function createRequestListener(
  services: EmulatorServices
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (url.pathname === '/_emulator' || url.pathname.startsWith('/_emulator/')) {
      services
        .admin(req, res, url.pathname)
        .catch((error) => sendError(res, asServiceError(error), 'restJson'));
      return;
    }
    const entry: RequestLogEntry = {
      time: new Date().toISOString(),
      method: req.method ?? 'GET',
      path: url.pathname,
      operation: '',
      status: 0
    };
    const route = routeRequest(services, req, res, url, entry);
    res.on('close', () => {
      entry.status ||= res.headersSent ? res.statusCode : 0;
      services.observer.record(entry);
    });
    handle(services, req, res, route, entry).catch((error) => {
      if (!res.headersSent && !req.readableEnded && req.headers['content-length'] !== '0')
        res.setHeader('connection', 'close');
      sendError(res, asServiceError(error), route.protocol);
    });
  };
}

async function handle(
  services: EmulatorServices,
  req: IncomingMessage,
  res: ServerResponse,
  route: Route,
  entry: RequestLogEntry
): Promise<void> {
  const fault = services.observer.takeFault(route.faultNames);
  if (fault) {
    entry.fault = describeFault(fault);
    if (fault.latencyMs) await sleep(fault.latencyMs);
    if (fault.cutAfterBytes !== undefined) return cutConnection(req, fault.cutAfterBytes);
    if (fault.status) throw faultError(fault);
  }
  await route.serve(entry);
}

function routeRequest(
  services: EmulatorServices,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  entry: RequestLogEntry
): Route {
  const method = req.method ?? 'GET';
  const onPrincipal = (principal: { arn: string }) => (entry.principal = principal.arn);
  if (url.pathname.startsWith('/v1/')) {
    const operation = findOperation(method, url.pathname);
    entry.operation = operation?.name ?? 'UnknownOperation';
    return {
      faultNames: [entry.operation],
      protocol: 'restJson',
      serve: async () => {
        if (!operation)
          throw new ServiceError(
            404,
            'UnknownOperationException',
            `No operation at ${method} ${url.pathname}`
          );
        await runOperation(services, operation, req, res, url.searchParams, onPrincipal);
      }
    };
  }
  const target = parseRepositoryPath(url.pathname);
  if (target) {
    entry.operation = `${target.format}:${method}`;
    const log = (operation: string, status: number) => {
      entry.operation = operation;
      entry.status = status;
    };
    return {
      faultNames: [`${target.format}:${method}`, target.format],
      protocol: 'plain',
      serve: () => servePackageEndpoint(services, target, req, res, log, onPrincipal)
    };
  }
  entry.operation = url.pathname.startsWith('/oidc') ? 'oidc' : 'sts';
  return {
    faultNames: [entry.operation],
    protocol: entry.operation === 'sts' ? 'query' : 'plain',
    serve: async () => {
      if (!(await services.identity.handle(req, res)))
        throw new ServiceError(404, 'NotFound', `Nothing is served at ${method} ${url.pathname}`);
    }
  };
}

const FAULT_TYPES: Record<number, string> = {
  400: 'ValidationException',
  402: 'ServiceQuotaExceededException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  409: 'ConflictException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
  502: 'BadGateway',
  503: 'ServiceUnavailableException',
  504: 'GatewayTimeout'
};

function faultError(fault: ActiveFault): ServiceError {
  const status = fault.status!;
  const type = FAULT_TYPES[status] ?? 'InternalServerException';
  if (status === 429) {
    const seconds = fault.retryAfterSeconds ?? 1;
    return new ServiceError(429, type, 'Rate exceeded', {}, { 'retry-after': String(seconds) });
  }
  return new ServiceError(status, type, `Injected fault: ${type}`);
}

function describeFault(fault: ActiveFault): string {
  if (fault.cutAfterBytes !== undefined) return `cut after ${fault.cutAfterBytes} bytes`;
  if (fault.status) return `status ${fault.status}`;
  return `latency ${fault.latencyMs} ms`;
}

/** Reads `limit` bytes of the body (or all of a shorter one) and drops the connection unanswered. */
function cutConnection(req: IncomingMessage, limit: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const cut = () => {
      req.socket.destroy();
      resolve();
    };
    if (limit === 0) return cut();
    req.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen >= limit) cut();
    });
    req.on('end', cut);
    req.on('error', cut);
  });
}

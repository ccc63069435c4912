/**
 * A minimal stand-in for the emulator's router: identity endpoints, plus a few CodeArtifact
 * control-plane operations that authenticate with SigV4 and check IAM actions, so the real SDK
 * and CLI can be pointed at the identity side alone.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServiceError, type Principal } from '../packages/emulator/src/contracts.js';
import { parseConfig, type EmulatorConfig } from '../packages/emulator/src/config.js';
import { createIdentity, readSignedBody } from '../packages/emulator/src/identity/index.js';

export type TestIdentity = Awaited<ReturnType<typeof createIdentity>>;

export interface IdentityHarness {
  url: string;
  identity: TestIdentity;
  config: EmulatorConfig;
  /** Moves the emulator's clock forward (milliseconds). */
  advanceClock(ms: number): void;
  close(): Promise<void>;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function deny(principal: Principal, action: string): ServiceError {
  return new ServiceError(
    403,
    'AccessDeniedException',
    `User: ${principal.arn} is not authorized to perform: ${action}`
  );
}

async function controlPlane(
  identity: TestIdentity,
  req: IncomingMessage,
  res: ServerResponse
): Promise<void> {
  const { principal, body } = await identity.authenticate(req);
  const url = new URL(req.url ?? '/', 'http://localhost');
  const query = Object.fromEntries(url.searchParams);
  const route = `${req.method} ${url.pathname}`;
  if (route === 'POST /v1/authorization-token') {
    for (const action of ['codeartifact:GetAuthorizationToken', 'sts:GetServiceBearerToken']) {
      if (!principal.allows(action)) throw deny(principal, action);
    }
    const owner = query['domain-owner'] ?? principal.accountId;
    const { token, expiration } = identity.issueAuthorizationToken(
      principal,
      query.domain,
      owner,
      Number(query.duration ?? 43200)
    );
    return sendJson(res, 200, { authorizationToken: token, expiration: expiration.getTime() / 1000 });
  }
  if (route === 'GET /v1/package/version') {
    if (!principal.allows('codeartifact:DescribePackageVersion'))
      throw deny(principal, 'codeartifact:DescribePackageVersion');
    return sendJson(res, 200, {
      packageVersion: {
        format: query.format,
        namespace: query.namespace,
        packageName: query.package,
        version: query.version,
        status: 'Published'
      }
    });
  }
  if (route === 'POST /v1/package/version/publish') {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const sha256 = createHash('sha256').update(Buffer.concat(chunks)).digest('hex');
    return sendJson(res, 200, {
      format: 'generic',
      namespace: query.namespace,
      package: query.package,
      version: query.version,
      versionRevision: 'r1',
      status: 'Published',
      asset: { name: query.asset, size: Buffer.concat(chunks).length, hashes: { 'SHA-256': sha256 } }
    });
  }
  if (route === 'POST /v1/package/versions/update_status') {
    const request = JSON.parse((body ?? (await readSignedBody(req))).toString('utf8')) as {
      versions: string[];
      targetStatus: string;
    };
    return sendJson(res, 200, {
      successfulVersions: Object.fromEntries(
        request.versions.map((v) => [v, { revision: 'r1', status: request.targetStatus }])
      ),
      failedVersions: {}
    });
  }
  throw new ServiceError(404, 'ResourceNotFoundException', `no route ${route}`);
}

/** Starts the harness on a free loopback port with `configJson` (parsed like a config file). */
export async function startIdentityHarness(configJson: unknown = {}): Promise<IdentityHarness> {
  let offset = 0;
  let url = '';
  const config = parseConfig(configJson, 'test configuration');
  const identity = await createIdentity({
    baseUrl: () => url,
    config,
    region: config.region,
    now: () => Date.now() + offset
  });
  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        if (await identity.handle(req, res)) return;
        await controlPlane(identity, req, res);
      } catch (error) {
        const known =
          error instanceof ServiceError
            ? error
            : new ServiceError(500, 'InternalServerException', String(error));
        sendJson(res, known.status, { message: known.message }, { 'x-amzn-errortype': known.type });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    identity,
    config,
    advanceClock: (ms) => {
      offset += ms;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })
  };
}

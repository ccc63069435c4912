/** Injected faults reach the AWS SDK as AWS would present them: throttling, server errors, latency, cut connections. */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CodeartifactClient,
  DescribeDomainCommand,
  ListPackagesCommand,
  ListPackageVersionsCommand,
  PublishPackageVersionCommand
} from '@aws-sdk/client-codeartifact';
import { startEmulator, type RunningEmulator } from '@codeartifact-actions/emulator';

let emulator: RunningEmulator;

function client(maxAttempts: number): CodeartifactClient {
  return new CodeartifactClient({
    endpoint: emulator.info.endpoint,
    region: emulator.info.region,
    credentials: emulator.info.credentials,
    maxAttempts
  });
}

async function failure(
  promise: Promise<unknown>
): Promise<Error & Record<string, unknown> & { $metadata: { httpStatusCode?: number; attempts?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as never;
  }
  throw new Error('expected the call to fail');
}

function publishCommand(version: string, bytes: Buffer): PublishPackageVersionCommand {
  return new PublishPackageVersionCommand({
    domain: 'faults',
    repository: 'repo',
    format: 'generic',
    namespace: 'ns',
    package: 'cut',
    packageVersion: version,
    assetName: 'blob.bin',
    assetContent: bytes,
    assetSHA256: createHash('sha256').update(bytes).digest('hex')
  });
}

beforeAll(async () => {
  emulator = await startEmulator();
  await emulator.createDomain('faults');
  await emulator.createRepository('faults', 'repo');
});

afterEach(() => emulator.clearFaults());

afterAll(async () => {
  await emulator?.close();
});

describe('injected faults', () => {
  it('throttles with 429 and Retry-After: the SDK retries, then surfaces ThrottlingException when out of attempts', async () => {
    emulator.injectFault({ operation: 'DescribeDomain', status: 429, retryAfterSeconds: 1, count: 2 });
    const retrying = client(3);
    const described = await retrying.send(new DescribeDomainCommand({ domain: 'faults' }));
    expect(described.$metadata.attempts).toBe(3);
    retrying.destroy();

    emulator.injectFault({ operation: 'DescribeDomain', status: 429, retryAfterSeconds: 7 });
    const once = client(1);
    const error = await failure(once.send(new DescribeDomainCommand({ domain: 'faults' })));
    once.destroy();
    expect(error.name).toBe('ThrottlingException');
    expect(error.retryAfterSeconds).toBe(7);
    expect(error.$metadata.httpStatusCode).toBe(429);
  });

  it('answers 500 InternalServerException and 503 to the operation named, and only to it', async () => {
    emulator.injectFault({ operation: 'ListPackages', status: 500 });
    emulator.injectFault({ operation: 'ListPackages', status: 503 });
    const once = client(1);
    const internal = await failure(
      once.send(new ListPackagesCommand({ domain: 'faults', repository: 'repo' }))
    );
    expect(internal.name).toBe('InternalServerException');
    expect(internal.$metadata.httpStatusCode).toBe(500);
    const unavailable = await failure(
      once.send(new ListPackagesCommand({ domain: 'faults', repository: 'repo' }))
    );
    expect(unavailable.$metadata.httpStatusCode).toBe(503);
    expect(unavailable.name).toBe('ServiceUnavailableException');
    const after = await once.send(new ListPackagesCommand({ domain: 'faults', repository: 'repo' }));
    expect(after.packages).toEqual([]);
    once.destroy();
  });

  it('adds latency before answering', async () => {
    emulator.injectFault({ operation: 'DescribeDomain', latencyMs: 400 });
    const once = client(1);
    const started = Date.now();
    await once.send(new DescribeDomainCommand({ domain: 'faults' }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    once.destroy();
  });

  it('cuts the connection mid-upload: the SDK sees a network error and nothing is stored; a retry then succeeds', async () => {
    const bytes = randomBytes(512 * 1024);
    emulator.injectFault({ operation: 'PublishPackageVersion', cutAfterBytes: 64 * 1024 });
    const once = client(1);
    const error = await failure(once.send(publishCommand('1.0.0', bytes)));
    expect(error.$metadata?.httpStatusCode).toBeUndefined();
    expect(error.message).toMatch(/ECONNRESET|EPIPE|socket hang up/);
    const missing = await failure(
      once.send(
        new ListPackageVersionsCommand({
          domain: 'faults',
          repository: 'repo',
          format: 'generic',
          namespace: 'ns',
          package: 'cut'
        })
      )
    );
    expect(missing.name).toBe('ResourceNotFoundException');
    once.destroy();

    emulator.injectFault({ operation: 'PublishPackageVersion', cutAfterBytes: 1024 });
    const retrying = client(3);
    const published = await retrying.send(publishCommand('1.0.1', bytes));
    expect(published.status).toBe('Published');
    expect(published.$metadata.attempts).toBe(2);
    retrying.destroy();
  });

  it('takes faults through the admin API and shows them in the request log', async () => {
    emulator.clearRequestLog();
    const added = await fetch(`${emulator.info.admin}/faults`, {
      method: 'POST',
      body: JSON.stringify({ operation: 'DescribeDomain', status: 500, count: 1 })
    });
    expect(added.status).toBe(201);
    const bad = await fetch(`${emulator.info.admin}/faults`, {
      method: 'POST',
      body: JSON.stringify({ operation: 'DescribeDomain', status: 200 })
    });
    expect(bad.status).toBe(400);
    const once = client(1);
    await failure(once.send(new DescribeDomainCommand({ domain: 'faults' })));
    await once.send(new DescribeDomainCommand({ domain: 'faults' }));
    once.destroy();
    const { requests } = (await (await fetch(`${emulator.info.admin}/requests`)).json()) as {
      requests: Array<{ operation: string; status: number; fault?: string; principal?: string }>;
    };
    expect(requests.map((r) => [r.operation, r.status, r.fault])).toEqual([
      ['DescribeDomain', 500, 'status 500'],
      ['DescribeDomain', 200, undefined]
    ]);
    expect(requests[1].principal).toBe(`arn:aws:iam::${emulator.info.accountId}:root`);
    expect((await fetch(`${emulator.info.admin}/requests`, { method: 'DELETE' })).status).toBe(204);
    expect(emulator.requestLog()).toEqual([]);
  });

  it('fails package endpoint requests by format and method, as plain HTTP errors', async () => {
    emulator.injectFault({ operation: 'pypi:GET', status: 503 });
    const response = await fetch(
      `${emulator.info.endpoint}/faults-${emulator.info.accountId}/pypi/repo/simple/x/`
    );
    expect(response.status).toBe(503);
    const next = await fetch(
      `${emulator.info.endpoint}/faults-${emulator.info.accountId}/pypi/repo/simple/x/`
    );
    expect(next.status).toBe(401);
  });
});

describe('the admin API', () => {
  it('serves the ready information', async () => {
    const info = (await (await fetch(emulator.info.admin)).json()) as Record<string, unknown>;
    const { endpoint, region, accountId, oidc, roles, admin, credentials } = emulator.info;
    expect(info).toEqual({
      endpoint,
      region,
      accountId,
      oidc,
      roles,
      admin,
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey }
    });
  });

  it('creates domains and repositories without signing, which the SDK then sees', async () => {
    const domain = await fetch(`${emulator.info.admin}/domains`, {
      method: 'POST',
      body: JSON.stringify({ name: 'admin-made' })
    });
    expect(domain.status).toBe(201);
    const repo = await fetch(`${emulator.info.admin}/repositories`, {
      method: 'POST',
      body: JSON.stringify({ domain: 'admin-made', name: 'r1', externalConnections: ['public:npmjs'] })
    });
    expect(repo.status).toBe(201);
    const once = client(1);
    const { domain: described } = await once.send(new DescribeDomainCommand({ domain: 'admin-made' }));
    expect(described?.repositoryCount).toBe(1);
    once.destroy();
    const bad = await fetch(`${emulator.info.admin}/domains`, {
      method: 'POST',
      body: JSON.stringify({ name: 'Not Valid' })
    });
    expect(bad.status).toBe(400);
    expect((await fetch(`${emulator.info.admin}/nothing`)).status).toBe(404);
  });
});

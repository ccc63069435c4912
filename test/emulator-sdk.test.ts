/** The real AWS SDK drives every control-plane operation of the local CodeArtifact. */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AssociateExternalConnectionCommand,
  CodeartifactClient,
  CreateDomainCommand,
  CreateRepositoryCommand,
  DeletePackageVersionsCommand,
  DescribeDomainCommand,
  DescribePackageVersionCommand,
  DescribeRepositoryCommand,
  GetAuthorizationTokenCommand,
  GetPackageVersionAssetCommand,
  GetRepositoryEndpointCommand,
  ListPackagesCommand,
  ListPackageVersionAssetsCommand,
  ListPackageVersionsCommand,
  ListRepositoriesInDomainCommand,
  PublishPackageVersionCommand,
  UpdatePackageVersionsStatusCommand,
  paginateListPackageVersions,
  type PackageFormat
} from '@aws-sdk/client-codeartifact';
import { startEmulator, type RunningEmulator } from '@codeartifact-actions/emulator';

let emulator: RunningEmulator;
let client: CodeartifactClient;
const domain = 'acme';
const repository = 'releases';
const generic = { domain, repository, format: 'generic' as const, namespace: 'tools' };

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function hashesOf(bytes: Buffer): Record<string, string> {
  const hex = (algorithm: string) => createHash(algorithm).update(bytes).digest('hex');
  return { MD5: hex('md5'), 'SHA-1': hex('sha1'), 'SHA-256': hex('sha256'), 'SHA-512': hex('sha512') };
}

function publish(pkg: string, version: string, assetName: string, bytes: Buffer, unfinished?: boolean) {
  return client.send(
    new PublishPackageVersionCommand({
      ...generic,
      package: pkg,
      packageVersion: version,
      assetName,
      assetContent: bytes,
      assetSHA256: sha256(bytes),
      unfinished
    })
  );
}

/** The error a rejected promise carries, for checking its name and members. */
async function failure(
  promise: Promise<unknown>
): Promise<Record<string, unknown> & Error & { $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as never;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  emulator = await startEmulator();
  client = new CodeartifactClient({
    endpoint: emulator.info.endpoint,
    region: emulator.info.region,
    credentials: emulator.info.credentials,
    maxAttempts: 1
  });
  await client.send(new CreateDomainCommand({ domain }));
  await client.send(new CreateRepositoryCommand({ domain, repository: 'upstream-one' }));
  await client.send(
    new CreateRepositoryCommand({
      domain,
      repository,
      description: 'release builds',
      upstreams: [{ repositoryName: 'upstream-one' }]
    })
  );
});

afterAll(async () => {
  client?.destroy();
  await emulator?.close();
});

describe('domains and repositories', () => {
  it('describes the domain and the repository with its upstream', async () => {
    const { domain: described } = await client.send(new DescribeDomainCommand({ domain }));
    expect(described).toMatchObject({
      name: domain,
      owner: emulator.info.accountId,
      status: 'Active',
      repositoryCount: 2
    });
    expect(described?.arn).toBe(`arn:aws:codeartifact:us-east-1:${emulator.info.accountId}:domain/${domain}`);
    const { repository: repo } = await client.send(new DescribeRepositoryCommand({ domain, repository }));
    expect(repo).toMatchObject({
      name: repository,
      domainName: domain,
      description: 'release builds',
      upstreams: [{ repositoryName: 'upstream-one' }]
    });
    expect(repo?.createdTime).toBeInstanceOf(Date);
  });

  it('refuses a second domain or repository of the same name with ConflictException', async () => {
    expect((await failure(client.send(new CreateDomainCommand({ domain })))).name).toBe('ConflictException');
    const error = await failure(client.send(new CreateRepositoryCommand({ domain, repository })));
    expect(error.name).toBe('ConflictException');
    expect(error.$metadata.httpStatusCode).toBe(409);
  });

  it('pages through repositories and filters them by prefix', async () => {
    for (const name of ['page-a', 'page-b', 'page-c'])
      await client.send(new CreateRepositoryCommand({ domain, repository: name }));
    const first = await client.send(
      new ListRepositoriesInDomainCommand({ domain, repositoryPrefix: 'page-', maxResults: 2 })
    );
    expect(first.repositories?.map((r) => r.name)).toEqual(['page-a', 'page-b']);
    expect(first.nextToken).toBeDefined();
    const second = await client.send(
      new ListRepositoriesInDomainCommand({
        domain,
        repositoryPrefix: 'page-',
        maxResults: 2,
        nextToken: first.nextToken
      })
    );
    expect(second.repositories?.map((r) => r.name)).toEqual(['page-c']);
    expect(second.nextToken).toBeUndefined();
  });

  it('associates one external connection and refuses it twice', async () => {
    const { repository: repo } = await client.send(
      new AssociateExternalConnectionCommand({
        domain,
        repository: 'page-a',
        externalConnection: 'public:pypi'
      })
    );
    expect(repo?.externalConnections).toEqual([
      { externalConnectionName: 'public:pypi', packageFormat: 'pypi', status: 'Available' }
    ]);
    const again = await failure(
      client.send(
        new AssociateExternalConnectionCommand({
          domain,
          repository: 'page-a',
          externalConnection: 'public:pypi'
        })
      )
    );
    expect(again.name).toBe('ConflictException');
    const unknown = await failure(
      client.send(
        new AssociateExternalConnectionCommand({
          domain,
          repository: 'page-b',
          externalConnection: 'public:nowhere'
        })
      )
    );
    expect(unknown.name).toBe('ValidationException');
  });

  it('gives every format an endpoint under the domain and owner', async () => {
    const formats: PackageFormat[] = ['generic', 'pypi', 'maven', 'npm', 'nuget', 'ruby', 'swift', 'cargo'];
    for (const format of formats) {
      const { repositoryEndpoint } = await client.send(
        new GetRepositoryEndpointCommand({ domain, repository, format })
      );
      expect(repositoryEndpoint).toBe(
        `${emulator.info.endpoint}/${domain}-${emulator.info.accountId}/${format}/${repository}/`
      );
    }
  });

  it('issues authorization tokens for 0 or 900-43200 seconds only', async () => {
    const before = Date.now();
    const token = await client.send(new GetAuthorizationTokenCommand({ domain, durationSeconds: 900 }));
    expect(token.authorizationToken?.length).toBeGreaterThan(20);
    expect(Math.abs(token.expiration!.getTime() - before - 900_000)).toBeLessThan(5000);
    const byDefault = await client.send(new GetAuthorizationTokenCommand({ domain }));
    expect(Math.abs(byDefault.expiration!.getTime() - before - 43_200_000)).toBeLessThan(5000);
    for (const durationSeconds of [60, 43201]) {
      expect(
        (await failure(client.send(new GetAuthorizationTokenCommand({ domain, durationSeconds })))).name
      ).toBe('ValidationException');
    }
    const missing = await failure(
      client.send(new GetAuthorizationTokenCommand({ domain: 'no-such-domain' }))
    );
    expect(missing).toMatchObject({
      name: 'ResourceNotFoundException',
      resourceId: 'no-such-domain',
      resourceType: 'domain'
    });
  });
});

describe('a generic package version', () => {
  const assets = {
    'tool-linux.tar.gz': randomBytes(200_000),
    'tool-macos.tar.gz': randomBytes(150_000),
    SHA256SUMS: Buffer.from('sums\n')
  };

  it('stays Unfinished while assets are added with unfinished, then becomes Published', async () => {
    const first = await publish('tool', '1.0.0', 'tool-linux.tar.gz', assets['tool-linux.tar.gz'], true);
    expect(first).toMatchObject({
      format: 'generic',
      namespace: 'tools',
      package: 'tool',
      version: '1.0.0',
      status: 'Unfinished'
    });
    expect(first.asset).toEqual({
      name: 'tool-linux.tar.gz',
      size: 200_000,
      hashes: hashesOf(assets['tool-linux.tar.gz'])
    });
    const second = await publish('tool', '1.0.0', 'tool-macos.tar.gz', assets['tool-macos.tar.gz'], true);
    expect(second.status).toBe('Unfinished');
    expect(second.versionRevision).not.toBe(first.versionRevision);
    const last = await publish('tool', '1.0.0', 'SHA256SUMS', assets.SHA256SUMS);
    expect(last.status).toBe('Published');
  });

  it('lists the three assets with their size and four hashes', async () => {
    const listed = await client.send(
      new ListPackageVersionAssetsCommand({ ...generic, package: 'tool', packageVersion: '1.0.0' })
    );
    expect(listed).toMatchObject({
      format: 'generic',
      namespace: 'tools',
      package: 'tool',
      version: '1.0.0'
    });
    expect(listed.assets).toEqual(
      Object.entries(assets).map(([name, bytes]) => ({ name, size: bytes.length, hashes: hashesOf(bytes) }))
    );
  });

  it('downloads each asset back byte for byte, with the asset headers', async () => {
    for (const [name, bytes] of Object.entries(assets)) {
      const got = await client.send(
        new GetPackageVersionAssetCommand({
          ...generic,
          package: 'tool',
          packageVersion: '1.0.0',
          asset: name
        })
      );
      expect(got.assetName).toBe(name);
      expect(got.packageVersion).toBe('1.0.0');
      expect(got.packageVersionRevision).toBeTruthy();
      expect(Buffer.from(await got.asset!.transformToByteArray()).equals(bytes)).toBe(true);
    }
  });

  it('describes the version as Published and internal', async () => {
    const { packageVersion } = await client.send(
      new DescribePackageVersionCommand({ ...generic, package: 'tool', packageVersion: '1.0.0' })
    );
    expect(packageVersion).toMatchObject({
      format: 'generic',
      namespace: 'tools',
      packageName: 'tool',
      version: '1.0.0',
      status: 'Published',
      origin: { originType: 'INTERNAL', domainEntryPoint: { repositoryName: repository } }
    });
    expect(packageVersion?.publishedTime).toBeInstanceOf(Date);
  });

  it('accepts the same bytes again but answers 409 to different bytes under an existing asset name', async () => {
    await publish('tool', '1.0.0', 'SHA256SUMS', assets.SHA256SUMS);
    const error = await failure(publish('tool', '1.0.0', 'SHA256SUMS', Buffer.from('other sums\n')));
    expect(error).toMatchObject({
      name: 'ConflictException',
      resourceId: 'SHA256SUMS',
      resourceType: 'asset'
    });
    expect(error.$metadata.httpStatusCode).toBe(409);
  });

  it('keeps a Published version Published when another asset comes with unfinished', async () => {
    const added = await publish('tool', '1.0.0', 'NOTES.txt', Buffer.from('notes'), true);
    expect(added.status).toBe('Published');
  });

  it('stores nothing when the content does not match its SHA-256', async () => {
    const error = await failure(
      client.send(
        new PublishPackageVersionCommand({
          ...generic,
          package: 'tool',
          packageVersion: '2.0.0',
          assetName: 'x.bin',
          assetContent: Buffer.from('actual bytes'),
          assetSHA256: sha256(Buffer.from('declared bytes'))
        })
      )
    );
    expect(error.name).toBe('ValidationException');
    const versions = await client.send(new ListPackageVersionsCommand({ ...generic, package: 'tool' }));
    expect(versions.versions?.map((v) => v.version)).toEqual(['1.0.0']);
  });

  it('refuses a 151st asset with ServiceQuotaExceededException', async () => {
    for (let i = 0; i < 150; i++) await publish('many', '1.0.0', `part-${i}`, Buffer.from(String(i)), true);
    const error = await failure(publish('many', '1.0.0', 'part-150', Buffer.from('150'), true));
    expect(error).toMatchObject({
      name: 'ServiceQuotaExceededException',
      resourceType: 'package-version',
      resourceId: '1.0.0'
    });
    expect(error.$metadata.httpStatusCode).toBe(402);
    await publish('many', '1.0.0', 'part-0', Buffer.from('0'));
  });

  it('publishes only generic packages', async () => {
    const bytes = Buffer.from('x');
    const error = await failure(
      client.send(
        new PublishPackageVersionCommand({
          domain,
          repository,
          format: 'npm',
          package: 'x',
          packageVersion: '1.0.0',
          assetName: 'x.tgz',
          assetContent: bytes,
          assetSHA256: sha256(bytes)
        })
      )
    );
    expect(error.name).toBe('ValidationException');
  });
});

describe('listing, status and deletion', () => {
  beforeAll(async () => {
    for (const version of ['0.1.0', '0.2.0', '0.3.0', '0.4.0', '0.5.0']) {
      await publish('paged', version, 'a.bin', Buffer.from(version), version === '0.5.0');
    }
  });

  it('pages through versions with maxResults and nextToken', async () => {
    const seen: string[] = [];
    for await (const page of paginateListPackageVersions(
      { client, pageSize: 2 },
      { ...generic, package: 'paged' }
    )) {
      expect(page.versions!.length).toBeLessThanOrEqual(2);
      seen.push(...page.versions!.map((v) => v.version!));
    }
    expect(seen.sort()).toEqual(['0.1.0', '0.2.0', '0.3.0', '0.4.0', '0.5.0']);
  });

  it('filters by status, names the latest Published version, and reports the origin', async () => {
    const unfinished = await client.send(
      new ListPackageVersionsCommand({ ...generic, package: 'paged', status: 'Unfinished' })
    );
    expect(unfinished.versions?.map((v) => v.version)).toEqual(['0.5.0']);
    const all = await client.send(
      new ListPackageVersionsCommand({ ...generic, package: 'paged', sortBy: 'PUBLISHED_TIME' })
    );
    expect(all.defaultDisplayVersion).toBe('0.4.0');
    expect(all.versions?.[0].origin).toEqual({
      originType: 'INTERNAL',
      domainEntryPoint: { repositoryName: repository }
    });
    expect(all).toMatchObject({ format: 'generic', namespace: 'tools', package: 'paged' });
  });

  it('lists packages by format and prefix', async () => {
    const { packages } = await client.send(
      new ListPackagesCommand({ domain, repository, format: 'generic', packagePrefix: 'pag' })
    );
    expect(packages).toEqual([
      {
        format: 'generic',
        namespace: 'tools',
        package: 'paged',
        originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'ALLOW' } }
      }
    ]);
    const none = await client.send(new ListPackagesCommand({ domain, repository, format: 'pypi' }));
    expect(none.packages).toEqual([]);
  });

  it('changes status per version and reports versions it could not change', async () => {
    const result = await client.send(
      new UpdatePackageVersionsStatusCommand({
        ...generic,
        package: 'paged',
        versions: ['0.1.0', '0.5.0', '9.9.9'],
        expectedStatus: 'Published',
        targetStatus: 'Archived'
      })
    );
    expect(Object.keys(result.successfulVersions ?? {})).toEqual(['0.1.0']);
    expect(result.successfulVersions?.['0.1.0'].status).toBe('Archived');
    expect(result.failedVersions?.['0.5.0'].errorCode).toBe('MISMATCHED_STATUS');
    expect(result.failedVersions?.['9.9.9'].errorCode).toBe('NOT_FOUND');
    const archived = await client.send(
      new ListPackageVersionsCommand({ ...generic, package: 'paged', status: 'Archived' })
    );
    expect(archived.versions?.map((v) => v.version)).toEqual(['0.1.0']);
  });

  it('deletes versions so they are no longer listed or downloadable', async () => {
    const result = await client.send(
      new DeletePackageVersionsCommand({ ...generic, package: 'paged', versions: ['0.2.0'] })
    );
    expect(result.successfulVersions?.['0.2.0'].status).toBe('Deleted');
    const error = await failure(
      client.send(
        new GetPackageVersionAssetCommand({
          ...generic,
          package: 'paged',
          packageVersion: '0.2.0',
          asset: 'a.bin'
        })
      )
    );
    expect(error).toMatchObject({
      name: 'ResourceNotFoundException',
      resourceType: 'package-version',
      resourceId: '0.2.0'
    });
  });
});

describe('errors as AWS sends them', () => {
  it('names the missing domain, repository and package in ResourceNotFoundException', async () => {
    const noDomain = await failure(
      client.send(new DescribeRepositoryCommand({ domain: 'missing-domain', repository }))
    );
    expect(noDomain).toMatchObject({
      name: 'ResourceNotFoundException',
      resourceId: 'missing-domain',
      resourceType: 'domain'
    });
    expect(noDomain.message).toContain('missing-domain');
    const noRepo = await failure(
      client.send(new ListPackagesCommand({ domain, repository: 'missing-repo' }))
    );
    expect(noRepo).toMatchObject({
      name: 'ResourceNotFoundException',
      resourceId: 'missing-repo',
      resourceType: 'repository'
    });
    expect(noRepo.$metadata.httpStatusCode).toBe(404);
    const noPackage = await failure(
      client.send(new ListPackageVersionsCommand({ ...generic, package: 'missing-package' }))
    );
    expect(noPackage).toMatchObject({
      name: 'ResourceNotFoundException',
      resourceId: 'tools/missing-package',
      resourceType: 'package'
    });
    const noAsset = await failure(
      client.send(
        new GetPackageVersionAssetCommand({
          ...generic,
          package: 'tool',
          packageVersion: '1.0.0',
          asset: 'missing.bin'
        })
      )
    );
    expect(noAsset).toMatchObject({
      name: 'ResourceNotFoundException',
      resourceType: 'asset',
      resourceId: 'missing.bin'
    });
  });

  it('answers ValidationException to names the model does not allow', async () => {
    const cases: Array<() => Promise<unknown>> = [
      () => client.send(new CreateDomainCommand({ domain: 'Bad_Domain' })),
      () => client.send(new CreateRepositoryCommand({ domain, repository: '-starts-with-dash' })),
      () => client.send(new ListPackageVersionsCommand({ ...generic, package: 'has#hash' })),
      () =>
        client.send(
          new DescribePackageVersionCommand({ ...generic, package: 'tool', packageVersion: 'with space' })
        ),
      () => publish('tool', '3.0.0', '..', Buffer.from('x')),
      () => client.send(new ListRepositoriesInDomainCommand({ domain, maxResults: 1001 }))
    ];
    for (const call of cases) {
      const error = await failure(call());
      expect(error.name).toBe('ValidationException');
      expect(error.$metadata.httpStatusCode).toBe(400);
    }
  });

  it('refuses a pagination token it did not issue', async () => {
    const error = await failure(
      client.send(new ListRepositoriesInDomainCommand({ domain, nextToken: 'not-a-token' }))
    );
    expect(error.name).toBe('ValidationException');
  });

  it('logs each operation with its status and caller', async () => {
    const log = emulator.requestLog();
    const entry = log.find((e) => e.operation === 'PublishPackageVersion' && e.status === 200);
    expect(entry?.principal).toBe(`arn:aws:iam::${emulator.info.accountId}:root`);
    expect(log.some((e) => e.operation === 'DescribeRepository' && e.status === 404)).toBe(true);
  });
});

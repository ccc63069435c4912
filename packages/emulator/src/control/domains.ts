/** Domain, repository, token and endpoint operations. */
import { REPOSITORY, TOKEN_DURATION, checkName } from '@codeartifact-actions/model';
import { ServiceError, type Format } from '../contracts.js';
import { sendJson } from '../http.js';
import type { RepositoryRecord, Tag } from '../storage/records.js';
import {
  authorize,
  authorizedRepository,
  checkedName,
  domainArn,
  domainTarget,
  formatParameter,
  paginate,
  queryEnum,
  queryValue,
  repositoryArn,
  repositoryTarget,
  validation,
  type ControlPlane,
  type OperationContext
} from './context.js';

/** The external connections CodeArtifact offers, and the format each serves. */
export const EXTERNAL_CONNECTIONS: Record<string, Format> = {
  'public:npmjs': 'npm',
  'public:pypi': 'pypi',
  'public:maven-central': 'maven',
  'public:maven-googleandroid': 'maven',
  'public:maven-gradleplugins': 'maven',
  'public:maven-commonsware': 'maven',
  'public:maven-clojars': 'maven',
  'public:nuget-org': 'nuget',
  'public:ruby-gems-org': 'ruby',
  'public:crates-io': 'cargo'
};

function domainDescription(ctx: OperationContext, owner: string, name: string): Record<string, unknown> {
  const record = ctx.catalog.requireDomain(owner, name);
  return {
    name,
    owner,
    arn: domainArn(ctx, { domain: name, owner }),
    status: 'Active',
    createdTime: record.createdTime,
    encryptionKey: record.encryptionKey ?? `arn:aws:kms:${ctx.region}:${owner}:alias/aws/codeartifact`,
    repositoryCount: ctx.catalog.listRepositories(owner, name).length,
    assetSizeBytes: ctx.catalog.domainAssetBytes(owner, name),
    s3BucketArn: `arn:aws:s3:::assets-${owner}-${ctx.region}`
  };
}

export function repositoryDescription(
  plane: ControlPlane,
  record: RepositoryRecord
): Record<string, unknown> {
  return {
    ...repositorySummary(plane, record),
    upstreams: record.upstreams.map((repositoryName) => ({ repositoryName })),
    externalConnections: record.externalConnections.map((externalConnectionName) => ({
      externalConnectionName,
      packageFormat: EXTERNAL_CONNECTIONS[externalConnectionName],
      status: 'Available'
    }))
  };
}

function repositorySummary(plane: ControlPlane, record: RepositoryRecord): Record<string, unknown> {
  return {
    name: record.name,
    administratorAccount: record.owner,
    domainName: record.domain,
    domainOwner: record.owner,
    arn: repositoryArn(plane, { domain: record.domain, owner: record.owner, repository: record.name }),
    description: record.description,
    createdTime: record.createdTime
  };
}

function readTags(value: unknown): Tag[] | undefined {
  if (value === undefined) return undefined;
  if (
    !Array.isArray(value) ||
    value.some((t) => typeof t?.key !== 'string' || typeof t?.value !== 'string')
  ) {
    throw validation('tags must be a list of {key, value} strings');
  }
  return value as Tag[];
}

export async function createDomain(ctx: OperationContext): Promise<void> {
  const target = domainTarget(ctx);
  // CreateDomain has no domain-owner: the caller's account owns what it creates.
  target.owner = ctx.principal.accountId;
  authorize(ctx.principal, 'codeartifact:CreateDomain', domainArn(ctx, target));
  const encryptionKey = ctx.body.encryptionKey;
  if (encryptionKey !== undefined && typeof encryptionKey !== 'string')
    throw validation('encryptionKey must be a KMS key ARN');
  await ctx.catalog.createDomain(target.owner, target.domain, {
    encryptionKey,
    tags: readTags(ctx.body.tags)
  });
  sendJson(ctx.res, 200, { domain: domainDescription(ctx, target.owner, target.domain) });
}

export async function describeDomain(ctx: OperationContext): Promise<void> {
  const target = domainTarget(ctx);
  authorize(ctx.principal, 'codeartifact:DescribeDomain', domainArn(ctx, target));
  sendJson(ctx.res, 200, { domain: domainDescription(ctx, target.owner, target.domain) });
}

export async function createRepository(ctx: OperationContext): Promise<void> {
  const target = repositoryTarget(ctx);
  authorize(ctx.principal, 'codeartifact:CreateRepository', repositoryArn(ctx, target));
  const { description, upstreams } = ctx.body;
  if (description !== undefined && (typeof description !== 'string' || description.length > 1000)) {
    throw validation('description must be a string of at most 1000 characters');
  }
  const names = readUpstreams(upstreams);
  if (names.includes(target.repository))
    throw validation(`Repository '${target.repository}' cannot be its own upstream`);
  const store = await ctx.catalog.createRepository(target.owner, target.domain, target.repository, {
    description,
    upstreams: names,
    tags: readTags(ctx.body.tags)
  });
  sendJson(ctx.res, 200, { repository: repositoryDescription(ctx, store.record) });
}

function readUpstreams(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw validation('upstreams must be a list of {repositoryName}');
  return value.map((item: { repositoryName?: unknown }) => {
    if (typeof item?.repositoryName !== 'string') throw validation('each upstream needs a repositoryName');
    const problem = checkName(REPOSITORY, item.repositoryName);
    if (problem)
      throw validation(`1 validation error detected at 'upstreams.member.repositoryName': ${problem}`);
    return item.repositoryName;
  });
}

export async function describeRepository(ctx: OperationContext): Promise<void> {
  const store = authorizedRepository(ctx, 'codeartifact:DescribeRepository', repositoryTarget(ctx));
  sendJson(ctx.res, 200, { repository: repositoryDescription(ctx, store.record) });
}

export async function listRepositoriesInDomain(ctx: OperationContext): Promise<void> {
  const target = domainTarget(ctx);
  authorize(ctx.principal, 'codeartifact:ListRepositoriesInDomain', domainArn(ctx, target));
  ctx.catalog.requireDomain(target.owner, target.domain);
  const prefix = checkedName(
    queryValue(ctx, 'repository-prefix', 'repositoryPrefix'),
    REPOSITORY,
    'repositoryPrefix'
  );
  const administrator = queryValue(ctx, 'administrator-account', 'administratorAccount');
  const records = ctx.catalog
    .listRepositories(target.owner, target.domain)
    .filter(
      (r) =>
        (prefix === undefined || r.name.startsWith(prefix)) &&
        (administrator === undefined || r.owner === administrator)
    );
  const { page, nextToken } = paginate(ctx, records);
  sendJson(ctx.res, 200, { repositories: page.map((r) => repositorySummary(ctx, r)), nextToken });
}

export async function associateExternalConnection(ctx: OperationContext): Promise<void> {
  const target = repositoryTarget(ctx);
  const connection = queryValue(ctx, 'external-connection', 'externalConnection', true);
  const store = authorizedRepository(ctx, 'codeartifact:AssociateExternalConnection', target);
  if (!(connection in EXTERNAL_CONNECTIONS)) {
    throw validation(
      `'${connection}' is not an external connection (known: ${Object.keys(EXTERNAL_CONNECTIONS).join(', ')})`
    );
  }
  if (store.record.externalConnections.includes(connection)) {
    throw new ServiceError(
      409,
      'ConflictException',
      `Repository '${target.repository}' is already connected to ${connection}`,
      {
        resourceId: target.repository,
        resourceType: 'repository'
      }
    );
  }
  if (store.record.externalConnections.length > 0) {
    throw new ServiceError(
      402,
      'ServiceQuotaExceededException',
      `Repository '${target.repository}' already has an external connection`,
      {
        resourceId: target.repository,
        resourceType: 'repository'
      }
    );
  }
  store.record.externalConnections.push(connection);
  await ctx.catalog.save();
  sendJson(ctx.res, 200, { repository: repositoryDescription(ctx, store.record) });
}

export async function getAuthorizationToken(ctx: OperationContext): Promise<void> {
  const target = domainTarget(ctx);
  const text = ctx.query.get('duration');
  const duration = text === null ? TOKEN_DURATION.default : Number(text);
  if (
    !/^\d+$/.test(text ?? '0') ||
    (duration !== 0 && (duration < TOKEN_DURATION.min || duration > TOKEN_DURATION.max))
  ) {
    throw validation(
      `durationSeconds ${text} is not valid: give 0 (the caller's session) or ${TOKEN_DURATION.min}-${TOKEN_DURATION.max} seconds`
    );
  }
  authorize(ctx.principal, 'codeartifact:GetAuthorizationToken', domainArn(ctx, target));
  authorize(ctx.principal, 'sts:GetServiceBearerToken', `arn:aws:sts::${ctx.principal.accountId}:self`);
  ctx.catalog.requireDomain(target.owner, target.domain);
  const { token, expiration } = ctx.identity.issueAuthorizationToken(
    ctx.principal,
    target.domain,
    target.owner,
    duration
  );
  sendJson(ctx.res, 200, { authorizationToken: token, expiration: expiration.getTime() / 1000 });
}

export async function getRepositoryEndpoint(ctx: OperationContext): Promise<void> {
  const target = repositoryTarget(ctx);
  const format = formatParameter(ctx, true)!;
  queryEnum(ctx, 'endpointType', 'endpointType', ['ipv4', 'dualstack']);
  authorizedRepository(ctx, 'codeartifact:GetRepositoryEndpoint', target);
  sendJson(ctx.res, 200, {
    repositoryEndpoint: repositoryEndpoint(
      ctx.baseUrl,
      target.domain,
      target.owner,
      format,
      target.repository
    )
  });
}

/** `<base>/<domain>-<owner>/<format>/<repo>/`: the path form of CodeArtifact's per-domain host names. */
export function repositoryEndpoint(
  baseUrl: string,
  domain: string,
  owner: string,
  format: string,
  repository: string
): string {
  return `${baseUrl}/${domain}-${owner}/${format}/${repository}/`;
}

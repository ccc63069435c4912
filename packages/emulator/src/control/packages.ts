/** Package and package version operations: listing, describing, downloading, status and deletion. */
import { pipeline } from 'node:stream/promises';
import {
  NAMESPACE,
  PACKAGE,
  STATUSES,
  checkAssetName,
  type PackageVersionStatus
} from '@codeartifact-actions/model';
import type { StoredAsset, StoredVersion } from '../contracts.js';
import { requestId, sendJson } from '../http.js';
import { notFound } from '../storage/records.js';
import type { StoredRepository } from '../storage/repository.js';
import {
  authorize,
  checkedName,
  formatParameter,
  packageArn,
  packageTarget,
  paginate,
  queryEnum,
  queryValue,
  repositoryArn,
  repositoryTarget,
  validation,
  versionParameter,
  type OperationContext,
  type PackageTarget
} from './context.js';

/** The repository holding the target package, after checking the caller may perform `action` on it. */
function authorizedPackage(
  ctx: OperationContext,
  action: string
): { target: PackageTarget; store: StoredRepository } {
  const target = packageTarget(ctx);
  authorize(ctx.principal, action, packageArn(ctx, target));
  const store = ctx.catalog.requireRepository(target.owner, target.domain, target.repository);
  return { target, store };
}

function versionOrigin(store: StoredRepository, version: StoredVersion): Record<string, unknown> {
  const entry =
    version.originType === 'EXTERNAL' && version.origin?.startsWith('public:')
      ? { externalConnectionName: version.origin }
      : {
          repositoryName:
            version.originType === 'EXTERNAL' && version.origin ? version.origin.split('/').pop() : store.name
        };
  return { domainEntryPoint: entry, originType: version.originType };
}

function packageHeader(target: PackageTarget): Record<string, unknown> {
  return { format: target.key.format, namespace: target.key.namespace, package: target.key.package };
}

function assetSummary(asset: StoredAsset): Record<string, unknown> {
  return { name: asset.name, size: asset.size, hashes: asset.hashes };
}

export async function listPackages(ctx: OperationContext): Promise<void> {
  const target = repositoryTarget(ctx);
  authorize(ctx.principal, 'codeartifact:ListPackages', repositoryArn(ctx, target));
  const store = ctx.catalog.requireRepository(target.owner, target.domain, target.repository);
  const format = formatParameter(ctx, false);
  const namespace = checkedName(queryValue(ctx, 'namespace', 'namespace'), NAMESPACE, 'namespace');
  const prefix = checkedName(queryValue(ctx, 'package-prefix', 'packagePrefix'), PACKAGE, 'packagePrefix');
  const publish = queryEnum(ctx, 'publish', 'publish', ['ALLOW', 'BLOCK']);
  const upstream = queryEnum(ctx, 'upstream', 'upstream', ['ALLOW', 'BLOCK']);
  // Every package here allows publishing and upstreams, so a BLOCK filter matches none.
  const blocked = publish === 'BLOCK' || upstream === 'BLOCK';
  const keys = (await store.listPackages(format)).filter(
    (key) =>
      !blocked &&
      (namespace === undefined || (key.namespace ?? '').startsWith(namespace)) &&
      (prefix === undefined || key.package.startsWith(prefix))
  );
  keys.sort((a, b) =>
    `${a.format}/${a.namespace ?? ''}/${a.package}`.localeCompare(
      `${b.format}/${b.namespace ?? ''}/${b.package}`
    )
  );
  const { page, nextToken } = paginate(ctx, keys);
  const packages = page.map((key) => ({
    format: key.format,
    namespace: key.namespace,
    package: key.package,
    originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'ALLOW' } }
  }));
  sendJson(ctx.res, 200, { packages, nextToken });
}

export async function listPackageVersions(ctx: OperationContext): Promise<void> {
  const { target, store } = authorizedPackage(ctx, 'codeartifact:ListPackageVersions');
  const status = queryEnum(ctx, 'status', 'status', STATUSES);
  const sortBy = queryEnum(ctx, 'sortBy', 'sortBy', ['PUBLISHED_TIME']);
  const originType = queryEnum(ctx, 'originType', 'originType', ['INTERNAL', 'EXTERNAL', 'UNKNOWN']);
  store.requirePackage(target.key);
  const all = (await store.listVersions(target.key)).filter((v) => v.status !== 'Deleted');
  let versions = all.filter(
    (v) =>
      (status === undefined || v.status === status) &&
      (originType === undefined || v.originType === originType)
  );
  // Newest first when sorted by publishing time; otherwise in the order they were first published.
  if (sortBy === 'PUBLISHED_TIME')
    versions = [...versions].sort((a, b) => (b.publishedTime ?? 0) - (a.publishedTime ?? 0));
  const { page, nextToken } = paginate(ctx, versions);
  const latest = all.filter((v) => v.status === 'Published').at(-1);
  sendJson(ctx.res, 200, {
    defaultDisplayVersion: latest?.version,
    ...packageHeader(target),
    versions: page.map((v) => ({
      version: v.version,
      revision: v.revision,
      status: v.status,
      origin: versionOrigin(store, v)
    })),
    nextToken
  });
}

export async function describePackageVersion(ctx: OperationContext): Promise<void> {
  const { target, store } = authorizedPackage(ctx, 'codeartifact:DescribePackageVersion');
  const version = store.requireVersion(target.key, versionParameter(ctx));
  sendJson(ctx.res, 200, {
    packageVersion: {
      format: target.key.format,
      namespace: target.key.namespace,
      packageName: target.key.package,
      displayName: target.key.package,
      version: version.version,
      summary: typeof version.metadata?.summary === 'string' ? version.metadata.summary : undefined,
      homePage: typeof version.metadata?.homePage === 'string' ? version.metadata.homePage : undefined,
      publishedTime: version.publishedTime,
      licenses: [],
      revision: version.revision,
      status: version.status,
      origin: versionOrigin(store, version)
    }
  });
}

export async function listPackageVersionAssets(ctx: OperationContext): Promise<void> {
  const { target, store } = authorizedPackage(ctx, 'codeartifact:ListPackageVersionAssets');
  const version = store.requireVersion(target.key, versionParameter(ctx));
  const { page, nextToken } = paginate(ctx, version.assets);
  sendJson(ctx.res, 200, {
    ...packageHeader(target),
    version: version.version,
    versionRevision: version.revision,
    assets: page.map(assetSummary),
    nextToken
  });
}

export async function getPackageVersionAsset(ctx: OperationContext): Promise<void> {
  const { target, store } = authorizedPackage(ctx, 'codeartifact:ReadFromRepository');
  const versionName = versionParameter(ctx);
  const assetName = queryValue(ctx, 'asset', 'asset', true);
  const problem = checkAssetName(assetName);
  if (problem) throw validation(problem);
  const version = store.requireVersion(target.key, versionName);
  const revision = ctx.query.get('revision');
  if (revision !== null && revision !== version.revision) {
    throw notFound(
      'package-version',
      versionName,
      `Version '${versionName}' has no revision '${revision}' (current: ${version.revision})`
    );
  }
  const opened = await store.openAsset(target.key, versionName, assetName);
  if (!opened)
    throw notFound('asset', assetName, `Asset '${assetName}' does not exist in version '${versionName}'`);
  ctx.res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': opened.asset.size,
    'x-amzn-requestid': requestId(),
    'X-AssetName': headerSafe(assetName),
    'X-PackageVersion': headerSafe(version.version),
    'X-PackageVersionRevision': version.revision
  });
  await pipeline(opened.stream, ctx.res);
}

/** Header values must be Latin-1: names beyond ASCII go out percent-encoded. */
function headerSafe(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
}

interface StatusChangeResult {
  successfulVersions: Record<string, { revision: string; status: string }>;
  failedVersions: Record<string, { errorCode: string; errorMessage: string }>;
}

function readVersionList(ctx: OperationContext): string[] {
  const versions = ctx.body.versions;
  if (
    !Array.isArray(versions) ||
    versions.length === 0 ||
    versions.length > 100 ||
    versions.some((v) => typeof v !== 'string')
  ) {
    throw validation('versions must list 1-100 package versions');
  }
  return versions as string[];
}

function readStatus(value: unknown, member: string, required: boolean): PackageVersionStatus | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || !(STATUSES as readonly string[]).includes(value)) {
    throw validation(`${member} must be one of ${STATUSES.join(', ')}`);
  }
  return value as PackageVersionStatus;
}

/** Applies `change` to each listed version, collecting per-version failures as AWS does. */
async function changeEach(
  store: StoredRepository,
  target: PackageTarget,
  versions: string[],
  check: (version: StoredVersion) => { errorCode: string; errorMessage: string } | undefined,
  change: (version: string) => Promise<string>
): Promise<StatusChangeResult> {
  const result: StatusChangeResult = { successfulVersions: {}, failedVersions: {} };
  for (const name of versions) {
    const version = await store.getVersion(target.key, name);
    const failure = version
      ? check(version)
      : { errorCode: 'NOT_FOUND', errorMessage: `Version '${name}' does not exist` };
    if (failure) {
      result.failedVersions[name] = failure;
      continue;
    }
    result.successfulVersions[name] = { revision: version!.revision, status: await change(name) };
  }
  return result;
}

const SETTABLE_STATUSES: PackageVersionStatus[] = ['Published', 'Unlisted', 'Archived'];

export async function updatePackageVersionsStatus(ctx: OperationContext): Promise<void> {
  const { target, store } = authorizedPackage(ctx, 'codeartifact:UpdatePackageVersionsStatus');
  const versions = readVersionList(ctx);
  const expected = readStatus(ctx.body.expectedStatus, 'expectedStatus', false);
  const targetStatus = readStatus(ctx.body.targetStatus, 'targetStatus', true)!;
  if (!SETTABLE_STATUSES.includes(targetStatus))
    throw validation(`targetStatus must be one of ${SETTABLE_STATUSES.join(', ')}`);
  const revisions = (ctx.body.versionRevisions ?? {}) as Record<string, string>;
  store.requirePackage(target.key);
  const result = await changeEach(
    store,
    target,
    versions,
    (v) => {
      if (expected !== undefined && v.status !== expected) {
        return {
          errorCode: 'MISMATCHED_STATUS',
          errorMessage: `Version '${v.version}' is ${v.status}, not ${expected}`
        };
      }
      if (revisions[v.version] !== undefined && revisions[v.version] !== v.revision) {
        return {
          errorCode: 'MISMATCHED_REVISION',
          errorMessage: `Version '${v.version}' is at revision ${v.revision}`
        };
      }
      if (v.status === 'Disposed' || v.status === 'Deleted') {
        return { errorCode: 'NOT_ALLOWED', errorMessage: `Version '${v.version}' is ${v.status}` };
      }
      return undefined;
    },
    async (name) => {
      await store.setStatus(target.key, name, targetStatus);
      return targetStatus;
    }
  );
  sendJson(ctx.res, 200, result);
}

export async function deletePackageVersions(ctx: OperationContext): Promise<void> {
  const { target, store } = authorizedPackage(ctx, 'codeartifact:DeletePackageVersions');
  const versions = readVersionList(ctx);
  const expected = readStatus(ctx.body.expectedStatus, 'expectedStatus', false);
  store.requirePackage(target.key);
  const result = await changeEach(
    store,
    target,
    versions,
    (v) =>
      expected !== undefined && v.status !== expected
        ? {
            errorCode: 'MISMATCHED_STATUS',
            errorMessage: `Version '${v.version}' is ${v.status}, not ${expected}`
          }
        : undefined,
    async (name) => {
      await store.deleteVersion(target.key, name);
      return 'Deleted';
    }
  );
  sendJson(ctx.res, 200, result);
}

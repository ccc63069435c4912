/** PublishPackageVersion: a generic asset streamed from the request body into storage. */
import { GENERIC_MAX_ASSETS, SHA256, checkAssetName, checkName } from '@codeartifact-actions/model';
import { ServiceError } from '../contracts.js';
import { sendJson } from '../http.js';
import { describeKey } from '../storage/repository.js';
import {
  authorize,
  packageArn,
  packageTarget,
  queryValue,
  validation,
  versionParameter,
  type OperationContext
} from './context.js';

export async function publishPackageVersion(ctx: OperationContext): Promise<void> {
  const target = packageTarget(ctx);
  const version = versionParameter(ctx);
  const assetName = queryValue(ctx, 'asset', 'assetName', true);
  const assetProblem = checkAssetName(assetName);
  if (assetProblem) throw validation(assetProblem);
  const unfinished = readUnfinished(ctx.query.get('unfinished'));
  const sha256 = String(ctx.req.headers['x-amz-content-sha256'] ?? '');
  if (checkName(SHA256, sha256))
    throw validation(
      `assetSHA256 (header x-amz-content-sha256) must be the asset's SHA-256 in hex, not "${sha256}"`
    );
  if (target.key.format !== 'generic') {
    throw validation(`PublishPackageVersion publishes generic packages only, not ${target.key.format}`);
  }
  authorize(ctx.principal, 'codeartifact:PublishPackageVersion', packageArn(ctx, target));
  const store = ctx.catalog.requireRepository(target.owner, target.domain, target.repository);
  const existing = await store.getVersion(target.key, version);
  if (existing && existing.status !== 'Published' && existing.status !== 'Unfinished') {
    throw new ServiceError(
      409,
      'ConflictException',
      `Version '${version}' of '${describeKey(target.key)}' is ${existing.status}`,
      {
        resourceId: version,
        resourceType: 'package-version'
      }
    );
  }
  if (
    existing &&
    existing.assets.length >= GENERIC_MAX_ASSETS &&
    !existing.assets.some((a) => a.name === assetName)
  ) {
    throw new ServiceError(
      402,
      'ServiceQuotaExceededException',
      `Version '${version}' already has ${GENERIC_MAX_ASSETS} assets, the most a generic package version may have`,
      { resourceId: version, resourceType: 'package-version' }
    );
  }
  const asset = await store.putAsset(target.key, version, assetName, ctx.req, { expectedSha256: sha256 });
  if (!unfinished) await store.setStatus(target.key, version, 'Published');
  const stored = (await store.getVersion(target.key, version))!;
  sendJson(ctx.res, 200, {
    format: target.key.format,
    namespace: target.key.namespace,
    package: target.key.package,
    version,
    versionRevision: stored.revision,
    status: stored.status,
    asset: { name: asset.name, size: asset.size, hashes: asset.hashes }
  });
}

function readUnfinished(value: string | null): boolean {
  if (value === null) return false;
  if (value !== 'true' && value !== 'false')
    throw validation(`unfinished must be true or false, not "${value}"`);
  return value === 'true';
}

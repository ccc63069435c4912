import {
  PublishPackageVersionCommand,
  UpdatePackageVersionsStatusCommand,
  type CodeartifactClient
} from '@aws-sdk/client-codeartifact';
import { GENERIC_MAX_ASSETS } from '@codeartifact-actions/model';
import { createReadStream } from 'node:fs';
import {
  call,
  packageFields,
  readRemoteVersion,
  type GenericPackageRef,
  type RemoteAsset,
  type RemoteVersion
} from './remote.js';
import { DEFAULT_RETRY, withRetries, type RetryPolicy } from './retry.js';

/** A file ready to publish as one asset: its bytes are on disk and already hashed. */
export interface LocalAsset {
  name: string;
  file: string;
  size: number;
  sha256: string;
}

/**
 * `publish`: the version ends Published with these assets. `unfinished`: the assets are added and
 * the version stays Unfinished (a matrix leg). `finalize`: no assets; an Unfinished version is
 * made Published.
 */
export type PublishMode = 'publish' | 'unfinished' | 'finalize';

export interface PublishOptions {
  mode: PublishMode;
  /** `skip-identical`: a Published version with the same assets is a success; `fail`: it is an error. */
  ifExists: 'skip-identical' | 'fail';
  retry?: RetryPolicy;
  log?: (message: string) => void;
}

export interface PublishOutcome {
  version: string;
  status: string;
  revision?: string;
  /** Every asset of the version after the run, sorted by name. */
  assets: RemoteAsset[];
  /** Names uploaded by this run. */
  uploaded: string[];
  /** Names already there with the same SHA-256. */
  skipped: string[];
  /** True when the version was already Published with these assets and nothing was done. */
  alreadyPublished: boolean;
}

/** The publish would change or contradict what is already in the repository; nothing was written. */
export class PublishConflictError extends Error {
  override readonly name = 'PublishConflictError';
}

/**
 * Publishes `assets` as `version`, safe to re-run: assets already there with the same SHA-256 are
 * skipped, any difference fails before anything is written, every asset but the final one goes up
 * with `unfinished`, and the final one goes up only after the others are verified, so no run leaves
 * a Published version with missing or wrong assets.
 */
export async function publishGenericVersion(
  client: CodeartifactClient,
  ref: GenericPackageRef,
  version: string,
  assets: readonly LocalAsset[],
  options: PublishOptions
): Promise<PublishOutcome> {
  const log = options.log ?? (() => undefined);
  const retry = options.retry ?? DEFAULT_RETRY;
  const local = [...assets].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const before = await readRemoteVersion(client, ref, version);
  const where = `${ref.namespace}/${ref.package}@${version}`;

  if (before?.status === 'Published') {
    checkPublishedMatches(before, local, options, where);
    log(`${where} is already published, identical: nothing to do.`);
    return outcome(
      version,
      before,
      [],
      local.map((a) => a.name),
      true
    );
  }
  if (before && before.status !== 'Unfinished') {
    throw new PublishConflictError(
      `${where} exists with status ${before.status}; only a new or Unfinished version can be published.`
    );
  }
  checkNoConflicts(before, local, where);
  checkAssetCount(before, local, where);

  if (options.mode === 'finalize' && local.length === 0) {
    return finalizeVersion(client, ref, version, before, where, log);
  }
  const missing = local.filter((a) => !before?.assets.has(a.name));
  const skipped = local.filter((a) => before?.assets.has(a.name)).map((a) => a.name);
  for (const name of skipped) log(`${name}: already in ${where} with the same SHA-256, skipped.`);

  const finalAsset = options.mode === 'unfinished' ? undefined : local[local.length - 1];
  for (const asset of missing.filter((a) => a !== finalAsset)) {
    await uploadAsset(client, ref, version, asset, true, retry, log);
  }
  if (finalAsset) {
    // Everything else must be in place before the version becomes Published.
    await verifyVersion(client, ref, version, local.slice(0, -1), 'Unfinished', where, true);
    await uploadAsset(client, ref, version, finalAsset, false, retry, log);
  }
  const after = await verifyVersion(
    client,
    ref,
    version,
    local,
    finalAsset ? 'Published' : 'Unfinished',
    where
  );
  const uploaded = missing.map((a) => a.name);
  if (finalAsset && !uploaded.includes(finalAsset.name)) uploaded.push(finalAsset.name);
  return outcome(
    version,
    after,
    uploaded,
    skipped.filter((n) => !uploaded.includes(n)),
    false
  );
}

function checkPublishedMatches(
  before: RemoteVersion,
  local: readonly LocalAsset[],
  options: PublishOptions,
  where: string
): void {
  if (options.ifExists === 'fail') {
    throw new PublishConflictError(`${where} is already published (if-exists: fail).`);
  }
  const differences = describeDifferences(before, local, options.mode === 'publish');
  if (differences.length > 0) {
    throw new PublishConflictError(
      `${where} is already published with other content; nothing was changed. ` +
        `Publish a new version instead. Differences: ${differences.join('; ')}.`
    );
  }
}

/** What differs between the repository and the local assets (extra remote assets only when `exact`). */
function describeDifferences(remote: RemoteVersion, local: readonly LocalAsset[], exact: boolean): string[] {
  const differences: string[] = [];
  for (const asset of local) {
    const there = remote.assets.get(asset.name);
    if (!there) differences.push(`${asset.name} is not in the published version`);
    else if (there.sha256 !== asset.sha256) {
      differences.push(`${asset.name} has SHA-256 ${there.sha256} there but ${asset.sha256} here`);
    }
  }
  if (exact) {
    const names = new Set(local.map((a) => a.name));
    for (const name of remote.assets.keys())
      if (!names.has(name)) differences.push(`${name} is there but not here`);
  }
  return differences;
}

function checkNoConflicts(
  before: RemoteVersion | undefined,
  local: readonly LocalAsset[],
  where: string
): void {
  if (!before) return;
  const conflicts = describeDifferences(before, local, false).filter(
    (d) => !d.endsWith('is not in the published version')
  );
  if (conflicts.length > 0) {
    throw new PublishConflictError(
      `${where} (Unfinished) already holds assets with other content; nothing was uploaded. ${conflicts.join('; ')}.`
    );
  }
}

function checkAssetCount(
  before: RemoteVersion | undefined,
  local: readonly LocalAsset[],
  where: string
): void {
  const names = new Set([...(before?.assets.keys() ?? []), ...local.map((a) => a.name)]);
  if (names.size > GENERIC_MAX_ASSETS) {
    throw new PublishConflictError(
      `${where} would hold ${names.size} assets; a generic version holds at most ${GENERIC_MAX_ASSETS}. Publish an archive instead.`
    );
  }
}

async function uploadAsset(
  client: CodeartifactClient,
  ref: GenericPackageRef,
  version: string,
  asset: LocalAsset,
  unfinished: boolean,
  retry: RetryPolicy,
  log: (message: string) => void
): Promise<void> {
  log(
    `Uploading ${asset.name} (${asset.size} bytes, sha256 ${asset.sha256})${unfinished ? ', version left Unfinished' : ''}.`
  );
  const onRetry = (n: number, e: unknown, ms: number) =>
    log(
      `${asset.name}: attempt ${n} failed (${(e as Error).message}); retrying from the start in ${Math.round(ms)} ms.`
    );
  await withRetries({ ...retry, onRetry }, () =>
    call('PublishPackageVersion', () =>
      client.send(
        new PublishPackageVersionCommand({
          ...packageFields(ref),
          packageVersion: version,
          assetName: asset.name,
          assetSHA256: asset.sha256,
          // A fresh stream per attempt: a consumed file stream cannot be rewound.
          assetContent: createReadStream(asset.file, { highWaterMark: 256 * 1024 }),
          unfinished: unfinished || undefined
        })
      )
    )
  );
}

/**
 * Reads the version back and checks every expected asset's SHA-256 and the status; throws naming
 * what is wrong. `partial` allows the version not to exist yet (nothing uploaded before the final asset).
 */
async function verifyVersion(
  client: CodeartifactClient,
  ref: GenericPackageRef,
  version: string,
  expected: readonly LocalAsset[],
  status: string,
  where: string,
  partial = false
): Promise<RemoteVersion> {
  const remote = await readRemoteVersion(client, ref, version);
  if (!remote) {
    if (partial && expected.length === 0) return { status: 'Unfinished', assets: new Map() };
    throw new Error(`${where} is not in the repository after publishing.`);
  }
  const problems = describeDifferences(remote, expected, false);
  if (remote.status !== status && !(partial && remote.status === 'Unfinished')) {
    problems.push(`status is ${remote.status}, expected ${status}`);
  }
  if (problems.length > 0) throw new Error(`Verifying ${where} failed: ${problems.join('; ')}.`);
  return remote;
}

async function finalizeVersion(
  client: CodeartifactClient,
  ref: GenericPackageRef,
  version: string,
  before: RemoteVersion | undefined,
  where: string,
  log: (message: string) => void
): Promise<PublishOutcome> {
  if (!before || before.assets.size === 0) {
    throw new PublishConflictError(
      `${where} has no assets to finalize; publish the legs with "unfinished: true" first.`
    );
  }
  await call('UpdatePackageVersionsStatus', () =>
    client.send(
      new UpdatePackageVersionsStatusCommand({
        ...packageFields(ref),
        versions: [version],
        expectedStatus: 'Unfinished',
        targetStatus: 'Published'
      })
    )
  );
  log(`${where} finalized with ${before.assets.size} assets.`);
  const after = await verifyVersion(client, ref, version, [], 'Published', where);
  return outcome(version, after, [], [...before.assets.keys()], false);
}

function outcome(
  version: string,
  remote: RemoteVersion,
  uploaded: string[],
  skipped: string[],
  alreadyPublished: boolean
): PublishOutcome {
  const assets = [...remote.assets.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    version,
    status: remote.status,
    revision: remote.revision,
    assets,
    uploaded,
    skipped,
    alreadyPublished
  };
}

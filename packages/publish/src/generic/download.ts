import {
  GetPackageVersionAssetCommand,
  ListPackageVersionsCommand,
  type CodeartifactClient
} from '@aws-sdk/client-codeartifact';
import { ConfigurationError } from '@codeartifact-actions/kit';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DigestStream } from './hash.js';
import {
  call,
  listRemoteAssets,
  packageFields,
  readRemoteVersion,
  type GenericPackageRef,
  type RemoteAsset
} from './remote.js';
import { DEFAULT_RETRY, withRetries, type RetryPolicy } from './retry.js';

export interface DownloadOptions {
  /** Asset names or globs (`*`, `?`); empty: every asset. */
  assets: readonly string[];
  /** Target folder, created when missing. */
  directory: string;
  retry?: RetryPolicy;
  log?: (message: string) => void;
}

export interface DownloadedAsset extends RemoteAsset {
  /** Where it was written. */
  file: string;
}

/** A downloaded asset whose bytes do not match what the repository lists for it. */
export class AssetIntegrityError extends Error {
  override readonly name = 'AssetIntegrityError';
}

/** The newest Published version of the package (`version: latest`). */
export async function resolveLatestVersion(
  client: CodeartifactClient,
  ref: GenericPackageRef
): Promise<string> {
  const answer = await call('ListPackageVersions', () =>
    client.send(
      new ListPackageVersionsCommand({
        ...packageFields(ref),
        status: 'Published',
        sortBy: 'PUBLISHED_TIME',
        maxResults: 1
      })
    )
  );
  const newest = answer.versions?.[0]?.version;
  if (!newest) {
    throw new ConfigurationError(
      `Input "version": latest was asked for, but ${ref.namespace}/${ref.package} has no Published version in ${ref.repository}.`
    );
  }
  return newest;
}

/**
 * Downloads the chosen assets of a version into `directory`, streamed, each checked against the
 * SHA-256 and size ListPackageVersionAssets gives; a mismatch removes the file and fails naming it.
 */
export async function downloadGenericAssets(
  client: CodeartifactClient,
  ref: GenericPackageRef,
  version: string,
  options: DownloadOptions
): Promise<DownloadedAsset[]> {
  const remote = await readRemoteVersion(client, ref, version);
  if (!remote) {
    throw new ConfigurationError(
      `Input "version": ${ref.namespace}/${ref.package}@${version} is not in ${ref.repository}.`
    );
  }
  const chosen = selectAssets([...remote.assets.values()], options.assets);
  await mkdir(options.directory, { recursive: true });
  const downloaded: DownloadedAsset[] = [];
  for (const asset of chosen) {
    options.log?.(`Downloading ${asset.name} (${asset.size} bytes).`);
    const file = join(options.directory, asset.name);
    await withRetries(options.retry ?? DEFAULT_RETRY, () =>
      fetchAsset(client, ref, version, remote.revision, asset, file)
    );
    downloaded.push({ ...asset, file });
  }
  return downloaded;
}

/** The listed assets the patterns name, in name order; a pattern naming none is an error. */
export function selectAssets(available: readonly RemoteAsset[], patterns: readonly string[]): RemoteAsset[] {
  const sorted = [...available].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (patterns.length === 0) return sorted;
  const chosen = new Set<RemoteAsset>();
  for (const pattern of patterns) {
    const matcher = globToRegExp(pattern);
    const matches = sorted.filter((a) => matcher.test(a.name));
    if (matches.length === 0) {
      throw new ConfigurationError(
        `Input "assets": "${pattern}" matches none of the version's assets (${sorted.map((a) => a.name).join(', ')}).`
      );
    }
    matches.forEach((m) => chosen.add(m));
  }
  return sorted.filter((a) => chosen.has(a));
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

async function fetchAsset(
  client: CodeartifactClient,
  ref: GenericPackageRef,
  version: string,
  revision: string | undefined,
  asset: RemoteAsset,
  file: string
): Promise<void> {
  const partial = `${file}.partial`;
  try {
    const answer = await call('GetPackageVersionAsset', () =>
      client.send(
        new GetPackageVersionAssetCommand({
          ...packageFields(ref),
          packageVersion: version,
          packageVersionRevision: revision,
          asset: asset.name
        })
      )
    );
    const digest = new DigestStream();
    await pipeline(answer.asset as Readable, digest, createWriteStream(partial));
    const got = digest.digest();
    if (got.sha256 !== asset.sha256 || got.size !== asset.size) {
      throw new AssetIntegrityError(
        `Asset ${asset.name} failed verification: got ${got.size} bytes with SHA-256 ${got.sha256}, ` +
          `but the repository lists ${asset.size} bytes with SHA-256 ${asset.sha256}. The file was removed.`
      );
    }
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

export { listRemoteAssets };

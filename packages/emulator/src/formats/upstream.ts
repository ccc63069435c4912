/**
 * Fetch-through: a repository that lacks a package looks in its upstream repositories (in order,
 * each one recursively) and then in its external connections; what it serves from there is kept
 * as a copy in the repository and in every repository it passed through, as CodeArtifact does.
 */
import type { Readable } from 'node:stream';
import type { PackageKey, RepositoryContext, RepositoryStore } from '../contracts.js';

/** Where a package can come from: a repository of the domain or a folder standing in for an external connection. */
export type PackageSource =
  { kind: 'repository'; store: RepositoryStore } | { kind: 'external'; connection: string; folder: string };

export interface Resolution<T> {
  found: T;
  source: PackageSource;
  /** The repositories that keep a copy: the requesting one and those between it and the source. */
  cachers: RepositoryStore[];
}

/** A short name of a source for the request log. */
export function sourceLabel(source: PackageSource): string {
  return source.kind === 'repository' ? source.store.name : source.connection;
}

/**
 * The sources behind the context's repository, depth first in CodeArtifact's order (each upstream,
 * its own upstreams, its external connections; then the repository's own external connections),
 * each with the repositories that would keep a copy of what it serves. Lazy: a search that stops
 * at its first hit walks no further.
 */
async function* sourcesBehind(
  ctx: RepositoryContext
): AsyncGenerator<{ source: PackageSource; cachers: RepositoryStore[] }> {
  const visited = new Set<string>([ctx.repository.name]);
  async function* walk(
    repository: RepositoryStore,
    chain: RepositoryStore[]
  ): AsyncGenerator<{ source: PackageSource; cachers: RepositoryStore[] }> {
    for (const name of repository.upstreams) {
      if (visited.has(name)) continue;
      visited.add(name);
      const store = ctx.upstream(name);
      if (!store) continue;
      yield { source: { kind: 'repository', store }, cachers: chain };
      yield* walk(store, [...chain, store]);
    }
    for (const connection of repository.externalConnections) {
      const folder = ctx.externalFolder(connection);
      if (folder) yield { source: { kind: 'external', connection, folder }, cachers: chain };
    }
  }
  yield* walk(ctx.repository, [ctx.repository]);
}

/** Probes the sources behind the context's repository in order and returns the first hit. */
export async function resolveUpstream<T>(
  ctx: RepositoryContext,
  probe: (source: PackageSource) => Promise<T | undefined>
): Promise<Resolution<T> | undefined> {
  for await (const { source, cachers } of sourcesBehind(ctx)) {
    const found = await probe(source);
    if (found !== undefined) return { found, source, cachers };
  }
  return undefined;
}

/**
 * Every source behind the context's repository that has something, in the order resolveUpstream
 * searches them: what a package listing (a simple page, a packument, maven-metadata.xml) merges.
 */
export async function collectUpstream<T>(
  ctx: RepositoryContext,
  probe: (source: PackageSource) => Promise<T | undefined>
): Promise<Array<Resolution<T>>> {
  const hits: Array<Resolution<T>> = [];
  for await (const { source, cachers } of sourcesBehind(ctx)) {
    const found = await probe(source);
    if (found !== undefined) hits.push({ found, source, cachers });
  }
  return hits;
}

/**
 * Whether a listing of the package in this repository also shows its upstreams' versions. As
 * CodeArtifact's default package origin controls have it: a package published to the repository
 * directly blocks upstream versions (no dependency confusion); one the repository only holds
 * fetched copies of (or lacks) lets them through, so a newer upstream version is seen.
 */
export async function upstreamAllowed(store: RepositoryStore, key: PackageKey): Promise<boolean> {
  return (await store.listVersions(key)).every((version) => version.originType === 'EXTERNAL');
}

/**
 * A package listing: the repository's own entries, then, where origin controls allow, those of
 * every source behind it that the repository lacks (by `id`). The log names the first source
 * when the repository itself had nothing.
 */
export async function mergedListing<T>(
  ctx: RepositoryContext,
  key: PackageKey,
  operation: string,
  list: (source: PackageSource) => Promise<T[]>,
  id: (item: T) => string
): Promise<T[]> {
  const own = await list({ kind: 'repository', store: ctx.repository });
  const behind = (await upstreamAllowed(ctx.repository, key))
    ? await collectUpstream(ctx, async (source) => {
        const items = await list(source);
        return items.length > 0 ? items : undefined;
      })
    : [];
  if (own.length === 0 && behind.length === 0) return [];
  ctx.log(own.length > 0 ? operation : operationName(operation, behind[0]), 200);
  const seen = new Set(own.map(id));
  const merged = [...own];
  for (const resolution of behind) {
    for (const item of resolution.found) {
      if (seen.has(id(item))) continue;
      seen.add(id(item));
      merged.push(item);
    }
  }
  return merged;
}

/** One asset to copy into the caching repositories; `open` is called once per copy. */
export interface CopiedAsset {
  name: string;
  open(): Promise<Readable>;
}

/**
 * Keeps a copy of a version fetched from `source` in each caching repository, Published, with its
 * origin (the repository it was published to or the external connection it came in through).
 */
export async function keepCopies(
  resolution: Resolution<unknown>,
  key: PackageKey,
  version: string,
  assets: CopiedAsset[],
  metadata?: (existing: Record<string, unknown> | undefined) => Record<string, unknown>
): Promise<void> {
  const origin = await originOf(resolution.source, key, version);
  for (const cacher of resolution.cachers) {
    for (const asset of assets) {
      await cacher.putAsset(key, version, asset.name, await asset.open(), { originType: 'EXTERNAL', origin });
    }
    if (metadata) {
      const existing = (await cacher.getVersion(key, version))?.metadata;
      await cacher.setMetadata(key, version, metadata(existing));
    }
    await cacher.setStatus(key, version, 'Published');
  }
}

/**
 * The request log's operation name: `pypi:GetFile` when the repository served it itself,
 * `pypi:GetFile upstream=public:pypi` when it went to an upstream or external connection.
 */
export function operationName(operation: string, resolution?: Resolution<unknown>): string {
  return resolution ? `${operation} upstream=${sourceLabel(resolution.source)}` : operation;
}

async function originOf(source: PackageSource, key: PackageKey, version: string): Promise<string> {
  if (source.kind === 'external') return source.connection;
  const stored = await source.store.getVersion(key, version);
  return stored?.originType === 'EXTERNAL' && stored.origin ? stored.origin : source.store.name;
}

/** The Published versions of a package in one repository. */
export async function publishedVersions(store: RepositoryStore, key: PackageKey) {
  const versions = await store.listVersions(key);
  return versions.filter((version) => version.status === 'Published');
}

/** npm package versions as one source (a repository or a folder of tarballs) holds them, and version order. */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { PackageKey } from '../contracts.js';
import { readTarGzMember } from './archives.js';
import { digest } from './http.js';
import { publishedVersions, type PackageSource } from './upstream.js';

/** The store keeps every npm version's tarball under this asset name, as CodeArtifact does. */
export const TARBALL_ASSET = 'package.tgz';

export interface NpmVersion {
  version: string;
  /** The version's package.json as published, with `dist.integrity` and `dist.shasum`. */
  manifest: Record<string, unknown>;
  tags: string[];
  /** Epoch seconds. */
  publishedTime?: number;
  open(): Promise<Readable>;
}

/** What an npm version keeps in the store's version metadata. */
export interface NpmVersionMetadata {
  manifest: Record<string, unknown>;
  tags?: string[];
}

/** `@scope/name` or `name` -> the store's key (namespace = scope without "@"). */
export function npmKey(name: string): PackageKey {
  const scoped = /^@([^/]+)\/(.+)$/.exec(name);
  return scoped
    ? { format: 'npm', namespace: scoped[1], package: scoped[2] as string }
    : { format: 'npm', package: name };
}

export function npmName(key: PackageKey): string {
  return key.namespace ? `@${key.namespace}/${key.package}` : key.package;
}

export async function listNpmVersions(source: PackageSource, name: string): Promise<NpmVersion[]> {
  return source.kind === 'repository' ? versionsInStore(source, name) : versionsInFolder(source.folder, name);
}

async function versionsInStore(
  source: PackageSource & { kind: 'repository' },
  name: string
): Promise<NpmVersion[]> {
  const key = npmKey(name);
  return (await publishedVersions(source.store, key)).map((stored) => {
    const metadata = (stored.metadata ?? { manifest: {} }) as unknown as NpmVersionMetadata;
    return {
      version: stored.version,
      manifest: metadata.manifest ?? { name, version: stored.version },
      tags: metadata.tags ?? [],
      publishedTime: stored.publishedTime,
      open: async () => {
        const opened = await source.store.openAsset(key, stored.version, TARBALL_ASSET);
        if (!opened) throw new Error(`${name}@${stored.version} has no tarball in ${source.store.name}`);
        return opened.stream;
      }
    };
  });
}

// Reading a tarball's package.json means gunzipping it; remember it while the file is unchanged.
const folderIndex = new Map<string, { manifest: Record<string, unknown>; publishedTime: number } | null>();

async function versionsInFolder(folder: string, name: string): Promise<NpmVersion[]> {
  const files = (await readdir(folder).catch(() => [] as string[])).filter((file) => file.endsWith('.tgz'));
  const versions: NpmVersion[] = [];
  for (const file of files.sort()) {
    const path = join(folder, file);
    const indexed = await indexTarball(path);
    if (!indexed || indexed.manifest.name !== name) continue;
    versions.push({
      version: String(indexed.manifest.version),
      manifest: indexed.manifest,
      tags: [],
      publishedTime: indexed.publishedTime,
      open: async () => createReadStream(path)
    });
  }
  return versions;
}

async function indexTarball(path: string) {
  const info = await stat(path);
  const cacheKey = `${path}:${info.mtimeMs}:${info.size}`;
  if (!folderIndex.has(cacheKey)) {
    const bytes = await readFile(path);
    let manifest: Record<string, unknown> | undefined;
    try {
      const json = readTarGzMember(bytes, (member) => /^[^/]+\/package\.json$/.test(member));
      manifest = json ? (JSON.parse(json.toString('utf8')) as Record<string, unknown>) : undefined;
    } catch {
      manifest = undefined;
    }
    const dist = { integrity: `sha512-${digest('sha512', bytes, 'base64')}`, shasum: digest('sha1', bytes) };
    folderIndex.set(
      cacheKey,
      manifest ? { manifest: { ...manifest, dist }, publishedTime: info.mtimeMs / 1000 } : null
    );
  }
  return folderIndex.get(cacheKey) ?? undefined;
}

/** Semantic version order: numeric parts, then a prerelease before its release. */
export function compareSemver(left: string, right: string): number {
  const [leftCore = '', leftPre] = splitPrerelease(left);
  const [rightCore = '', rightPre] = splitPrerelease(right);
  const a = leftCore.split('.').map(Number);
  const b = rightCore.split('.').map(Number);
  for (let index = 0; index < 3; index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0 && !Number.isNaN(difference)) return difference;
  }
  if (leftPre === undefined || rightPre === undefined)
    return leftPre === rightPre ? 0 : leftPre === undefined ? 1 : -1;
  const x = leftPre.split('.');
  const y = rightPre.split('.');
  for (let index = 0; index < Math.max(x.length, y.length); index++) {
    const p = x[index];
    const q = y[index];
    if (p === undefined || q === undefined) return p === undefined ? -1 : 1;
    if (p === q) continue;
    const bothNumeric = /^\d+$/.test(p) && /^\d+$/.test(q);
    return bothNumeric ? Number(p) - Number(q) : p < q ? -1 : 1;
  }
  return 0;
}

function splitPrerelease(version: string): [string, string | undefined] {
  const plain = version.split('+')[0] ?? '';
  const dash = plain.indexOf('-');
  return dash < 0 ? [plain, undefined] : [plain.slice(0, dash), plain.slice(dash + 1)];
}

/**
 * The dist-tags of a set of versions; `latest` defaults to the highest release when none carries it.
 * A tag carried in several repositories of a merged listing points at the highest of its versions.
 */
export function distTags(versions: NpmVersion[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const version of versions) {
    for (const tag of version.tags) {
      const current = tags[tag];
      if (current === undefined || compareSemver(version.version, current) > 0) tags[tag] = version.version;
    }
  }
  if (!tags.latest && versions.length > 0) {
    const ordered = versions.map((version) => version.version).sort(compareSemver);
    const releases = ordered.filter((version) => splitPrerelease(version)[1] === undefined);
    tags.latest = (releases.length > 0 ? releases : ordered).pop() as string;
  }
  return tags;
}

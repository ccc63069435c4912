/** The files of a PyPI project as one source (a repository or an external connection's folder) holds them. */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { normalizePypiName } from '@codeartifact-actions/model';
import type { PackageKey } from '../contracts.js';
import { coreMetadataField, readTarGzMember, readZipMember } from './archives.js';
import { digest } from './http.js';
import { publishedVersions, type PackageSource } from './upstream.js';

export interface PypiFile {
  filename: string;
  version: string;
  sha256: string;
  requiresPython?: string;
  /** The wheel's METADATA, served as `<file>.metadata` (PEP 658). */
  coreMetadata?: string;
  open(): Promise<Readable>;
}

/** What a PyPI version keeps in the store's version metadata. */
export interface PypiVersionMetadata {
  requiresPython?: string;
  /** METADATA text by wheel file name. */
  coreMetadata?: Record<string, string>;
}

export function pypiKey(project: string): PackageKey {
  return { format: 'pypi', package: normalizePypiName(project) };
}

/** Project name and version from a wheel or sdist file name, or undefined for anything else. */
export function parseDistributionName(filename: string): { project: string; version: string } | undefined {
  if (filename.endsWith('.whl')) {
    const [project, version] = filename.slice(0, -4).split('-');
    return project && version ? { project, version } : undefined;
  }
  const sdist = /^(.+)-([^-]+)\.(tar\.gz|zip|tar\.bz2)$/.exec(filename);
  return sdist ? { project: sdist[1] as string, version: sdist[2] as string } : undefined;
}

/** The project's files in one source, empty when it has none. */
export async function listProjectFiles(source: PackageSource, project: string): Promise<PypiFile[]> {
  return source.kind === 'repository' ? filesInStore(source, project) : filesInFolder(source.folder, project);
}

async function filesInStore(
  source: PackageSource & { kind: 'repository' },
  project: string
): Promise<PypiFile[]> {
  const key = pypiKey(project);
  const files: PypiFile[] = [];
  for (const version of await publishedVersions(source.store, key)) {
    const metadata = (version.metadata ?? {}) as PypiVersionMetadata;
    for (const asset of version.assets) {
      files.push({
        filename: asset.name,
        version: version.version,
        sha256: asset.hashes['SHA-256'],
        requiresPython: metadata.requiresPython,
        coreMetadata: metadata.coreMetadata?.[asset.name],
        open: async () => {
          const opened = await source.store.openAsset(key, version.version, asset.name);
          if (!opened) throw new Error(`${asset.name} vanished from ${source.store.name}`);
          return opened.stream;
        }
      });
    }
  }
  return files;
}

// Indexing a file means hashing and opening it; remember the result while the file is unchanged.
const folderIndex = new Map<string, Omit<PypiFile, 'open'>>();

async function filesInFolder(folder: string, project: string): Promise<PypiFile[]> {
  const wanted = normalizePypiName(project);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const files: PypiFile[] = [];
  for (const filename of names.sort()) {
    const parsed = parseDistributionName(filename);
    if (!parsed || normalizePypiName(parsed.project) !== wanted) continue;
    const path = join(folder, filename);
    const info = await stat(path);
    const cacheKey = `${path}:${info.mtimeMs}:${info.size}`;
    let indexed = folderIndex.get(cacheKey);
    if (!indexed) {
      indexed = describeFile(filename, parsed.version, await readFile(path));
      folderIndex.set(cacheKey, indexed);
    }
    files.push({ ...indexed, open: async () => createReadStream(path) });
  }
  return files;
}

/** Hash, Requires-Python and METADATA of a distribution file's bytes. */
export function describeFile(filename: string, version: string, bytes: Buffer): Omit<PypiFile, 'open'> {
  const coreMetadata = filename.endsWith('.whl') ? wheelMetadata(bytes) : undefined;
  const pkgInfo = coreMetadata ?? (filename.endsWith('.tar.gz') ? sdistPkgInfo(bytes) : undefined);
  return {
    filename,
    version,
    sha256: digest('sha256', bytes),
    requiresPython: pkgInfo ? coreMetadataField(pkgInfo, 'Requires-Python') : undefined,
    coreMetadata
  };
}

/** The `*.dist-info/METADATA` of a wheel, as text. */
export function wheelMetadata(wheel: Buffer): string | undefined {
  try {
    return readZipMember(wheel, (name) => /^[^/]+\.dist-info\/METADATA$/.test(name))?.toString('utf8');
  } catch {
    return undefined;
  }
}

function sdistPkgInfo(sdist: Buffer): string | undefined {
  try {
    return readTarGzMember(sdist, (name) => /^[^/]+\/PKG-INFO$/.test(name))?.toString('utf8');
  } catch {
    return undefined;
  }
}

/** Version metadata with one more file's Requires-Python and METADATA. */
export function mergeVersionMetadata(
  existing: PypiVersionMetadata | undefined,
  file: Omit<PypiFile, 'open'>
) {
  const merged: PypiVersionMetadata = { ...existing };
  if (file.requiresPython) merged.requiresPython = file.requiresPython;
  if (file.coreMetadata !== undefined) {
    merged.coreMetadata = { ...merged.coreMetadata, [file.filename]: file.coreMetadata };
  }
  return merged as Record<string, unknown>;
}

/** Distribution files (sdists and wheels): what their names say, and what a folder holds. */
import { ConfigurationError } from '@codeartifact-actions/kit';
import { normalizePypiName } from '@codeartifact-actions/model';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { digestFile } from '../generic/hash.js';

export type DistributionKind = 'sdist' | 'wheel';

/** A built file ready to upload: its name, where it is, whose it is, and its digest. */
export interface DistributionFile {
  /** The file name, which is also its name in the repository. */
  name: string;
  path: string;
  /** The project name, PEP 503-normalised. */
  project: string;
  version: string;
  kind: DistributionKind;
  size: number;
  sha256: string;
}

/** Project, version and kind from a wheel or sdist file name; undefined for anything else. */
export function parseDistributionFilename(
  filename: string
): { project: string; version: string; kind: DistributionKind } | undefined {
  if (filename.endsWith('.whl')) {
    const parts = filename.slice(0, -'.whl'.length).split('-');
    if (parts.length < 5 || parts.length > 6) return undefined;
    return { project: normalizePypiName(parts[0] as string), version: parts[1] as string, kind: 'wheel' };
  }
  const sdist = /^(.+)-([^-]+)\.(?:tar\.gz|zip)$/.exec(filename);
  if (!sdist) return undefined;
  return { project: normalizePypiName(sdist[1] as string), version: sdist[2] as string, kind: 'sdist' };
}

/** The names of the distribution files in a folder (none when it does not exist), sorted. */
export async function listDistributionNames(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && parseDistributionFilename(e.name) !== undefined)
    .map((e) => e.name)
    .sort();
}

/** Every distribution file in `folder`, hashed. */
export async function readDistributions(folder: string): Promise<DistributionFile[]> {
  const files: DistributionFile[] = [];
  for (const name of await listDistributionNames(folder)) {
    const parsed = parseDistributionFilename(name) as NonNullable<
      ReturnType<typeof parseDistributionFilename>
    >;
    const path = join(folder, name);
    files.push({ name, path, ...parsed, ...(await digestFile(path)) });
  }
  return files;
}

/** With build: false, the files to publish are what packagesDir holds: one project, one version. */
export async function readPrebuiltDistributions(packagesDir: string): Promise<DistributionFile[]> {
  const files = await readDistributions(packagesDir);
  if (files.length === 0) {
    throw new ConfigurationError(
      `Input "packages-dir": ${packagesDir} holds no sdist or wheel (*.tar.gz, *.zip, *.whl), and build is false. Build them in an earlier step, point packages-dir at them, or set build: true.`
    );
  }
  const releases = [...new Set(files.map((f) => `${f.project} ${f.version}`))];
  if (releases.length > 1) {
    throw new ConfigurationError(
      `Input "packages-dir": ${packagesDir} holds files of ${releases.length} releases (${releases.join('; ')}); publish one version at a time. Remove the stale files.`
    );
  }
  return files;
}

import { mkdir, readdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import * as tar from 'tar';

/** An archive entry that would land outside the target folder or link out of it. */
export class UnsafeArchiveError extends Error {
  override readonly name = 'UnsafeArchiveError';
}

/** True for the archive kinds `extract` unpacks. */
export function isTarGz(name: string): boolean {
  return /\.(tar\.gz|tgz)$/i.test(name);
}

/**
 * Unpacks a .tar.gz into `directory`. The archive is read once first and refused as a whole when
 * any entry is absolute, climbs out with "..", links outside the folder, or is a device; then it is
 * extracted with node-tar's own guards on as well. Returns the extracted paths, sorted.
 */
export async function extractArchiveSafely(file: string, directory: string, label = file): Promise<string[]> {
  const target = resolve(directory);
  const problems: string[] = [];
  await tar.list({ file, strict: true, onReadEntry: (entry) => checkEntry(entry, target, problems) });
  if (problems.length > 0) {
    throw new UnsafeArchiveError(`Refusing to extract ${label}: ${problems.slice(0, 5).join('; ')}.`);
  }
  await mkdir(target, { recursive: true });
  const written: string[] = [];
  await tar.extract({
    file,
    cwd: target,
    strict: true,
    preservePaths: false,
    preserveOwner: false,
    filter: (path, entry) => {
      const ok = entryProblem(entry as tar.ReadEntry, target) === undefined;
      if (ok && 'type' in entry && entry.type !== 'Directory') written.push(resolve(target, path));
      return ok;
    }
  });
  return written.sort();
}

function checkEntry(entry: tar.ReadEntry, target: string, problems: string[]): void {
  const problem = entryProblem(entry, target);
  if (problem) problems.push(problem);
}

function entryProblem(entry: tar.ReadEntry, target: string): string | undefined {
  const name = entry.path;
  if (isAbsolute(name) || /^[a-zA-Z]:/.test(name)) return `"${name}" is an absolute path`;
  const destination = resolve(target, name);
  if (!isWithin(target, destination)) return `"${name}" would land outside the target folder`;
  if (entry.type === 'SymbolicLink' || entry.type === 'Link') {
    const linkpath = entry.linkpath ?? '';
    const base = entry.type === 'SymbolicLink' ? dirname(destination) : target;
    if (isAbsolute(linkpath) || !isWithin(target, resolve(base, linkpath))) {
      return `"${name}" links to "${linkpath}", outside the target folder`;
    }
  }
  if (!['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link'].includes(entry.type)) {
    if (
      !['ExtendedHeader', 'GlobalExtendedHeader', 'NextFileHasLongPath', 'NextFileHasLongLinkpath'].includes(
        entry.type
      )
    ) {
      return `"${name}" is a ${entry.type}, not a file or folder`;
    }
  }
  return undefined;
}

function isWithin(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** Every file under a folder, sorted, "/"-separated and relative to it (for outputs and comparisons). */
export async function listFilesUnder(directory: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of (await readdir(join(directory, prefix), { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : 1
  )) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listFilesUnder(directory, rel)));
    else files.push(rel);
  }
  return files;
}

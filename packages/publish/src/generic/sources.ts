import * as glob from '@actions/glob';
import { ConfigurationError } from '@codeartifact-actions/kit';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** One file or directory to publish. */
export interface SourceEntry {
  /** Where it is on disk (a symbolic link's own path; its target is read through it). */
  readonly absolute: string;
  /** Its path relative to the workspace, "/"-separated: the name inside an archive. */
  readonly name: string;
  readonly kind: 'file' | 'directory';
  /** Bytes (0 for directories). */
  readonly size: number;
  /** Any execute bit set (directories count as executable). */
  readonly executable: boolean;
}

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * Expands the `path` input (files, directories and globs, one a line; `!pattern` excludes) into
 * the entries to publish, sorted by name. Every entry must resolve inside the workspace, symbolic
 * links included; a pattern that matches nothing is an error.
 */
export async function collectSources(patterns: readonly string[], workspace: string): Promise<SourceEntry[]> {
  const root = await realpath(workspace);
  const includes = patterns.filter((p) => !p.startsWith('!'));
  const excludes = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1).trim());
  if (includes.length === 0) {
    throw new ConfigurationError(
      'Input "path" lists no files: give files, directories or globs, one a line.'
    );
  }
  const found = new Map<string, SourceEntry>();
  for (const pattern of includes) {
    for (const match of await expandPattern(pattern, excludes, workspace)) {
      await addTree(match, pattern, { workspace, root, found, visited: new Set() });
    }
  }
  const entries = [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (!entries.some((e) => e.kind === 'file')) {
    throw new ConfigurationError(
      `Input "path" (${includes.join(', ')}) holds no files, only empty directories.`
    );
  }
  return entries;
}

/** The files among the entries (what `archive: none` publishes one asset each). */
export function filesOf(entries: readonly SourceEntry[]): SourceEntry[] {
  return entries.filter((e) => e.kind === 'file');
}

async function expandPattern(pattern: string, excludes: string[], workspace: string): Promise<string[]> {
  const absolute = resolve(workspace, pattern);
  const fixedPart = absolute.split(GLOB_CHARS)[0] ?? absolute;
  if (!isInside(workspace, fixedPart) && !isInside(workspace, absolute)) {
    throw new ConfigurationError(
      `Input "path": "${pattern}" points outside the workspace (${workspace}); give paths inside it.`
    );
  }
  if (!GLOB_CHARS.test(pattern)) {
    const exists = await lstat(absolute).then(
      () => true,
      () => false
    );
    if (!exists) throw new ConfigurationError(`Input "path": "${pattern}" does not exist in the workspace.`);
    return [absolute];
  }
  const lines = [absolute, ...excludes.map((e) => `!${resolve(workspace, e)}`)];
  const globber = await glob.create(lines.join('\n'), {
    implicitDescendants: false,
    matchDirectories: true,
    followSymbolicLinks: false
  });
  const matches = await globber.glob();
  if (matches.length === 0)
    throw new ConfigurationError(`Input "path": the glob "${pattern}" matches no files.`);
  return matches.sort();
}

interface Walk {
  workspace: string;
  root: string;
  found: Map<string, SourceEntry>;
  /** Real paths of the directories on the current descent, to stop symbolic link cycles. */
  visited: Set<string>;
}

async function addTree(absolute: string, pattern: string, walk: Walk): Promise<void> {
  const real = await realpath(absolute).catch(() => undefined);
  if (real === undefined) {
    throw new ConfigurationError(
      `Input "path": "${pattern}" leads to "${absolute}", a broken symbolic link.`
    );
  }
  if (!isInside(walk.root, real)) {
    throw new ConfigurationError(
      `Input "path": "${relative(walk.workspace, absolute)}" (from "${pattern}") resolves to ${real}, outside the workspace; ` +
        'only files inside the workspace can be published.'
    );
  }
  const info = await stat(absolute);
  const name = relative(walk.workspace, absolute).split(sep).join('/');
  if (info.isFile()) {
    walk.found.set(name, {
      absolute,
      name,
      kind: 'file',
      size: info.size,
      executable: (info.mode & 0o111) !== 0
    });
    return;
  }
  if (!info.isDirectory()) return;
  if (walk.visited.has(real)) {
    throw new ConfigurationError(`Input "path": "${name}" is a symbolic link loop.`);
  }
  if (name !== '') walk.found.set(name, { absolute, name, kind: 'directory', size: 0, executable: true });
  walk.visited.add(real);
  for (const child of (await readdir(absolute)).sort()) {
    await addTree(join(absolute, child), pattern, walk);
  }
  walk.visited.delete(real);
}

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

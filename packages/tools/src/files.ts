import { chmod, copyFile, mkdir, readdir, readFile, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { FileChanges } from './types.js';

/** Writes a file only its owner can read (0600), whatever the umask or an earlier mode. */
export async function writePrivateFile(path: string, content: string): Promise<void> {
  await writeFile(path, content, { mode: 0o600 });
  await chmod(path, 0o600);
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The file names in a folder, or none when it cannot be read. */
export async function listNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/**
 * Writes `content` to a file outside the config folder (Maven's ~/.m2/settings.xml), recording
 * how to undo it: the original is copied byte for byte into `configDir`, or the file and any
 * folders made for it are marked as created.
 */
export async function replaceFileRecorded(
  path: string,
  content: string,
  configDir: string,
  changes: FileChanges
): Promise<void> {
  const before = await stat(path).catch(() => undefined);
  if (before) {
    const backup = join(configDir, `${basename(path)}.orig-${changes.replaced.length}`);
    await copyFile(path, backup);
    await chmod(backup, 0o600);
    changes.replaced.push({ path, backup, mode: before.mode & 0o777 });
  } else {
    changes.createdDirs.push(...(await makeDirsRecorded(dirname(path))));
    changes.created.push(path);
  }
  await writePrivateFile(path, content);
}

async function makeDirsRecorded(dir: string): Promise<string[]> {
  const missing: string[] = [];
  for (let d = dir; !(await exists(d)); d = dirname(d)) missing.push(d);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return missing;
}

/** Reads a file as text, or undefined when it does not exist. */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Undoes what the tool modules did: originals are put back byte for byte with their mode, created
 * files removed, created folders removed when empty, and the config folder deleted.
 * Returns one line per thing done, for the log.
 */
export async function undoFileChanges(changes: FileChanges, configDir?: string): Promise<string[]> {
  const done: string[] = [];
  for (const { path, backup, mode } of changes.replaced) {
    await writeFile(path, await readFile(backup));
    await chmod(path, mode);
    done.push(`restored ${path}`);
  }
  for (const path of changes.created) {
    await rm(path, { force: true });
    done.push(`removed ${path}`);
  }
  // Deepest first; a folder that now holds something else (Maven's local repository) stays.
  for (const dir of [...changes.createdDirs].sort((a, b) => b.length - a.length)) {
    await rmdir(dir).then(
      () => done.push(`removed ${dir}/`),
      () => undefined
    );
  }
  if (configDir) {
    await rm(configDir, { recursive: true, force: true });
    done.push(`removed ${configDir}/`);
  }
  return done;
}

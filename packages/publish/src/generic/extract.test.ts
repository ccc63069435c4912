import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { extractArchiveSafely, UnsafeArchiveError } from './extract.js';

/** A .tar.gz of `names` under `root`, written with preservePaths so hostile names stay as given. */
async function archive(root: string, names: string[]): Promise<string> {
  const file = join(root, '..', `${Math.random().toString(36).slice(2)}.tar.gz`);
  await tar.create({ gzip: true, file, cwd: root, preservePaths: true }, names);
  return file;
}

describe('extractArchiveSafely', () => {
  it('unpacks a normal archive and lists what it wrote', async () => {
    const src = mkdtempSync(join(tmpdir(), 'generic-extract-'));
    mkdirSync(join(src, 'app'));
    writeFileSync(join(src, 'app', 'a.txt'), 'a');
    const target = mkdtempSync(join(tmpdir(), 'generic-target-'));
    const written = await extractArchiveSafely(await archive(src, ['app']), target);
    expect(written).toEqual([join(target, 'app', 'a.txt')]);
    expect(readFileSync(join(target, 'app', 'a.txt'), 'utf8')).toBe('a');
  });

  it('refuses, as a whole, archives with entries climbing out or links pointing out', async () => {
    const base = mkdtempSync(join(tmpdir(), 'generic-extract-'));
    const src = join(base, 'src');
    mkdirSync(join(src, 'inner'), { recursive: true });
    writeFileSync(join(base, 'escape.txt'), 'out');
    writeFileSync(join(src, 'inner', 'ok.txt'), 'ok');
    symlinkSync('/etc/passwd', join(src, 'inner', 'passwd'));
    const target = join(base, 'target');

    const climbing = await archive(join(src, 'inner'), ['ok.txt', '../../escape.txt']);
    await expect(extractArchiveSafely(climbing, target, 'climb.tar.gz')).rejects.toThrow(
      /Refusing to extract climb\.tar\.gz: "\.\.\/\.\.\/escape\.txt" would land outside/
    );
    const linking = await archive(src, ['inner/ok.txt', 'inner/passwd']);
    await expect(extractArchiveSafely(linking, target)).rejects.toThrow(UnsafeArchiveError);
    expect(existsSync(join(target, 'inner', 'ok.txt'))).toBe(false);
  });
});

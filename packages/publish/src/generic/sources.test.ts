import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectSources } from './sources.js';

function workspace(): string {
  const base = mkdtempSync(join(tmpdir(), 'generic-sources-'));
  const ws = join(base, 'ws');
  mkdirSync(join(ws, 'out', 'sub'), { recursive: true });
  writeFileSync(join(ws, 'out', 'b.txt'), 'b');
  writeFileSync(join(ws, 'out', 'a.bin'), 'a');
  writeFileSync(join(ws, 'out', 'sub', 'c.txt'), 'c');
  writeFileSync(join(base, 'secret.txt'), 'outside');
  return ws;
}

describe('collectSources', () => {
  it('expands directories and globs into sorted entries named relative to the workspace', async () => {
    const ws = workspace();
    expect((await collectSources(['out'], ws)).map((e) => e.name)).toEqual([
      'out',
      'out/a.bin',
      'out/b.txt',
      'out/sub',
      'out/sub/c.txt'
    ]);
    expect((await collectSources(['out/**/*.txt', '!out/sub/**'], ws)).map((e) => e.name)).toEqual([
      'out/b.txt'
    ]);
  });

  it('refuses paths and symbolic links that lead outside the workspace, and patterns that match nothing', async () => {
    const ws = workspace();
    await expect(collectSources(['../secret.txt'], ws)).rejects.toThrow(/outside the workspace/);
    symlinkSync(join(ws, '..', 'secret.txt'), join(ws, 'out', 'link.txt'));
    await expect(collectSources(['out'], ws)).rejects.toThrow(
      /resolves to .*secret\.txt, outside the workspace/
    );
    await expect(collectSources(['*.nothing'], ws)).rejects.toThrow(/matches no files/);
    await expect(collectSources(['missing.txt'], ws)).rejects.toThrow(/does not exist/);
    await expect(collectSources([], ws)).rejects.toThrow(/lists no files/);
  });
});

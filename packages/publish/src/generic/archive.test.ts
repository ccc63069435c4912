import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  utimesSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { archiveTimestamp, writeReproducibleArchive } from './archive.js';
import { digestFile } from './hash.js';
import { collectSources } from './sources.js';

function makeTree(root: string, when: Date, fileMode: number): void {
  mkdirSync(join(root, 'app', 'bin'), { recursive: true });
  writeFileSync(join(root, 'app', 'readme.txt'), 'the secret mission\n');
  writeFileSync(join(root, 'app', 'bin', 'run.sh'), '#!/bin/sh\necho run\n');
  writeFileSync(join(root, 'app', 'z-last.txt'), 'z\n');
  chmodSync(join(root, 'app', 'bin', 'run.sh'), 0o755);
  chmodSync(join(root, 'app', 'readme.txt'), fileMode);
  for (const f of ['app/readme.txt', 'app/bin/run.sh', 'app/z-last.txt', 'app/bin', 'app']) {
    utimesSync(join(root, f), when, when);
  }
}

async function archiveOf(root: string): Promise<{ sha256: string; file: string }> {
  const entries = await collectSources(['app'], root);
  const file = join(root, '..', `${root.split('/').pop()}.tar.gz`);
  const digest = await writeReproducibleArchive(entries, {
    workspace: root,
    file,
    mtime: 1700000000,
    level: 6
  });
  expect(digest).toEqual(await digestFile(file));
  return { sha256: digest.sha256, file };
}

describe('writeReproducibleArchive', () => {
  it('gives the same SHA-256 for the same tree with other mtimes, modes and owners', async () => {
    const base = mkdtempSync(join(tmpdir(), 'generic-archive-'));
    makeTree(join(base, 'one'), new Date('2020-01-01'), 0o644);
    makeTree(join(base, 'two'), new Date('2024-06-30'), 0o600);
    // Another owner too, where the test may change owners (as root on CI runners).
    if (process.getuid?.() === 0) {
      for (const f of ['app', 'app/bin', 'app/readme.txt', 'app/bin/run.sh', 'app/z-last.txt']) {
        chownSync(join(base, 'two', f), 1234, 5678);
      }
    }
    const one = await archiveOf(join(base, 'one'));
    const two = await archiveOf(join(base, 'two'));
    expect(two.sha256).toBe(one.sha256);

    // Changing one byte of content changes the archive.
    writeFileSync(join(base, 'two', 'app', 'z-last.txt'), 'y\n');
    expect((await archiveOf(join(base, 'two'))).sha256).not.toBe(one.sha256);
  });

  it('writes sorted entries with a fixed mtime, owner 0:0, normalized modes and a bare gzip header', async () => {
    const base = mkdtempSync(join(tmpdir(), 'generic-archive-'));
    makeTree(join(base, 'one'), new Date('2021-03-04'), 0o664);
    const { file } = await archiveOf(join(base, 'one'));
    const gz = readFileSync(file);
    expect(gz.readUInt32LE(4)).toBe(0); // gzip MTIME
    expect(gz[3]! & 0x08).toBe(0); // no FNAME
    expect(gz[9]).toBe(3);

    const seen: Array<{ path: string; mode?: number; mtime?: Date; uid?: number; uname?: string }> = [];
    await tar.t({
      file,
      onReadEntry: (e) =>
        seen.push({ path: e.path, mode: e.mode, mtime: e.mtime, uid: e.uid, uname: e.uname })
    });
    expect(seen.map((e) => e.path)).toEqual([
      'app/',
      'app/bin/',
      'app/bin/run.sh',
      'app/readme.txt',
      'app/z-last.txt'
    ]);
    expect(seen.map((e) => e.mode)).toEqual([0o755, 0o755, 0o755, 0o644, 0o644]);
    for (const e of seen.filter((x) => !x.path.endsWith('/'))) {
      expect(e.mtime?.getTime()).toBe(1700000000 * 1000);
    }
    // GNU tar reads the owner fields as root with no names.
    const listing = execFileSync('tar', ['--numeric-owner', '-tvzf', file], { encoding: 'utf8' });
    expect(listing).toMatch(/-rw-r--r-- 0\/0 .*app\/readme\.txt/);
  });
});

describe('archiveTimestamp', () => {
  it('prefers SOURCE_DATE_EPOCH, then the last commit time, then a fixed epoch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'generic-epoch-'));
    expect(await archiveTimestamp({ SOURCE_DATE_EPOCH: '1234567890' }, dir)).toBe(1234567890);
    expect(await archiveTimestamp({}, dir)).toBe(315532800);
    execFileSync('git', ['init', '-q'], { cwd: dir });
    writeFileSync(join(dir, 'f'), 'x');
    const env = {
      ...process.env,
      GIT_COMMITTER_DATE: '2001-09-09T01:46:40Z',
      GIT_AUTHOR_DATE: '2001-09-09T01:46:40Z'
    };
    execFileSync('git', ['add', 'f'], { cwd: dir, env });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-qm', 'c'], {
      cwd: dir,
      env
    });
    expect(await archiveTimestamp({}, dir)).toBe(1000000000);
    await expect(archiveTimestamp({ SOURCE_DATE_EPOCH: 'yesterday' }, dir)).rejects.toThrow(
      /SOURCE_DATE_EPOCH/
    );
  });
});

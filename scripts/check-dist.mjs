#!/usr/bin/env node
// Rebuilds the bundles into a temporary folder and fails when the committed dist/ differs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const tmp = mkdtempSync(join(tmpdir(), 'check-dist-'));
try {
  execFileSync('npm', ['run', '--silent', 'build:lib'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [join(root, 'scripts', 'bundle.mjs'), join(tmp, 'dist')], {
    cwd: root,
    stdio: 'inherit'
  });
  mkdirSync(join(root, 'dist'), { recursive: true });
  try {
    execFileSync('diff', ['-r', '-q', join(root, 'dist'), join(tmp, 'dist')], { stdio: 'inherit' });
  } catch {
    console.error('dist/ is out of date: run `npm run build` and commit dist/.');
    process.exitCode = 1;
  }
  if (!process.exitCode) console.log('dist/ matches the sources.');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

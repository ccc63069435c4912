#!/usr/bin/env node
// Set-up shared by `npm test`, `npm run demo` and `npm run bench`: installs what a fresh machine
// lacks (npm dependencies, the Debian packages the end-to-end tests drive) and builds the
// workspace libraries. Each step is skipped when its result is already there.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

// 1. npm dependencies
const lock = join(root, 'package-lock.json');
const marker = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
  console.log('setup: npm ci');
  try {
    run('npm', ['ci', '--no-audit', '--no-fund']);
  } catch {
    // A registry that lacks some platform-only optional packages makes npm ci refuse the lock.
    console.warn('setup: npm ci failed; falling back to npm install (the lock file may need refreshing)');
    run('npm', ['install', '--no-audit', '--no-fund']);
  }
}

// 2. Debian packages the end-to-end tests use (the real twine, pypa/build, setuptools, wheel, venv, maven)
const debs = {
  twine: () => existsSync('/usr/bin/twine'),
  'python3-build': () =>
    spawnSync('/usr/bin/python3', ['-c', 'import build'], { stdio: 'ignore' }).status === 0,
  'python3-setuptools': () =>
    spawnSync('/usr/bin/python3', ['-c', 'import setuptools'], { stdio: 'ignore' }).status === 0,
  'python3-wheel': () =>
    spawnSync('/usr/bin/python3', ['-c', 'import wheel'], { stdio: 'ignore' }).status === 0,
  'python3-venv': () =>
    spawnSync('/usr/bin/python3', ['-c', 'import ensurepip'], { stdio: 'ignore' }).status === 0,
  'python3-pip': () =>
    spawnSync('/usr/bin/python3', ['-m', 'pip', '--version'], { stdio: 'ignore' }).status === 0,
  maven: () => has('mvn')
};
const missing = Object.entries(debs)
  .filter(([, present]) => !present())
  .map(([name]) => name);
if (missing.length > 0) {
  if (process.getuid?.() === 0 && has('apt-get')) {
    console.log(`setup: apt-get install ${missing.join(' ')}`);
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    });
  } else {
    console.warn(
      `setup: missing Debian packages (${missing.join(', ')}); install them as root with apt-get, or the tests that need them will say they skipped.`
    );
  }
}

// 3. npm-installed package tools the end-to-end tests drive besides npm itself
const globalTools = { pnpm: 'pnpm@10', yarn: 'yarn@1' };
const missingTools = Object.keys(globalTools).filter((tool) => !has(tool));
if (missingTools.length > 0) {
  if (process.getuid?.() === 0) {
    console.log(`setup: npm install -g ${missingTools.map((t) => globalTools[t]).join(' ')}`);
    run('npm', ['install', '-g', '--no-audit', '--no-fund', ...missingTools.map((t) => globalTools[t])]);
  } else {
    console.warn(
      `setup: ${missingTools.join(' and ')} missing; the tests that drive them will say they skipped.`
    );
  }
}

// 4. workspace libraries (the emulator's bin and the bundles import the compiled lib/)
run('npm', ['run', '--silent', 'build:lib']);

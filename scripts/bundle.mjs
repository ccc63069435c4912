#!/usr/bin/env node
// Bundles every action entry (actions/<name>/src/{main,post}.ts) with ncc into <out>/<name>/.
// Usage: node scripts/bundle.mjs [outDir] [action...]   (default: dist, every action)
// With action names, only those bundles are rebuilt and the others are left as they are.
// Each action is built into a staging folder and swapped in whole, so a failed or running build
// never leaves a half-written or missing bundle behind.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = resolve(root, process.argv[2] ?? 'dist');
const only = process.argv.slice(3);
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

const actions = readdirSync(join(root, 'actions'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'actions', d.name, 'src', 'main.ts')))
  .map((d) => d.name)
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();

/** ncc output of one entry, with index.* renamed to `<file>.*` (source map reference included). */
function bundleEntry(src, file, dest) {
  const tmp = `${dest}.${file}.ncc`;
  rmSync(tmp, { recursive: true, force: true });
  const args = [
    'build',
    src,
    '-o',
    tmp,
    '--source-map',
    '--license',
    'licenses.txt',
    '--quiet',
    '--target',
    'es2022'
  ];
  execFileSync(process.execPath, [ncc, ...args], { cwd: root, stdio: 'inherit' });
  for (const f of readdirSync(tmp)) {
    const target = f.replace(/^index\./, `${file}.`);
    if (f === 'index.js') {
      const code = readFileSync(join(tmp, f), 'utf8').replace(
        /sourceMappingURL=index\.js\.map/,
        `sourceMappingURL=${file}.js.map`
      );
      writeFileSync(join(dest, target), code);
    } else {
      renameSync(join(tmp, f), join(dest, target));
    }
  }
  rmSync(tmp, { recursive: true, force: true });
}

mkdirSync(out, { recursive: true });
if (only.length === 0) {
  // A full build also drops bundles of actions that no longer exist.
  for (const d of readdirSync(out))
    if (!actions.includes(d)) rmSync(join(out, d), { recursive: true, force: true });
}
for (const name of actions) {
  const staging = join(out, `.${name}.staging`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (const [entry, file] of [
    ['main', 'index'],
    ['post', 'post']
  ]) {
    const src = join(root, 'actions', name, 'src', `${entry}.ts`);
    if (existsSync(src)) bundleEntry(src, file, staging);
  }
  writeFileSync(join(staging, 'package.json'), '{ "type": "module" }\n');
  rmSync(join(out, name), { recursive: true, force: true });
  renameSync(staging, join(out, name));
  console.log(`bundled ${name}`);
}

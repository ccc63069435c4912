#!/usr/bin/env node
// Bundles every action entry (actions/<name>/src/{main,post}.ts) with ncc into <out>/<name>/.
// Usage: node scripts/bundle.mjs [outDir] [action...]   (default: dist, every action)
// With action names, only those bundles are rebuilt and the others are left as they are.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = resolve(root, process.argv[2] ?? 'dist');
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

const only = process.argv.slice(3);
if (only.length === 0) rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const actions = readdirSync(join(root, 'actions'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'actions', d.name, 'src', 'main.ts')))
  .map((d) => d.name)
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();

for (const name of actions) {
  rmSync(join(out, name), { recursive: true, force: true });
  for (const entry of ['main', 'post']) {
    const src = join(root, 'actions', name, 'src', `${entry}.ts`);
    if (!existsSync(src)) continue;
    const tmp = join(out, `.${name}-${entry}`);
    execFileSync(
      process.execPath,
      [
        ncc,
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
      ],
      {
        cwd: root,
        stdio: 'inherit'
      }
    );
    const dest = join(out, name);
    mkdirSync(dest, { recursive: true });
    const file = entry === 'main' ? 'index' : 'post';
    for (const f of readdirSync(tmp)) {
      const target = f.startsWith('index.') ? f.replace(/^index\./, `${file}.`) : f;
      if (f.startsWith('index.js')) {
        // The source map names its script; keep it pointing at the renamed file.
        if (f === 'index.js') {
          const code = readFileSync(join(tmp, f), 'utf8').replace(
            /sourceMappingURL=index\.js\.map/,
            `sourceMappingURL=${file}.js.map`
          );
          writeFileSync(join(dest, target), code);
          continue;
        }
      }
      renameSync(join(tmp, f), join(dest, target));
    }
    rmSync(tmp, { recursive: true, force: true });
  }
  writeFileSync(join(out, name, 'package.json'), '{ "type": "module" }\n');
  console.log(`bundled ${name}`);
}

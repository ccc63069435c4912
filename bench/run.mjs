#!/usr/bin/env node
// `npm run bench`: runs every benchmark script in bench/ (each starts its own emulator and prints
// its figures beside the peer tool's), one after another so they do not compete for the 2 cores.
// `npm run bench -- NAME...` runs only the scripts whose file names contain one of the words.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const words = process.argv.slice(2);
const scripts = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs' && !f.startsWith('_'))
  .filter((f) => words.length === 0 || words.some((w) => f.includes(w)))
  .sort();
let failed = 0;
for (const script of scripts) {
  console.log(`\n=== ${script} ===`);
  const result = spawnSync(process.execPath, [join(here, script)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.log(`${script} failed (exit ${result.status})`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;

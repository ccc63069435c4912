import { appendFileSync } from 'node:fs';

// Written by hand, without @actions/core, to show the file command format works on its own.
const delimiter = `ghadelimiter_${process.pid}`;
appendFileSync(
  process.env.GITHUB_OUTPUT,
  `env<<${delimiter}\n${JSON.stringify(process.env)}\n${delimiter}\n`
);
appendFileSync(process.env.GITHUB_OUTPUT, `cwd=${process.cwd()}\n`);

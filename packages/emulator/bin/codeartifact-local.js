#!/usr/bin/env node
// The local CodeArtifact; `npm run build:lib` compiles ../lib first.
import { main } from '../lib/cli.js';

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`codeartifact-local: ${error?.message ?? error}\n`);
  process.exit(1);
});

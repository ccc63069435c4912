#!/usr/bin/env node
// Lints every workflow, example and action.yml of the repository; exits 1 on any problem.
import { lintWorkflowFiles } from '../lib/index.js';

const root = process.argv[2] ?? process.cwd();
const { files, problems } = await lintWorkflowFiles(root);
for (const problem of problems) console.error(`${problem.file}: ${problem.message}`);
console.log(`${files.length} workflow and action files checked, ${problems.length} problem(s).`);
if (problems.length > 0) process.exitCode = 1;

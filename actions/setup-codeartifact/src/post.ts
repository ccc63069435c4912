import { runCleanup } from './cleanup.js';

await runCleanup();

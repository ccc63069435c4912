/** Runs `codeartifact-local` as a child process (tests of restarts, benchmarks, other packages' end-to-end tests). */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { ReadyInfo } from './emulator.js';

/** The bin script; it runs the compiled lib/ (`npm run build:lib`). */
export const BIN_PATH = fileURLToPath(new URL('../bin/codeartifact-local.js', import.meta.url));

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * Compiles the emulator's lib/ (tsc -b, a no-op when up to date) so the bin runs current code.
 * Test files in parallel workers may call it at once: a lock folder keeps one compiler writing.
 */
export function buildEmulatorLibrary(timeoutMs = 120_000): void {
  mkdirSync(`${PACKAGE_DIR}lib`, { recursive: true });
  const lock = `${PACKAGE_DIR}lib/.build-lock`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than the timeout was left by a killed build.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > timeoutMs)
        rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`${lock} is still held after ${timeoutMs} ms`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-b', `${PACKAGE_DIR}tsconfig.json`], {
      stdio: ['ignore', 'ignore', 'inherit']
    });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface SpawnedEmulator {
  readonly info: ReadyInfo;
  readonly child: ChildProcess;
  /** Everything the process wrote on stdout (the ready line) and stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Sends SIGTERM (or `signal`) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts the bin with `args` and resolves once it printed its ready line. */
export async function spawnEmulator(
  args: string[] = [],
  options: { timeoutMs?: number } = {}
): Promise<SpawnedEmulator> {
  const child = spawn(process.execPath, [BIN_PATH, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const info = await readReadyLine(child, exited, () => stderr, options.timeoutMs ?? 30_000);
  return {
    info,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    }
  };
}

function readReadyLine(
  child: ChildProcess,
  exited: Promise<number | null>,
  stderr: () => string,
  timeoutMs: number
): Promise<ReadyInfo> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`codeartifact-local printed no ready line within ${timeoutMs} ms: ${stderr()}`));
    }, timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const newline = stdout.indexOf('\n');
      if (newline === -1) return;
      clearTimeout(timer);
      try {
        resolve(JSON.parse(stdout.slice(0, newline)) as ReadyInfo);
      } catch (error) {
        reject(new Error(`codeartifact-local's ready line is not JSON: ${(error as Error).message}`));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`codeartifact-local exited (${code}) before it was ready: ${stderr()}`));
    });
  });
}

/** Shared set-up for the generic publish/download end-to-end tests: emulator, workspaces, jobs. */
import { startEmulator, type RunningEmulator } from '@codeartifact-actions/emulator';
import { runJob, type JobResult, type StepSpec } from '@codeartifact-actions/runner';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const DOMAIN = 'nextwork';
export const REPOSITORY = 'generic-store';

export async function startGenericEmulator(): Promise<RunningEmulator> {
  const emulator = await startEmulator();
  await emulator.createDomain(DOMAIN);
  await emulator.createRepository(DOMAIN, REPOSITORY);
  return emulator;
}

/** A fresh workspace holding `files` (path -> content). */
export function makeWorkspace(files: Record<string, string | Buffer>): string {
  const ws = mkdtempSync(join(tmpdir(), 'generic-ws-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(ws, path)), { recursive: true });
    writeFileSync(join(ws, path), content);
  }
  return ws;
}

export function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

const finished: JobResult[] = [];

/** Runs steps as a job against the emulator with its root credentials (the default chain). */
export async function runGenericJob(
  emulator: RunningEmulator,
  steps: StepSpec[],
  options: { workspace?: string; ref?: string; env?: Record<string, string>; oidc?: boolean } = {}
): Promise<JobResult> {
  // With oidc the job has no keys at all: the step must assume a role with GitHub's token.
  const keys: Record<string, string> = options.oidc
    ? {}
    : {
        AWS_ACCESS_KEY_ID: emulator.info.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: emulator.info.credentials.secretAccessKey
      };
  const result = await runJob({
    steps,
    workspace: options.workspace,
    github: options.ref ? { ref: options.ref } : undefined,
    permissions: options.oidc ? { 'id-token': 'write' } : undefined,
    oidc: options.oidc ? emulator.info.oidc : undefined,
    env: {
      AWS_ENDPOINT_URL: emulator.info.endpoint,
      AWS_REGION: emulator.info.region,
      ...keys,
      CODEARTIFACT_DOMAIN: DOMAIN,
      CODEARTIFACT_REPOSITORY: REPOSITORY,
      ...options.env
    }
  });
  finished.push(result);
  return result;
}

export async function cleanupJobs(): Promise<void> {
  await Promise.all(finished.splice(0).map((r) => r.cleanup()));
}

export function mainStep(result: JobResult, id: string) {
  const step = result.steps.find((s) => s.id === id && s.phase === 'main');
  if (!step) throw new Error(`no step ${id}`);
  return step;
}

export function errors(result: JobResult): string {
  return result.annotations
    .filter((a) => a.level === 'error')
    .map((a) => a.message)
    .join('\n');
}

/** The reusable publish-generic workflow and its callers, run as written through the local runner. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningEmulator } from '@codeartifact-actions/emulator';
import { runJob } from '@codeartifact-actions/runner';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DOMAIN,
  cleanupRuns,
  failures,
  logs,
  machine,
  makeProject,
  run,
  startWorkflowEmulator
} from './fixtures/workflows/harness.js';

const STORE = 'generic-store';
const WORKFLOW = '.github/workflows/publish-generic.yml';
const FIXTURES = 'test/fixtures/workflows';
const NOTES = { 'notes/CHANGES.md': '# 1.2.3\n- first release\n', 'notes/team.txt': 'octocat\n' };

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startWorkflowEmulator([STORE]);
});
afterAll(async () => {
  await emulator?.close();
});
afterEach(cleanupRuns);

/** Downloads a version with download-generic in a job of its own and returns the extracted folder's files. */
async function downloaded(version: string, file: string): Promise<string> {
  const result = await runJob({
    env: {
      AWS_ENDPOINT_URL: emulator.info.endpoint,
      AWS_REGION: emulator.info.region,
      AWS_ACCESS_KEY_ID: emulator.info.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: emulator.info.credentials.secretAccessKey
    },
    steps: [
      {
        id: 'download',
        uses: 'actions/download-generic',
        with: {
          domain: DOMAIN,
          repository: STORE,
          namespace: 'release-notes',
          package: 'notes',
          version,
          path: 'out',
          extract: 'true'
        }
      }
    ]
  });
  try {
    expect(result.conclusion).toBe('success');
    return readFileSync(join(result.workspace, 'out', file), 'utf8');
  } finally {
    await result.cleanup();
  }
}

describe('publish-generic.yml', () => {
  it('publishes on a v1.2.3 tag push through a caller, and the version downloads back', async () => {
    const result = await run(`${FIXTURES}/caller-generic.yml`, {
      ...machine(emulator, STORE),
      event: 'push',
      ref: 'refs/tags/v1.2.3',
      checkout: makeProject(NOTES)
    });
    expect({ conclusion: result.conclusion, failures: failures(result) }).toEqual({
      conclusion: 'success',
      failures: ''
    });
    expect(result.jobOutputs.publish.version).toBe('1.2.3');
    expect(result.jobOutputs.publish.assets).toContain('notes-1.2.3.tar.gz');
    expect(result.jobs.report.log).toContain('published 1.2.3 as');
    // The actions came from this repository's checkout at the workflow's own commit.
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    expect(result.jobs['publish/publish'].log).toContain(`Checked out OWNER/REPO at ${head}`);
    expect(await downloaded('1.2.3', 'notes/CHANGES.md')).toBe(NOTES['notes/CHANGES.md']);
  });

  it('publishes the version typed into a workflow_dispatch form', async () => {
    const result = await run(`${FIXTURES}/caller-generic.yml`, {
      ...machine(emulator, STORE),
      event: 'workflow_dispatch',
      inputs: { version: '2.0.0-rc.1' },
      checkout: makeProject(NOTES)
    });
    expect(failures(result)).toBe('');
    expect(result.outputs).toEqual({});
    expect(result.jobOutputs.publish.version).toBe('2.0.0-rc.1');
    expect(await downloaded('2.0.0-rc.1', 'notes/team.txt')).toBe('octocat\n');
  });

  it('runs the reusable workflow alone for workflow_call and maps its outputs', async () => {
    const result = await run(WORKFLOW, {
      ...machine(emulator, STORE),
      event: 'workflow_call',
      ref: 'refs/tags/v3.1.0',
      inputs: {
        'role-to-assume': emulator.info.roles[0],
        'aws-region': emulator.info.region,
        domain: DOMAIN,
        repository: STORE,
        namespace: 'release-notes',
        package: 'notes',
        path: 'notes/'
      },
      checkout: makeProject(NOTES)
    });
    expect(failures(result)).toBe('');
    expect(result.outputs).toMatchObject({ version: '3.1.0', status: 'Published' });
  });

  it('fails a caller that misspells an input with the workflow error, before any job runs', async () => {
    emulator.clearRequestLog();
    const result = await run(`${FIXTURES}/caller-misspelled.yml`, {
      ...machine(emulator, STORE),
      event: 'push'
    });
    expect(result.conclusion).toBe('failure');
    expect(result.errors).toEqual([
      'Invalid input, repositry is not defined in the referenced workflow.',
      'Input repository is required, but not provided while calling.'
    ]);
    expect(Object.keys(result.jobs)).toEqual([]);
    expect(emulator.requestLog()).toEqual([]);
  });

  it('refuses a caller whose token cannot grant id-token: write to the called job', async () => {
    const result = await run(`${FIXTURES}/caller-without-id-token.yml`, {
      ...machine(emulator, STORE),
      event: 'push'
    });
    expect(result.conclusion).toBe('failure');
    expect(result.errors).toEqual([
      "The nested job 'publish' is requesting 'id-token: write', but is only allowed 'id-token: none'."
    ]);
  });

  it('fails a job without id-token: write with the setup action message', async () => {
    const result = await run(`${FIXTURES}/no-id-token.yml`, { ...machine(emulator, STORE), event: 'push' });
    expect(result.conclusion).toBe('failure');
    expect(failures(result)).toContain('Add `permissions: id-token: write` to the job');
  });

  it('names an action it cannot run locally instead of skipping it', async () => {
    const result = await run(`${FIXTURES}/unknown-action.yml`, { event: 'push' });
    expect(result.conclusion).toBe('failure');
    expect(result.errors[0]).toContain("The action 'some-org/some-action@v3' cannot run locally");
    void logs;
  });
});

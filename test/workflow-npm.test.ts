/** The reusable publish-python workflow through a caller, run as written, then npm installs the package. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { parseConfig, startEmulator, type RunningEmulator } from '@codeartifact-actions/emulator';
import { join } from 'node:path';
import { DOMAIN, cleanupRuns, failures, machine, run } from './fixtures/workflows/harness.js';

const CALLER = 'test/fixtures/workflows/caller-npm.yml';
const PROJECT = join(process.cwd(), 'test/fixtures/workflows/npm-project');

let emulator: RunningEmulator;
beforeAll(async () => {
  const config = parseConfig(
    {
      roles: [
        {
          name: 'ci',
          trust: { subjects: ['repo:*'] },
          actions: ['sts:GetServiceBearerToken', 'codeartifact:*']
        }
      ],
      domains: [{ name: DOMAIN, repositories: [{ name: 'npm-store' }, { name: 'npm-manual' }] }]
    },
    'workflow-npm'
  );
  emulator = await startEmulator({ config });
});
afterAll(async () => {
  await emulator?.close();
});
afterEach(cleanupRuns);

describe('publish-npm.yml', () => {
  it('publishes on a v1.2.3 tag push; the next job npm installs and imports it', async () => {
    const result = await run(CALLER, {
      ...machine(emulator, 'npm-store'),
      event: 'push',
      ref: 'refs/tags/v1.2.3',
      checkout: PROJECT
    });
    expect(failures(result)).toBe('');
    expect(result.conclusion).toBe('success');
    expect(result.jobOutputs.publish).toMatchObject({
      name: '@acme/release-widget',
      version: '1.2.3',
      status: 'published'
    });
    expect(result.jobOutputs.publish.integrity).toMatch(/^sha512-/);
    expect(result.jobs.install.log).toContain('required: widget 1.2.3');
    // The workflow's own checkout of this repository stays out of the published tarball.
    expect(result.jobs.install.log).toContain('package/index.js package/package.json \n');
  });

  it('publishes the tag typed into a workflow_dispatch form', async () => {
    const result = await run(CALLER, {
      ...machine(emulator, 'npm-manual'),
      event: 'workflow_dispatch',
      inputs: { version: '1.2.3' },
      checkout: PROJECT
    });
    expect(failures(result)).toBe('');
    expect(result.jobs['publish/publish'].log).toContain(
      'Checked out octo-org/octo-repo at refs/tags/v1.2.3'
    );
    expect(result.jobs.install.log).toContain('required: widget 1.2.3');
  });

  it('fails a dispatch without the required version with the form error', async () => {
    const result = await run(CALLER, { ...machine(emulator, 'npm-store'), event: 'workflow_dispatch' });
    expect(result.errors).toEqual(["Required input 'version' not provided"]);
  });
});

/** The reusable publish-python workflow through a caller, run as written, then pip installs the package. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { parseConfig, startEmulator, type RunningEmulator } from '@codeartifact-actions/emulator';
import { join } from 'node:path';
import { DOMAIN, cleanupRuns, failures, machine, run } from './fixtures/workflows/harness.js';

const CALLER = 'test/fixtures/workflows/caller-python.yml';
const PROJECT = join(process.cwd(), 'test/fixtures/python/modern');
// Debian's interpreter has pypa/build, setuptools and twine; PyPI is not reachable to install them.
const PYTHON = '/usr/bin/python3';

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
      domains: [{ name: DOMAIN, repositories: [{ name: 'py' }, { name: 'py-manual' }] }]
    },
    'workflow-python'
  );
  emulator = await startEmulator({ config });
});
afterAll(async () => {
  await emulator?.close();
});
afterEach(cleanupRuns);

describe('publish-python.yml', () => {
  it('publishes on a v1.2.3 tag push; the next job pip installs and imports it', async () => {
    const result = await run(CALLER, {
      ...machine(emulator, 'py'),
      event: 'push',
      ref: 'refs/tags/v1.2.3',
      checkout: PROJECT,
      python: PYTHON
    });
    expect(failures(result)).toBe('');
    expect(result.conclusion).toBe('success');
    expect(result.jobOutputs.publish).toMatchObject({ version: '1.2.3' });
    const files = JSON.parse(result.jobOutputs.publish.files) as Array<{ name: string }>;
    expect(files.map((file) => file.name.replace(/^.*-1\.2\.3/, ''))).toEqual([
      '-py3-none-any.whl',
      '.tar.gz'
    ]);
    expect(result.jobs.install.log).toContain('imported: hello from acme-py-demo');
  });

  it('publishes the tag typed into a workflow_dispatch form', async () => {
    const result = await run(CALLER, {
      ...machine(emulator, 'py-manual'),
      event: 'workflow_dispatch',
      inputs: { version: '1.2.3' },
      checkout: PROJECT,
      python: PYTHON
    });
    expect(failures(result)).toBe('');
    expect(result.jobs['publish/publish'].log).toContain(
      'Checked out octo-org/octo-repo at refs/tags/v1.2.3'
    );
    expect(result.jobs.install.log).toContain('imported: hello from acme-py-demo');
  });

  it('fails a dispatch without the required version with the form error', async () => {
    const result = await run(CALLER, { ...machine(emulator, 'py'), event: 'workflow_dispatch' });
    expect(result.errors).toEqual(["Required input 'version' not provided"]);
  });
});

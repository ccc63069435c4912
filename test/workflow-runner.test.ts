/** runWorkflow's GitHub semantics that need no emulator: events, typed inputs, permissions, needs, outputs. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { cleanupRuns, run } from './fixtures/workflows/harness.js';

const FILE = 'test/fixtures/workflows/semantics.yml';
const OIDC = { requestUrl: 'http://127.0.0.1:9/token', requestToken: 'request-token' };

afterEach(cleanupRuns);

describe('runWorkflow', () => {
  it('runs a tag push: job outputs through needs, env and permissions per job, a job skipped by its if', async () => {
    const result = await run(FILE, { event: 'push', ref: 'refs/tags/v1.2.3', oidc: OIDC });
    expect(result.errors).toEqual([]);
    expect(result.conclusion).toBe('success');
    expect(Object.keys(result.jobs)).toEqual(['first', 'second']);
    expect(result.jobOutputs.first).toEqual({ greeting: 'hello from sub-tag' });
    expect(result.jobs.first.log).toContain('stage=workflow token=set');
    // A push has no inputs: the dispatch form's defaults do not apply, as on GitHub.
    expect(result.jobs.first.log).toContain('dry= dry-is-bool=true retries-over-3=false\n');
    expect(result.jobs.first.log).toMatch(/^event=push ref=v1\.2\.3 form=$/m);
    // Only the first job has id-token: write.
    expect(result.jobs.second.log).toMatch(/^got 'hello from sub-tag' stage=job token=$/m);
  });

  it('runs a workflow_dispatch with typed form values in inputs and github.event.inputs', async () => {
    const result = await run(FILE, {
      event: 'workflow_dispatch',
      inputs: { 'dry-run': 'true', retries: '5' },
      oidc: OIDC
    });
    expect(result.errors).toEqual([]);
    expect(result.jobs.first.log).toContain('dry=true dry-is-bool=false retries-over-3=true');
    expect(result.jobs.first.log).toContain('event=workflow_dispatch ref=main form=5');
    expect(result.jobs.skipped.log).toContain('dispatch only');
  });

  it('runs one job alone, and refuses events and values the file does not accept', async () => {
    const alone = await run(FILE, { event: 'push', job: 'second' });
    expect(Object.keys(alone.jobs)).toEqual(['second']);
    expect(alone.jobs.second.log).toContain("got '' stage=job");
    const called = await run(FILE, { event: 'workflow_call' });
    expect(called.errors).toEqual([
      `${FILE}: the workflow is not triggered by 'workflow_call' (on: push, workflow_dispatch).`
    ]);
    const typed = await run(FILE, { event: 'workflow_dispatch', inputs: { retries: 'many' } });
    expect(typed.errors).toEqual(["Input retries must be a number, got 'many'."]);
    expect(typed.jobs).toEqual({});
  });
});

describe('runWorkflow push filters', () => {
  it('runs the release pipelines only for the tags their on.push filters name', async () => {
    // examples/release.yml: tags ['v*.*.*']; this repo's release.yml: tags ['v[0-9]+.[0-9]+.[0-9]+'].
    for (const [file, ref, why] of [
      ['examples/release.yml', 'refs/tags/latest', 'tag "latest" matches none of on.push.tags [v*.*.*]'],
      [
        'examples/release.yml',
        'refs/heads/main',
        'on.push filters tags only, and refs/heads/main is a branch'
      ],
      [
        '.github/workflows/release.yml',
        'refs/tags/v1.2.3-rc.1',
        'tag "v1.2.3-rc.1" matches none of on.push.tags [v[0-9]+.[0-9]+.[0-9]+]'
      ],
      [
        '.github/workflows/ci.yml',
        'refs/heads/feature/x',
        'branch "feature/x" matches none of on.push.branches [main]'
      ],
      [
        '.github/workflows/ci.yml',
        'refs/tags/v1.2.3',
        'on.push filters branches only, and refs/tags/v1.2.3 is a tag'
      ]
    ]) {
      const result = await run(file as string, { event: 'push', ref });
      expect({ file, ref, errors: result.errors }).toEqual({
        file,
        ref,
        errors: [`${file}: a push of ${ref} does not trigger the workflow: ${why}.`]
      });
      expect(result.jobs).toEqual({});
    }
  });
});

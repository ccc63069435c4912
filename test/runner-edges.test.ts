import { describe, it, expect, afterEach } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runJob, type JobResult } from '@codeartifact-actions/runner';

const FIXTURES = 'packages/runner/test-fixtures';

const finished: JobResult[] = [];
async function run(...args: Parameters<typeof runJob>): Promise<JobResult> {
  const result = await runJob(...args);
  finished.push(result);
  return result;
}

afterEach(async () => {
  await Promise.all(finished.splice(0).map((result) => result.cleanup()));
});

function outcomes(result: JobResult): string[] {
  return result.steps.map((step) => `${step.phase}:${step.id}:${step.outcome}`);
}

describe('post-if', () => {
  it('runs a post step without post-if after a failure (default always()) and skips a success()-only one', async () => {
    const result = await run({
      steps: [
        { id: 'default', uses: `${FIXTURES}/post-default`, with: { label: 'default' } },
        { id: 'guarded', uses: `${FIXTURES}/post-on-success`, with: { label: 'guarded' } },
        { id: 'boom', run: 'exit 1' }
      ]
    });
    expect(outcomes(result)).toEqual([
      'main:default:success',
      'main:guarded:success',
      'main:boom:failure',
      'post:guarded:skipped',
      'post:default:success'
    ]);
  });

  it('runs no post step for an action whose main step was skipped', async () => {
    const result = await run({
      steps: [
        { id: 'boom', run: 'exit 1' },
        { id: 'never', uses: `${FIXTURES}/lifecycle`, with: { label: 'never' } }
      ]
    });
    expect(outcomes(result)).toEqual(['main:boom:failure', 'main:never:skipped']);
  });
});

describe('job timeout', () => {
  it('cancels the job: always() and cancelled() steps and post steps still run, others are skipped', async () => {
    const result = await run({
      timeoutMinutes: 0.03,
      steps: [
        { id: 'setup', uses: `${FIXTURES}/lifecycle`, with: { label: 'setup' } },
        { id: 'slow', run: 'sleep 30' },
        { id: 'normal', run: 'echo normal' },
        { id: 'always', if: 'always()', run: 'echo "status=${{ job.status }}" >> "$GITHUB_OUTPUT"' },
        { id: 'on-cancel', if: 'cancelled()', run: 'echo cancelled' }
      ]
    });
    expect(outcomes(result)).toEqual([
      'main:setup:success',
      'main:slow:failure',
      'main:normal:skipped',
      'main:always:success',
      'main:on-cancel:success',
      'post:setup:success'
    ]);
    expect(result.steps[3].outputs.status).toBe('cancelled');
    expect(result.log).toContain('##[error]The job has exceeded its maximum execution time of 0.03 minutes.');
    expect(result.conclusion).toBe('failure');
  });
});

describe('run steps', () => {
  it('honours working-directory and shell: sh', async () => {
    const result = await run({
      steps: [
        { run: 'mkdir -p sub/dir' },
        {
          id: 'where',
          run: 'echo "dir=$(pwd)" >> "$GITHUB_OUTPUT"',
          'working-directory': 'sub/dir',
          shell: 'sh'
        }
      ]
    });
    expect(result.steps[1].outputs.dir).toBe(path.join(result.workspace, 'sub/dir'));
    expect(result.argv[1].slice(0, 2)).toEqual(['sh', '-e']);
  });

  it('fails a bash step on an error inside a pipeline (-o pipefail)', async () => {
    const result = await run({ steps: [{ id: 'pipe', run: 'false | cat\necho not reached' }] });
    expect(result.steps[0]).toMatchObject({ outcome: 'failure', exitCode: 1 });
    expect(result.log).not.toContain('\nnot reached');
  });

  it('evaluates inputs and env contexts in the script and the step name', async () => {
    const result = await run({
      env: { STAGE: 'prod' },
      inputs: { version: '1.2.3' },
      steps: [
        {
          id: 'expr',
          name: 'Release ${{ inputs.version }}',
          run: 'echo "v=${{ inputs.version }}-${{ env.STAGE }}-${{ runner.os }}" >> "$GITHUB_OUTPUT"'
        }
      ]
    });
    expect(result.steps[0].outputs.v).toBe('1.2.3-prod-Linux');
    expect(result.steps[0].name).toBe('Release 1.2.3');
    expect(result.log).toContain('##[group]Release 1.2.3');
  });
});

describe('errors the runner reports', () => {
  it('fails a step whose action folder has no action.yml, naming the folder', async () => {
    const result = await run({ steps: [{ id: 'missing', uses: `${FIXTURES}/no-such-action` }] });
    expect(result.steps[0].outcome).toBe('failure');
    expect(result.log).toContain(
      `Can't find 'action.yml' or 'action.yaml' under '${path.resolve(FIXTURES, 'no-such-action')}'`
    );
  });

  it('fails a step whose expression names an unknown context', async () => {
    const result = await run({ steps: [{ id: 'bad', run: 'echo ${{ secretz.X }}' }] });
    expect(result.steps[0].outcome).toBe('failure');
    expect(result.log).toContain("The expression 'secretz.X' is not valid");
  });

  it('fails a step that writes a heredoc without its delimiter to GITHUB_OUTPUT', async () => {
    const result = await run({
      steps: [{ id: 'torn', run: 'printf "x<<EOF\\nvalue\\n" >> "$GITHUB_OUTPUT"' }]
    });
    expect(result.steps[0].outcome).toBe('failure');
    expect(result.log).toContain("Matching delimiter not found 'EOF'");
  });
});

describe('secrets and vars', () => {
  it('masks secrets context values everywhere, including the with: block of the step header', async () => {
    const result = await run({
      secrets: { TOKEN: 'tok-abc-123' },
      vars: { DOMAIN: 'acme' },
      steps: [
        {
          id: 'greet',
          uses: `${FIXTURES}/greet`,
          with: { 'who-to-greet': '${{ secrets.TOKEN }}', 'must-have': '${{ vars.DOMAIN }}' }
        }
      ]
    });
    expect(result.steps[0].outputs.greeting).toBe('Hello tok-abc-123');
    expect(result.log).toContain('who-to-greet: ***');
    expect(result.log).toContain('must-have: acme');
    expect(result.log).not.toContain('tok-abc-123');
  });
});

describe('folders', () => {
  it('uses a given workspace and leaves it in place on cleanup', async () => {
    const first = await run({ steps: [{ run: 'echo kept > kept.txt' }] });
    const result = await runJob({ workspace: first.workspace, steps: [{ run: 'cat kept.txt' }] });
    await result.cleanup();
    expect(await readFile(path.join(first.workspace, 'kept.txt'), 'utf8')).toBe('kept\n');
    expect(result.log).toContain('\nkept');
  });
});

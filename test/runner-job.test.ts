import { describe, it, expect, afterEach } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runAction, runJob, type JobResult } from '@codeartifact-actions/runner';

const GREET = 'packages/runner/test-fixtures/greet';
const LIFECYCLE = 'packages/runner/test-fixtures/lifecycle';
const ENV_PROBE = 'packages/runner/test-fixtures/env-probe';

const finished: JobResult[] = [];
async function run(...args: Parameters<typeof runJob>): Promise<JobResult> {
  const result = await runJob(...args);
  finished.push(result);
  return result;
}

afterEach(async () => {
  await Promise.all(finished.splice(0).map((result) => result.cleanup()));
});

function stepEnv(result: JobResult, id: string): Record<string, string> {
  const step = result.steps.find((candidate) => candidate.id === id && candidate.phase === 'main');
  return JSON.parse(step?.outputs.env ?? '{}') as Record<string, string>;
}

/** A killed process whose parent is gone can linger as a zombie until reaped; that counts as dead. */
async function isRunning(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && stat.split(') ')[1]?.[0] !== 'Z';
}

/** SIGKILL is delivered asynchronously; give a busy machine a moment before calling a process a survivor. */
async function stillRunningAfter(pid: number, waitMs: number): Promise<boolean> {
  const until = Date.now() + waitMs;
  while (await isRunning(pid)) {
    if (Date.now() > until) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

describe('action inputs', () => {
  it('sets INPUT_ variables with GitHub name mangling and declared defaults', async () => {
    const result = await run({
      github: { repository: 'acme/widgets' },
      steps: [{ id: 'greet', uses: GREET, with: { 'must-have': 42, extra: 'x' } }]
    });
    const inputs = JSON.parse(result.steps[0].outputs.inputs) as Record<string, string>;
    expect(inputs).toEqual({
      'INPUT_WHO-TO-GREET': 'World',
      INPUT_GREETING_STYLE: 'acme/widgets',
      'INPUT_MUST-HAVE': '42',
      INPUT_EXTRA: 'x'
    });
    expect(result.log).toContain(
      "##[warning]Unexpected input(s) 'extra', valid inputs are ['who-to-greet', 'greeting style', 'optional', 'must-have']"
    );
    expect(result.conclusion).toBe('success');
  });

  it('warns when a required input without default is left out', async () => {
    const result = await run({ steps: [{ uses: GREET }] });
    expect(result.log).toContain('##[warning]Input required and not supplied: must-have');
    expect(result.annotations.map((annotation) => annotation.level)).toEqual(['warning']);
  });
});

describe('data between steps', () => {
  it('passes outputs through ${{ steps.<id>.outputs.<name> }} into with, env and run', async () => {
    const result = await run({
      steps: [
        { id: 'first', uses: GREET, with: { 'who-to-greet': 'Mona', 'must-have': 'y' } },
        {
          id: 'second',
          uses: GREET,
          with: { 'who-to-greet': '${{ steps.first.outputs.greeting }}!', 'must-have': 'y' }
        },
        {
          run: 'echo "got=$GOT outcome=${{ steps.second.outcome }}" >> "$GITHUB_OUTPUT"',
          id: 'third',
          env: { GOT: '${{ steps.second.outputs.greeting }}' }
        }
      ]
    });
    expect(result.steps[1].outputs.greeting).toBe('Hello Hello Mona!');
    expect(result.steps[2].outputs).toEqual({ got: 'Hello Hello Mona! outcome=success' });
  });

  it('carries GITHUB_ENV (with multi-line values) and GITHUB_PATH to later steps only', async () => {
    const result = await run({
      steps: [
        { id: 'before', uses: ENV_PROBE },
        { uses: LIFECYCLE, with: { label: 'one' } },
        {
          run: 'printf "NOTE<<END\\nline a\\nline b\\nEND\\n" >> "$GITHUB_ENV"; echo /opt/tools/bin >> "$GITHUB_PATH"'
        },
        { id: 'after', uses: ENV_PROBE }
      ]
    });
    expect(stepEnv(result, 'before').LIFECYCLE_ONE).toBeUndefined();
    const after = stepEnv(result, 'after');
    expect(after.LIFECYCLE_ONE).toBe('exported by one');
    expect(after.LIFECYCLE_MULTILINE).toBe('first line of one\nsecond line');
    expect(after.NOTE).toBe('line a\nline b');
    expect(after.PATH.split(':').slice(0, 2)).toEqual(['/opt/tools/bin', '/opt/lifecycle-one/bin']);
    expect(result.paths).toEqual(['/opt/lifecycle-one/bin', '/opt/tools/bin']);
    expect(result.env).toMatchObject({ LIFECYCLE_ONE: 'exported by one', NOTE: 'line a\nline b' });
  });

  it('gives saved state to the same action post step only', async () => {
    const result = await run({
      steps: [
        { id: 'one', uses: LIFECYCLE, with: { label: 'one' } },
        { id: 'probe', uses: ENV_PROBE },
        { id: 'two', uses: LIFECYCLE, with: { label: 'two' } }
      ]
    });
    expect(Object.keys(stepEnv(result, 'probe')).filter((name) => name.startsWith('STATE_'))).toEqual([]);
    const posts = result.steps.filter((step) => step.phase === 'post');
    expect(posts.map((step) => step.log.split('\n').pop())).toEqual([
      'post of two saw {"STATE_label":"two"}',
      'post of one saw {"STATE_label":"one"}'
    ]);
  });

  it('appends every step summary to the job summary', async () => {
    const result = await run({
      steps: [
        { uses: LIFECYCLE, with: { label: 'one' } },
        { run: 'echo "| a | b |" >> "$GITHUB_STEP_SUMMARY"' }
      ]
    });
    expect(result.summary).toBe('<h3>Summary from one</h3>\n| a | b |\n');
  });
});

describe('failures, conditions and post steps', () => {
  it('skips later steps after a failure, runs always()/failure() ones, and posts in reverse order', async () => {
    const result = await run({
      steps: [
        { id: 'one', uses: LIFECYCLE, with: { label: 'one' } },
        { id: 'two', uses: LIFECYCLE, with: { label: 'two', fail: 'true' } },
        { id: 'skipped', uses: LIFECYCLE, with: { label: 'three' } },
        { id: 'on-failure', if: 'failure()', run: 'echo "saw=${{ steps.two.outcome }}" >> "$GITHUB_OUTPUT"' },
        { id: 'always', if: '${{ always() }}', run: 'echo always' },
        { id: 'on-success', if: 'success()', run: 'echo never' }
      ]
    });
    const outcomes = result.steps.map((step) => `${step.phase}:${step.id}:${step.outcome}`);
    expect(outcomes).toEqual([
      'main:one:success',
      'main:two:failure',
      'main:skipped:skipped',
      'main:on-failure:success',
      'main:always:success',
      'main:on-success:skipped',
      'post:two:success',
      'post:one:success'
    ]);
    expect(result.steps[3].outputs.saw).toBe('failure');
    expect(result.log).toContain('##[error]two failed on purpose');
    expect(result.conclusion).toBe('failure');
    const order = await readFile(path.join(result.workspace, 'post-order.txt'), 'utf8');
    expect(order).toBe('two\none\n');
  });

  it('keeps the job going past a step with continue-on-error', async () => {
    const result = await run({
      steps: [
        { id: 'flaky', run: 'exit 7', 'continue-on-error': true },
        {
          id: 'next',
          run: 'echo "seen=${{ steps.flaky.outcome }}/${{ steps.flaky.conclusion }}" >> "$GITHUB_OUTPUT"'
        }
      ]
    });
    expect(result.steps[0]).toMatchObject({ outcome: 'failure', conclusion: 'success', exitCode: 7 });
    expect(result.steps[1].outputs.seen).toBe('failure/success');
    expect(result.conclusion).toBe('success');
  });

  it('kills the whole process tree of a step that times out', async () => {
    const started = Date.now();
    const result = await run({
      steps: [
        { run: 'sleep 60 & echo $! > "$RUNNER_TEMP/child.pid"; sleep 60', 'timeout-minutes': 0.02 },
        {
          // Checked from the next step, so it is the step timeout that killed the child, not the job's end.
          id: 'cleanup',
          if: 'always()',
          run: [
            'pid=$(cat "$RUNNER_TEMP/child.pid"); echo "pid=$pid" >> "$GITHUB_OUTPUT"',
            'for i in $(seq 10); do state=$(cut -d" " -f3 "/proc/$pid/stat" 2>/dev/null || echo gone)',
            '  case "$state" in gone|Z) break;; esac; sleep 0.05; done',
            'echo "state=$state" >> "$GITHUB_OUTPUT"'
          ].join('\n')
        }
      ]
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.steps[0].outcome).toBe('failure');
    expect(result.log).toContain('##[error]The step has timed out');
    expect(['gone', 'Z']).toContain(result.steps[1].outputs.state);
    const pid = Number(result.steps[1].outputs.pid);
    expect(pid).toBeGreaterThan(0);
    expect(await stillRunningAfter(pid, 2000)).toBe(false);
  });
});

describe('log and masking', () => {
  it('masks registered secrets in the log while rawOutput keeps what was printed', async () => {
    const result = await run({
      steps: [
        { uses: LIFECYCLE, with: { label: 'one', secret: 'hunter2-42' } },
        // The values are computed so the script text shown in the step header does not contain them.
        {
          run: 'n=$((6*7))\necho "::add-mask::line-one-$n%0Aline-two-$n"\necho "leak line-two-$n and hunter2-$((40+2))"'
        }
      ]
    });
    expect(result.log).toContain('the secret is ***');
    expect(result.log).toContain('leak *** and ***');
    expect(result.log).not.toContain('line-two-42');
    expect(result.rawOutput).toContain('the secret is hunter2-42');
    expect(result.rawOutput).toContain('leak line-two-42 and hunter2-42');
  });

  it('masks a secret printed to stderr right after its add-mask on stdout', async () => {
    const script = [
      'for (let i = 0; i < 300; i++) {',
      "  const secret = ['sec', i, process.pid].join('-');",
      "  console.log('::add-mask::' + secret);",
      "  console.error('leak ' + secret);",
      '}'
    ].join('\n');
    const result = await run({ steps: [{ run: `node -e "${script}"` }] });
    expect(result.rawOutput).toMatch(/leak sec-299-\d+/);
    expect(result.log.match(/^leak \*\*\*$/gm)).toHaveLength(300);
  });

  it('renders groups, keeps annotations with properties and drops debug lines unless step debug is on', async () => {
    const script = [
      'echo "::group::Compile"',
      'echo "::debug::noisy $((1+1)) detail"',
      'echo "::error file=src/a.ts,line=4::Broken%0Athing"',
      'echo "::endgroup::"'
    ].join('\n');
    const quiet = await run({ steps: [{ run: script }] });
    expect(quiet.log).toContain('##[group]Compile\n##[error]Broken\nthing\n##[endgroup]');
    expect(quiet.log).not.toContain('noisy 2 detail');
    expect(quiet.annotations).toEqual([
      {
        level: 'error',
        message: 'Broken\nthing',
        properties: { file: 'src/a.ts', line: '4' },
        step: expect.any(String)
      }
    ]);
    const verbose = await run({ env: { ACTIONS_STEP_DEBUG: 'true' }, steps: [{ run: script }] });
    expect(verbose.log).toContain('##[debug]noisy 2 detail');
  });

  it('warns on the deprecated set-output and fails the step on the disabled set-env', async () => {
    const result = await run({
      steps: [
        { id: 'old', run: 'echo "::set-output name=legacy::value"' },
        { id: 'bad', run: 'echo "::set-env name=X::y"' }
      ]
    });
    expect(result.steps[0]).toMatchObject({ outcome: 'success', outputs: { legacy: 'value' } });
    expect(result.log).toContain('##[warning]The `set-output` command is deprecated');
    expect(result.steps[1].outcome).toBe('failure');
    expect(result.log).toContain('The `set-env` command is disabled');
  });
});

describe('job environment', () => {
  it('keeps the developer AWS_* and NPM_CONFIG_* variables out and lets the job env in', async () => {
    const saved = { key: process.env.AWS_ACCESS_KEY_ID, npm: process.env.NPM_CONFIG_REGISTRY };
    process.env.AWS_ACCESS_KEY_ID = 'AKIADEVELOPERKEY';
    process.env.NPM_CONFIG_REGISTRY = 'https://developer.example/';
    try {
      const result = await run({
        env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:1234' },
        steps: [{ id: 'probe', uses: ENV_PROBE }]
      });
      const env = stepEnv(result, 'probe');
      expect(env.AWS_ACCESS_KEY_ID).toBeUndefined();
      expect(env.NPM_CONFIG_REGISTRY).toBeUndefined();
      expect(env.AWS_ENDPOINT_URL).toBe('http://127.0.0.1:1234');
      expect(env.PATH).toContain('/usr/bin');
    } finally {
      if (saved.key === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved.key;
      if (saved.npm === undefined) delete process.env.NPM_CONFIG_REGISTRY;
      else process.env.NPM_CONFIG_REGISTRY = saved.npm;
    }
  });

  it('sets the GitHub runner variables, a sandboxed HOME and the event file', async () => {
    const result = await run({
      github: { repository: 'acme/widgets', ref: 'refs/tags/v1.2.3' },
      steps: [{ id: 'probe', uses: ENV_PROBE }]
    });
    const env = stepEnv(result, 'probe');
    expect(env).toMatchObject({
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      GITHUB_REPOSITORY: 'acme/widgets',
      GITHUB_REPOSITORY_OWNER: 'acme',
      GITHUB_REF: 'refs/tags/v1.2.3',
      GITHUB_REF_NAME: 'v1.2.3',
      GITHUB_REF_TYPE: 'tag',
      GITHUB_ACTION: 'probe',
      GITHUB_ACTION_PATH: path.resolve(ENV_PROBE),
      GITHUB_WORKSPACE: result.workspace,
      HOME: result.home,
      RUNNER_TEMP: result.runnerTemp,
      RUNNER_OS: 'Linux'
    });
    expect(result.steps[0].outputs.cwd).toBe(result.workspace);
    expect(env.HOME).not.toBe(process.env.HOME);
    const event = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')) as { ref: string };
    expect(event.ref).toBe('refs/tags/v1.2.3');
  });

  it('sets the ID token request variables only with id-token: write, and masks the request token', async () => {
    const oidc = { requestUrl: 'http://127.0.0.1:9/token?x=1', requestToken: 'request-token-123' };
    const without = await runAction(ENV_PROBE, {}, { oidc });
    finished.push(without);
    expect(stepEnv(without, 'action').ACTIONS_ID_TOKEN_REQUEST_URL).toBeUndefined();
    expect(stepEnv(without, 'action').ACTIONS_ID_TOKEN_REQUEST_TOKEN).toBeUndefined();
    const granted = await run({
      oidc,
      permissions: { 'id-token': 'write' },
      steps: [{ id: 'probe', uses: ENV_PROBE }, { run: 'echo "token is $ACTIONS_ID_TOKEN_REQUEST_TOKEN"' }]
    });
    expect(stepEnv(granted, 'probe')).toMatchObject({
      ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken
    });
    expect(granted.log).toContain('token is ***');
  });

  it('records every command line it started, without secret inputs in them', async () => {
    const result = await run({
      steps: [{ uses: LIFECYCLE, with: { label: 'one', secret: 'argv-secret-value' } }, { run: 'true' }]
    });
    expect(result.argv).toHaveLength(3);
    expect(result.argv[0]).toEqual([process.execPath, path.resolve(LIFECYCLE, 'main.mjs')]);
    expect(result.argv[1].slice(0, 5)).toEqual(['bash', '--noprofile', '--norc', '-eo', 'pipefail']);
    expect(result.argv[2]).toEqual([process.execPath, path.resolve(LIFECYCLE, 'post.mjs')]);
    expect(result.argv.flat().join(' ')).not.toContain('argv-secret-value');
  });
});

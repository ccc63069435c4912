/** publish-generic and download-generic, bundled, through the local runner against the local CodeArtifact. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningEmulator } from '@codeartifact-actions/emulator';
import { listFilesUnder } from '@codeartifact-actions/publish';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import {
  DOMAIN,
  REPOSITORY,
  cleanupJobs,
  errors,
  mainStep,
  makeWorkspace,
  runGenericJob,
  sha256Of,
  startGenericEmulator
} from './generic-helpers.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startGenericEmulator();
});
afterAll(async () => {
  await emulator?.close();
});
afterEach(async () => {
  emulator.clearFaults();
  await cleanupJobs();
});

const PUBLISH = 'actions/publish-generic';
const DOWNLOAD = 'actions/download-generic';
const MISSION = {
  'secret-mission/secret-mission.txt': 'Meet at the harbour at midnight.\n',
  'secret-mission/maps/harbour.txt': 'pier 7\n',
  'secret-mission/bin/decode.sh': '#!/bin/sh\necho decoded\n'
};

async function storedAssets(pkg: string, version: string, namespace = 'secret-mission') {
  const store = emulator.repository(DOMAIN, REPOSITORY)!;
  return store.getVersion({ format: 'generic', namespace, package: pkg }, version);
}

describe('story 1: the secret-mission round trip', () => {
  it('publishes a directory as a reproducible tar.gz on tag v1.2.3 and downloads it back identical', async () => {
    const ws = makeWorkspace(MISSION);
    const result = await runGenericJob(
      emulator,
      [
        {
          id: 'publish',
          uses: PUBLISH,
          with: { namespace: 'secret-mission', package: 'secret-mission', path: 'secret-mission/' }
        },
        {
          id: 'download',
          uses: DOWNLOAD,
          with: {
            namespace: 'secret-mission',
            package: 'secret-mission',
            version: 'latest',
            path: 'back',
            extract: true
          }
        }
      ],
      { workspace: ws, ref: 'refs/tags/v1.2.3' }
    );
    expect(errors(result)).toBe('');
    expect(result.conclusion).toBe('success');
    const publish = mainStep(result, 'publish').outputs;
    expect(publish.version).toBe('1.2.3');
    expect(publish.status).toBe('Published');
    const assets = JSON.parse(publish.assets) as Array<{ name: string; size: number; sha256: string }>;
    expect(assets.map((a) => a.name)).toEqual(['secret-mission-1.2.3.tar.gz']);
    const stored = await storedAssets('secret-mission', '1.2.3');
    expect(stored?.status).toBe('Published');
    expect(stored?.assets[0]?.hashes['SHA-256']).toBe(assets[0]!.sha256);
    expect(result.summary).toContain('secret-mission-1.2.3.tar.gz');

    const download = mainStep(result, 'download').outputs;
    expect(download.version).toBe('1.2.3');
    const back = join(ws, 'back');
    expect(download.path).toBe(back);
    expect(await listFilesUnder(join(back, 'secret-mission'))).toEqual([
      'bin/decode.sh',
      'maps/harbour.txt',
      'secret-mission.txt'
    ]);
    for (const path of Object.keys(MISSION)) {
      expect(readFileSync(join(back, path), 'utf8')).toBe(readFileSync(join(ws, path), 'utf8'));
    }
    expect(JSON.parse(download.files)).toContain(join(back, 'secret-mission', 'secret-mission.txt'));

    // The same job again: a success that says so, and nothing uploaded.
    emulator.clearRequestLog();
    const again = await runGenericJob(
      emulator,
      [
        {
          id: 'publish',
          uses: PUBLISH,
          with: { namespace: 'secret-mission', package: 'secret-mission', path: 'secret-mission/' }
        }
      ],
      {
        workspace: makeWorkspace(MISSION),
        ref: 'refs/tags/v1.2.3'
      }
    );
    expect(again.conclusion).toBe('success');
    expect(again.log).toContain('already published, identical');
    expect(emulator.requestLog().filter((r) => r.operation === 'PublishPackageVersion')).toEqual([]);

    // One changed file: a failure, and the published version is unchanged.
    const changed = makeWorkspace({ ...MISSION, 'secret-mission/secret-mission.txt': 'Meet at dawn.\n' });
    const conflict = await runGenericJob(
      emulator,
      [
        {
          id: 'publish',
          uses: PUBLISH,
          with: { namespace: 'secret-mission', package: 'secret-mission', path: 'secret-mission/' }
        }
      ],
      {
        workspace: changed,
        ref: 'refs/tags/v1.2.3'
      }
    );
    expect(conflict.conclusion).toBe('failure');
    expect(errors(conflict)).toMatch(/already published with other content; nothing was changed/);
    const after = await storedAssets('secret-mission', '1.2.3');
    expect(after?.assets).toEqual(stored?.assets);
    expect(after?.revision).toBe(stored?.revision);
  });
});

describe('OIDC', () => {
  it('publishes and downloads with role-to-assume and GitHub OIDC, without any AWS keys in the job', async () => {
    const role = emulator.info.roles[0]!;
    emulator.clearRequestLog();
    const ws = makeWorkspace({ 'notes/readme.txt': 'hello' });
    const result = await runGenericJob(
      emulator,
      [
        {
          id: 'publish',
          uses: PUBLISH,
          with: { 'role-to-assume': role, namespace: 'oidc', package: 'notes', path: 'notes' }
        },
        {
          id: 'download',
          uses: DOWNLOAD,
          with: {
            'role-to-assume': role,
            namespace: 'oidc',
            package: 'notes',
            version: '0.3.0',
            path: 'out',
            extract: true
          }
        }
      ],
      { workspace: ws, ref: 'refs/tags/v0.3.0', oidc: true }
    );
    expect(errors(result)).toBe('');
    expect(readFileSync(join(ws, 'out', 'notes', 'readme.txt'), 'utf8')).toBe('hello');
    // The asset went up as the assumed role, not as the account root.
    const uploads = emulator.requestLog().filter((r) => r.operation === 'PublishPackageVersion');
    expect(uploads.length).toBeGreaterThan(0);
    for (const upload of uploads) expect(upload.principal).toMatch(/:assumed-role\//);
  });
});

describe('archive: none', () => {
  it('publishes each file as its own asset and downloads the ones a glob names, verified', async () => {
    const ws = makeWorkspace({
      'out/tool-linux': 'linux binary',
      'out/tool-darwin': 'darwin binary',
      'out/checksums.txt': 'sums'
    });
    const result = await runGenericJob(
      emulator,
      [
        {
          id: 'publish',
          uses: PUBLISH,
          with: { namespace: 'tools', package: 'tool', version: '2.0.0', archive: 'none', path: 'out/*' }
        },
        {
          id: 'download',
          uses: DOWNLOAD,
          with: { namespace: 'tools', package: 'tool', version: '2.0.0', assets: 'tool-*', path: 'dl' }
        }
      ],
      { workspace: ws }
    );
    expect(errors(result)).toBe('');
    const assets = JSON.parse(mainStep(result, 'publish').outputs.assets) as Array<{
      name: string;
      sha256: string;
    }>;
    expect(assets.map((a) => a.name)).toEqual(['checksums.txt', 'tool-darwin', 'tool-linux']);
    for (const a of assets) expect(a.sha256).toBe(sha256Of(join(ws, 'out', a.name)));
    expect((await storedAssets('tool', '2.0.0', 'tools'))?.status).toBe('Published');
    expect(JSON.parse(mainStep(result, 'download').outputs.files)).toEqual([
      join(ws, 'dl', 'tool-darwin'),
      join(ws, 'dl', 'tool-linux')
    ]);
    expect(readFileSync(join(ws, 'dl', 'tool-linux'), 'utf8')).toBe('linux binary');
  });
});

describe('matrix fan-in', () => {
  it('three concurrent legs publish with unfinished, then finalize publishes the version with every asset', async () => {
    const legs = ['linux', 'darwin', 'windows'].map((os) =>
      runGenericJob(
        emulator,
        [
          {
            id: 'leg',
            uses: PUBLISH,
            with: {
              namespace: 'tools',
              package: 'fan',
              version: '3.0.0',
              archive: 'none',
              path: `fan-${os}`,
              unfinished: true
            }
          }
        ],
        { workspace: makeWorkspace({ [`fan-${os}`]: `build for ${os}` }) }
      )
    );
    const results = await Promise.all(legs);
    for (const leg of results) {
      expect(errors(leg)).toBe('');
      expect(mainStep(leg, 'leg').outputs.status).toBe('Unfinished');
    }
    expect((await storedAssets('fan', '3.0.0', 'tools'))?.status).toBe('Unfinished');
    const final = await runGenericJob(emulator, [
      {
        id: 'final',
        uses: PUBLISH,
        with: { namespace: 'tools', package: 'fan', version: '3.0.0', finalize: true }
      }
    ]);
    expect(errors(final)).toBe('');
    const outputs = mainStep(final, 'final').outputs;
    expect(outputs.status).toBe('Published');
    expect((JSON.parse(outputs.assets) as Array<{ name: string }>).map((a) => a.name)).toEqual([
      'fan-darwin',
      'fan-linux',
      'fan-windows'
    ]);
  });
});

describe('faults', () => {
  const big = randomBytes(3 * 1024 * 1024);

  async function publishBig(pkg: string) {
    emulator.clearRequestLog();
    const ws = makeWorkspace({ 'big.bin': big, 'small.txt': 'small' });
    const step = {
      id: 'publish',
      uses: PUBLISH,
      with: {
        namespace: 'faults',
        package: pkg,
        version: '1.0.0',
        archive: 'none',
        path: 'big.bin\nsmall.txt'
      }
    };
    return runGenericJob(emulator, [step], { workspace: ws });
  }

  async function expectComplete(pkg: string) {
    const stored = await storedAssets(pkg, '1.0.0', 'faults');
    expect(stored?.status).toBe('Published');
    expect(Object.fromEntries(stored!.assets.map((a) => [a.name, a.hashes['SHA-256']]))).toEqual({
      'big.bin': createHash('sha256').update(big).digest('hex'),
      'small.txt': createHash('sha256').update('small').digest('hex')
    });
  }

  /** Either the run succeeded with a correct version, or it failed clearly and a second run completes it. */
  async function expectRecovers(pkg: string, first: Awaited<ReturnType<typeof publishBig>>) {
    // The fault was really served.
    expect(emulator.requestLog().some((r) => r.fault !== undefined)).toBe(true);
    if (first.conclusion === 'failure') {
      expect(errors(first)).not.toBe('');
      emulator.clearFaults();
      const second = await publishBig(pkg);
      expect(errors(second)).toBe('');
    }
    await expectComplete(pkg);
  }

  it('an upload cut after half its bytes is retried from the start of that asset', async () => {
    emulator.injectFault({ operation: 'PublishPackageVersion', cutAfterBytes: big.length / 2 });
    const first = await publishBig('cut');
    expect(first.conclusion).toBe('success');
    expect(first.log).toMatch(/big\.bin: attempt 1 failed .*retrying from the start/);
    await expectRecovers('cut', first);
  });

  it('throttling on PublishPackageVersion is waited out', async () => {
    emulator.injectFault({ operation: 'PublishPackageVersion', status: 429, retryAfterSeconds: 0, count: 2 });
    const first = await publishBig('throttled');
    expect(first.conclusion).toBe('success');
    await expectRecovers('throttled', first);
  });

  it('a 503 on ListPackageVersionAssets is retried', async () => {
    emulator.injectFault({ operation: 'ListPackageVersionAssets', status: 503, count: 1 });
    const first = await publishBig('unavailable');
    await expectRecovers('unavailable', first);
  });

  it('a failure that outlasts the retries fails clearly, leaves no Published version, and a second run completes it', async () => {
    emulator.injectFault({ operation: 'PublishPackageVersion', status: 500, count: 20 });
    const first = await publishBig('outage');
    expect(first.conclusion).toBe('failure');
    expect(errors(first)).toMatch(/PublishPackageVersion/);
    expect((await storedAssets('outage', '1.0.0', 'faults'))?.status).not.toBe('Published');
    await expectRecovers('outage', first);
  });
});

describe('AWS errors', () => {
  it('a repository that does not exist fails with the AWS error translated, naming the repository', async () => {
    const ws = makeWorkspace({ 'file.txt': 'x' });
    const result = await runGenericJob(
      emulator,
      [
        {
          uses: PUBLISH,
          with: {
            repository: 'no-such-repo',
            namespace: 'e',
            package: 'p',
            version: '1.0.0',
            path: 'file.txt'
          }
        }
      ],
      { workspace: ws }
    );
    expect(result.conclusion).toBe('failure');
    expect(errors(result)).toMatch(/no-such-repo/);
    expect(errors(result)).toMatch(/ResourceNotFoundException/);
  });
});

describe('bad inputs', () => {
  const good = { namespace: 'bad', package: 'pkg', version: '1.0.0', path: 'file.txt' };
  const cases: Array<[string, Record<string, string>, RegExp, string?]> = [
    ['namespace with a slash', { namespace: 'a/b' }, /Input "namespace"/],
    ['version with a space', { version: '1 0' }, /Input "version"/],
    ['no version on a branch', { version: '' }, /Input "version" is required/],
    ['asset name with a run of spaces', { 'asset-name': 'a  b.tar.gz' }, /Input "asset-name"/],
    ['no files', { path: '' }, /Input "path" is required/],
    ['a path escaping the workspace', { path: '../../etc/passwd' }, /Input "path".*outside the workspace/],
    ['a glob matching nothing', { path: '*.nothing' }, /Input "path".*matches no files/],
    ['an unknown archive kind', { archive: 'zip' }, /Input "archive" must be one of/],
    ['a compression level out of range', { 'compression-level': '11' }, /Input "compression-level"/],
    ['an unknown if-exists', { 'if-exists': 'overwrite' }, /Input "if-exists"/],
    [
      'unfinished and finalize together',
      { unfinished: 'true', finalize: 'true' },
      /"unfinished" and "finalize"/
    ],
    ['a bad repository name', { repository: '-x' }, /Input "repository"/],
    ['a bad domain', { domain: 'Bad_Domain' }, /Input "domain"/],
    ['a symbolic link out of the workspace', { path: 'link.txt' }, /outside the workspace/, 'link']
  ];

  // Every row gets all four values: jest reads a longer parameter list as a done callback.
  const rows = cases.map(
    ([label, inputs, message, special]) => [label, inputs, message, special ?? ''] as const
  );
  it.each(rows)(
    '%s fails before any network call, naming the input',
    async (_label, inputs, message, special) => {
      const ws = makeWorkspace({ 'file.txt': 'x' });
      if (special === 'link') symlinkSync('/etc/hostname', join(ws, 'link.txt'));
      emulator.clearRequestLog();
      const result = await runGenericJob(
        emulator,
        [{ id: 'publish', uses: PUBLISH, with: { ...good, ...inputs } }],
        { workspace: ws }
      );
      expect(result.conclusion).toBe('failure');
      expect(errors(result)).toMatch(message);
      expect(emulator.requestLog()).toEqual([]);
    }
  );

  it('download-generic refuses a bad version or namespace before any network call', async () => {
    emulator.clearRequestLog();
    const result = await runGenericJob(emulator, [
      { uses: DOWNLOAD, with: { namespace: 'ns', package: 'p', version: 'a b' } }
    ]);
    expect(errors(result)).toMatch(/Input "version"/);
    expect(emulator.requestLog()).toEqual([]);
  });
});

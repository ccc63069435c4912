/** The shipped example callers (examples/), run as written through the local runner against the emulator. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { parseConfig, startEmulator, type RunningEmulator } from '@codeartifact-actions/emulator';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DOMAIN, cleanupRuns, failures, makeProject, run } from './fixtures/workflows/harness.js';

const MIRROR = 'examples/mirror-tool.yml';
const MANUAL = 'examples/manual-publish.yml';
const TARBALL = Buffer.from('not really a tarball, but bytes to mirror\n');

let emulator: RunningEmulator;
let releases: Server;
let releasesUrl: string;
/** Served files by path; a test may corrupt one. */
let served: Record<string, Buffer>;

function releaseFiles(version: string, tarball = TARBALL): Record<string, Buffer> {
  const name = `trivy_${version}_Linux-64bit.tar.gz`;
  const sum = createHash('sha256').update(TARBALL).digest('hex');
  return {
    [`/v${version}/${name}`]: tarball,
    [`/v${version}/trivy_${version}_checksums.txt`]: Buffer.from(
      `${sum}  ${name}\n${'0'.repeat(64)}  other.zip\n`
    )
  };
}

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
      domains: [
        {
          name: DOMAIN,
          repositories: [{ name: 'tools' }, { name: 'generic-staging' }, { name: 'python-store' }]
        }
      ]
    },
    'workflow-examples'
  );
  emulator = await startEmulator({ config });
  served = {};
  releases = createServer((request, response) => {
    const body = served[request.url ?? ''];
    response.writeHead(body ? 200 : 404).end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => releases.listen(0, '127.0.0.1', resolve));
  releasesUrl = `http://127.0.0.1:${(releases.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await emulator?.close();
  await new Promise((resolve) => releases?.close(resolve));
});
afterEach(cleanupRuns);

function machine() {
  return {
    env: { AWS_ENDPOINT_URL: emulator.info.endpoint },
    oidc: emulator.info.oidc,
    vars: {
      CODEARTIFACT_ROLE_ARN: emulator.info.roles[0]!,
      AWS_REGION: emulator.info.region,
      CODEARTIFACT_DOMAIN: DOMAIN,
      TOOL_RELEASES_URL: releasesUrl
    }
  };
}

async function mirroredAssets(version: string) {
  const store = emulator.repository(DOMAIN, 'tools')!;
  const stored = await store.getVersion({ format: 'generic', namespace: 'tools', package: 'trivy' }, version);
  return stored?.assets.map((asset: { name: string }) => asset.name).sort();
}

describe('examples/mirror-tool.yml (daily updater)', () => {
  it('mirrors a release once, then finds it already there', async () => {
    served = releaseFiles('0.58.1');
    const first = await run(MIRROR, {
      ...machine(),
      event: 'workflow_dispatch',
      inputs: { version: 'v0.58.1' }
    });
    expect(failures(first)).toBe('');
    expect(await mirroredAssets('0.58.1')).toEqual(['checksums.txt', 'trivy_0.58.1_Linux-64bit.tar.gz']);
    emulator.clearRequestLog();
    const again = await run(MIRROR, {
      ...machine(),
      event: 'workflow_dispatch',
      inputs: { version: '0.58.1' }
    });
    expect(failures(again)).toBe('');
    expect(again.jobs.mirror.log).toContain('trivy 0.58.1 is already mirrored (Published).');
    expect(emulator.requestLog().filter((entry) => entry.operation === 'PublishPackageVersion')).toEqual([]);
  });

  it('fails loudly and publishes nothing when the tarball does not match its checksum', async () => {
    served = releaseFiles('0.59.0', Buffer.from('tampered\n'));
    const result = await run(MIRROR, {
      ...machine(),
      event: 'workflow_dispatch',
      inputs: { version: '0.59.0' }
    });
    expect(result.conclusion).toBe('failure');
    expect(result.jobs.mirror.log).toContain('FAILED');
    expect(await mirroredAssets('0.59.0')).toBeUndefined();
  });
});

describe('examples/manual-publish.yml', () => {
  it('publishes the typed version into the chosen repository', async () => {
    const project = makeProject({ 'bundle/app.txt': 'app\n' });
    const result = await run(MANUAL, {
      ...machine(),
      event: 'workflow_dispatch',
      inputs: { version: '1.2.3' },
      job: 'bundle',
      checkout: project
    });
    expect(failures(result)).toBe('');
    expect(result.jobOutputs.bundle).toMatchObject({ version: '1.2.3', status: 'Published' });
    const store = emulator.repository(DOMAIN, 'generic-staging')!;
    expect(
      await store.getVersion({ format: 'generic', namespace: 'bundles', package: 'app-bundle' }, '1.2.3')
    ).toBeDefined();
  });
});

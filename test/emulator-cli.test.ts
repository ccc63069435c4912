/** The AWS CLI does a generic round trip against the local CodeArtifact with --endpoint-url. */
import { execFile, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type RunningEmulator } from '@codeartifact-actions/emulator';

const run = promisify(execFile);
const hasAwsCli = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasAwsCli) console.warn('emulator-cli: the AWS CLI (aws) is not on PATH; skipping its round trip');
const describeWithCli = hasAwsCli ? describe : describe.skip;

let emulator: RunningEmulator;
let workDir: string;

/** Runs `aws codeartifact ...` against the emulator with its static keys and no user config. */
async function aws(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const env = {
    PATH: process.env.PATH,
    HOME: workDir,
    AWS_ACCESS_KEY_ID: emulator.info.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: emulator.info.credentials.secretAccessKey,
    AWS_DEFAULT_REGION: emulator.info.region,
    AWS_CONFIG_FILE: join(workDir, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'none'),
    AWS_PAGER: ''
  };
  try {
    const { stdout, stderr } = await run(
      'aws',
      ['codeartifact', ...args, '--endpoint-url', emulator.info.endpoint, '--output', 'json'],
      { env }
    );
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

beforeAll(async () => {
  emulator = await startEmulator();
  workDir = await mkdtemp(join(tmpdir(), 'emulator-cli-'));
});

afterAll(async () => {
  await emulator?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describeWithCli('the AWS CLI against the emulator', () => {
  const bytes = randomBytes(300_000);
  const coordinates = [
    '--domain',
    'cli',
    '--repository',
    'builds',
    '--format',
    'generic',
    '--namespace',
    'team',
    '--package',
    'app'
  ];

  it('creates a domain and a repository', async () => {
    expect((await aws('create-domain', '--domain', 'cli')).code).toBe(0);
    const created = await aws('create-repository', '--domain', 'cli', '--repository', 'builds');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout).repository.name).toBe('builds');
  });

  it('publishes, lists and downloads a generic asset byte for byte', async () => {
    const assetPath = join(workDir, 'app.bin');
    await writeFile(assetPath, bytes);
    const hex = (algorithm: string) => createHash(algorithm).update(bytes).digest('hex');
    const published = await aws(
      'publish-package-version',
      ...coordinates,
      '--package-version',
      '2.1.0',
      '--asset-content',
      assetPath,
      '--asset-name',
      'app.bin',
      '--asset-sha256',
      hex('sha256')
    );
    expect(published.stderr).toBe('');
    expect(JSON.parse(published.stdout)).toMatchObject({
      status: 'Published',
      asset: { name: 'app.bin', size: bytes.length }
    });

    const listed = JSON.parse(
      (await aws('list-package-version-assets', ...coordinates, '--package-version', '2.1.0')).stdout
    );
    expect(listed.assets).toEqual([
      {
        name: 'app.bin',
        size: bytes.length,
        hashes: { MD5: hex('md5'), 'SHA-1': hex('sha1'), 'SHA-256': hex('sha256'), 'SHA-512': hex('sha512') }
      }
    ]);

    const outfile = join(workDir, 'downloaded.bin');
    const got = await aws(
      'get-package-version-asset',
      ...coordinates,
      '--package-version',
      '2.1.0',
      '--asset',
      'app.bin',
      outfile
    );
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({ assetName: 'app.bin', packageVersion: '2.1.0' });
    expect((await readFile(outfile)).equals(bytes)).toBe(true);

    const described = JSON.parse(
      (await aws('describe-package-version', ...coordinates, '--package-version', '2.1.0')).stdout
    );
    expect(described.packageVersion).toMatchObject({
      packageName: 'app',
      version: '2.1.0',
      status: 'Published'
    });
  });

  it('fails as AWS does, naming the error and the operation, with exit code 255', async () => {
    const missing = await aws('describe-repository', '--domain', 'cli', '--repository', 'nowhere');
    expect(missing.code).toBe(255);
    expect(missing.stderr).toContain(
      'An error occurred (ResourceNotFoundException) when calling the DescribeRepository operation'
    );
    expect(missing.stderr).toContain('nowhere');
  });
});

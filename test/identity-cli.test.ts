/**
 * The identity side against the AWS CLI v1 (botocore), which signs query strings and bodies its own
 * way: STS web identity and caller identity, and CodeArtifact GET/POST calls. Skipped without `aws`.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startIdentityHarness, type IdentityHarness } from './identity-harness.js';

const run = promisify(execFile);
const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/ci`;

async function hasAwsCli(): Promise<boolean> {
  try {
    await run('aws', ['--version']);
    return true;
  } catch {
    return false;
  }
}
const cliPresent = await hasAwsCli();
if (!cliPresent) console.log('identity-cli tests skipped: the AWS CLI (`aws`) is not on PATH');
const describeWithCli = cliPresent ? describe : describe.skip;

let harness: IdentityHarness;
let home: string;
beforeAll(async () => {
  harness = await startIdentityHarness({
    accountId: ACCOUNT,
    roles: [
      {
        name: 'ci',
        trust: { subjects: ['repo:octo-org/*'] },
        actions: ['codeartifact:*', 'sts:GetServiceBearerToken']
      }
    ]
  });
  home = mkdtempSync(join(tmpdir(), 'identity-cli-'));
});
afterAll(async () => {
  await harness.close();
  rmSync(home, { recursive: true, force: true });
});

type Keys = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** Runs `aws <args> --endpoint-url <harness>` with only `keys` for credentials; resolves stdout, exit code and stderr. */
async function aws(
  args: string[],
  keys?: Keys,
  extraEnv: NodeJS.ProcessEnv = {}
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '1',
    PYENV_VERSION: process.env.PYENV_VERSION,
    PYENV_ROOT: process.env.PYENV_ROOT,
    ...extraEnv
  };
  if (keys) {
    env.AWS_ACCESS_KEY_ID = keys.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = keys.secretAccessKey;
    if (keys.sessionToken) env.AWS_SESSION_TOKEN = keys.sessionToken;
  }
  try {
    const { stdout, stderr } = await run(
      'aws',
      [...args, '--endpoint-url', harness.url, '--output', 'json'],
      { env }
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const root = () => harness.identity.readyInfo().credentials;

describeWithCli('AWS CLI against the identity side', () => {
  it('assumes a role with a web identity token and shows the session in get-caller-identity', async () => {
    const token = await harness.identity.issueOidcToken({
      aud: 'sts.amazonaws.com',
      repository: 'octo-org/app'
    });
    const assumed = await aws(
      [
        'sts',
        'assume-role-with-web-identity',
        '--role-arn',
        ROLE,
        '--role-session-name',
        'cli-run',
        '--web-identity-token',
        token
      ],
      undefined
    );
    expect(assumed.stderr).toBe('');
    const out = JSON.parse(assumed.stdout) as {
      Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
      AssumedRoleUser: { Arn: string };
    };
    expect(out.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/ci/cli-run`);
    const session = {
      accessKeyId: out.Credentials.AccessKeyId,
      secretAccessKey: out.Credentials.SecretAccessKey,
      sessionToken: out.Credentials.SessionToken
    };
    const caller = await aws(['sts', 'get-caller-identity'], session);
    expect(JSON.parse(caller.stdout)).toMatchObject({ Arn: out.AssumedRoleUser.Arn, Account: ACCOUNT });
  });

  it('takes credentials from AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE through AWS_ENDPOINT_URL_STS', async () => {
    const tokenFile = join(home, 'web-identity-token');
    writeFileSync(
      tokenFile,
      await harness.identity.issueOidcToken({ aud: 'sts.amazonaws.com', repository: 'octo-org/app' })
    );
    const caller = await aws(['sts', 'get-caller-identity'], undefined, {
      AWS_ROLE_ARN: ROLE,
      AWS_ROLE_SESSION_NAME: 'from-file',
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      AWS_ENDPOINT_URL_STS: harness.url
    });
    expect(caller.stderr).toBe('');
    expect(JSON.parse(caller.stdout)).toMatchObject({
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ci/from-file`
    });
  });

  it('prints AccessDenied for a repository the role does not trust', async () => {
    const token = await harness.identity.issueOidcToken({
      aud: 'sts.amazonaws.com',
      repository: 'evil-org/app'
    });
    const refused = await aws([
      'sts',
      'assume-role-with-web-identity',
      '--role-arn',
      ROLE,
      '--role-session-name',
      'cli-run',
      '--web-identity-token',
      token
    ]);
    expect(refused.code).toBe(255);
    expect(refused.stderr).toContain(
      '(AccessDenied) when calling the AssumeRoleWithWebIdentity operation: Not authorized'
    );
  });

  it('knows the root by its static keys and refuses a wrong secret', async () => {
    const caller = await aws(['sts', 'get-caller-identity'], root());
    expect(JSON.parse(caller.stdout)).toMatchObject({ Arn: `arn:aws:iam::${ACCOUNT}:root` });
    const wrong = await aws(['sts', 'get-caller-identity'], { ...root(), secretAccessKey: 'y'.repeat(40) });
    expect(wrong.stderr).toContain('(SignatureDoesNotMatch)');
    const wrongCa = await aws(['codeartifact', 'get-authorization-token', '--domain', 'my-domain'], {
      ...root(),
      secretAccessKey: 'y'.repeat(40)
    });
    expect(wrongCa.stderr).toContain('(InvalidSignatureException)');
  });

  it('signs CodeArtifact POST and GET query strings the way the emulator verifies them', async () => {
    const session = harness.identity.assumeRole(ROLE);
    const token = await aws(
      [
        'codeartifact',
        'get-authorization-token',
        '--domain',
        'my-domain',
        '--domain-owner',
        ACCOUNT,
        '--duration-seconds',
        '900'
      ],
      session
    );
    const { authorizationToken } = JSON.parse(token.stdout) as { authorizationToken: string };
    expect(harness.identity.principalForToken(authorizationToken, 'my-domain', ACCOUNT)?.arn).toBe(
      `arn:aws:sts::${ACCOUNT}:assumed-role/ci/emulator-session`
    );
    const described = await aws(
      [
        'codeartifact',
        'describe-package-version',
        '--domain',
        'my-domain',
        '--repository',
        'my-repo',
        '--format',
        'generic',
        '--namespace',
        'my.ns',
        '--package',
        "pkg+x~y!'()*",
        '--package-version',
        '1.0.0+build é:1'
      ],
      session
    );
    expect(described.stderr).toBe('');
    expect(JSON.parse(described.stdout)).toMatchObject({
      packageVersion: { packageName: "pkg+x~y!'()*", version: '1.0.0+build é:1' }
    });
  });

  it('signs a publish with the asset hash and a JSON body with its own hash', async () => {
    const file = join(home, 'asset.bin');
    const content = Buffer.from('generic asset bytes\n');
    writeFileSync(file, content);
    const sha256 = createHash('sha256').update(content).digest('hex');
    const common = [
      '--domain',
      'my-domain',
      '--repository',
      'my-repo',
      '--format',
      'generic',
      '--namespace',
      'tools',
      '--package',
      'hello'
    ];
    const published = await aws(
      [
        'codeartifact',
        'publish-package-version',
        ...common,
        '--package-version',
        '1.0.0',
        '--asset-name',
        'hello 1.0.0.bin',
        '--asset-content',
        file,
        '--asset-sha256',
        sha256
      ],
      root()
    );
    expect(published.stderr).toBe('');
    expect(JSON.parse(published.stdout)).toMatchObject({
      asset: { name: 'hello 1.0.0.bin', hashes: { 'SHA-256': sha256 } }
    });
    const updated = await aws(
      [
        'codeartifact',
        'update-package-versions-status',
        ...common,
        '--versions',
        '1.0.0',
        '--target-status',
        'Archived'
      ],
      root()
    );
    expect(updated.stderr).toBe('');
    expect(JSON.parse(updated.stdout)).toMatchObject({
      successfulVersions: { '1.0.0': { status: 'Archived' } }
    });
  });
});

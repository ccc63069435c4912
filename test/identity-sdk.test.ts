/**
 * The identity side against the real AWS SDK v3, jose and @actions/core: OIDC discovery and token
 * requests, AssumeRoleWithWebIdentity and its refusals, SigV4 on STS and CodeArtifact calls.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  CodeartifactClient,
  DescribePackageVersionCommand,
  GetAuthorizationTokenCommand,
  PublishPackageVersionCommand,
  UpdatePackageVersionsStatusCommand
} from '@aws-sdk/client-codeartifact';
import { SignJWT, createRemoteJWKSet, decodeJwt, generateKeyPair, jwtVerify } from 'jose';
import { startIdentityHarness, type IdentityHarness } from './identity-harness.js';

const ACCOUNT = '123456789012';
const CONFIG = {
  accountId: ACCOUNT,
  oidc: { claims: { repository: 'octo-org/app', ref: 'refs/tags/v2.0.0' } },
  roles: [
    {
      name: 'publisher',
      trust: { subjects: ['repo:octo-org/app:ref:refs/tags/v*'] },
      actions: ['codeartifact:*', 'sts:GetServiceBearerToken'],
      maxSessionDuration: 7200
    },
    { name: 'reader', trust: { subjects: ['repo:octo-org/*'] }, actions: ['codeartifact:Describe*'] },
    { name: 'custom-audience', trust: { audience: ['my-audience'], subjects: ['repo:*'] }, actions: ['*'] }
  ]
};
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

let harness: IdentityHarness;
beforeAll(async () => {
  harness = await startIdentityHarness(CONFIG);
});
afterAll(async () => {
  await harness.close();
});

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const sts = (credentials?: Creds) =>
  new STSClient({
    region: 'us-east-1',
    endpoint: harness.url,
    ...(credentials ? { credentials } : {}),
    maxAttempts: 1
  });
const codeartifact = (credentials: Creds) =>
  new CodeartifactClient({ region: 'us-east-1', endpoint: harness.url, credentials, maxAttempts: 1 });
const rootCredentials = () => harness.identity.readyInfo().credentials;

async function assume(
  token: string,
  roleArn = role('publisher'),
  extra: { DurationSeconds?: number; RoleSessionName?: string } = {}
) {
  const out = await sts().send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: roleArn,
      RoleSessionName: 'release',
      WebIdentityToken: token,
      ...extra
    })
  );
  const c = out.Credentials!;
  return {
    out,
    credentials: {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!
    }
  };
}

/** The error a promise rejects with: its SDK name, HTTP status and message. */
async function failure(
  promise: Promise<unknown>
): Promise<{ name: string; status?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error('expected the call to fail');
}

describe('GitHub OIDC issuer', () => {
  it('publishes discovery and a JWKS that verifies its tokens', async () => {
    const discovery = (await (
      await fetch(`${harness.url}/oidc/.well-known/openid-configuration`)
    ).json()) as Record<string, string>;
    expect(discovery.issuer).toBe(`${harness.url}/oidc`);
    const token = await harness.identity.issueOidcToken({ aud: 'sts.amazonaws.com' });
    const { payload, protectedHeader } = await jwtVerify(
      token,
      createRemoteJWKSet(new URL(discovery.jwks_uri)),
      {
        issuer: discovery.issuer,
        audience: 'sts.amazonaws.com'
      }
    );
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      sub: 'repo:octo-org/app:ref:refs/tags/v2.0.0',
      repository: 'octo-org/app',
      repository_owner: 'octo-org',
      ref_type: 'tag',
      job_workflow_ref: 'octo-org/app/.github/workflows/release.yml@refs/tags/v2.0.0'
    });
    expect(payload.exp! - payload.iat!).toBe(300);
  });

  it('serves core.getIDToken from the request URL, with claims from the URL query', async () => {
    const { requestUrl, requestToken } = harness.identity.readyInfo().oidc;
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = `${requestUrl}&repository=other-org/lib&environment=prod`;
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = requestToken;
    try {
      const core = await import('@actions/core');
      const claims = decodeJwt(await core.getIDToken('sts.amazonaws.com'));
      expect(claims).toMatchObject({
        aud: 'sts.amazonaws.com',
        iss: `${harness.url}/oidc`,
        sub: 'repo:other-org/lib:environment:prod',
        repository_owner: 'other-org',
        environment: 'prod',
        ref: 'refs/tags/v2.0.0'
      });
    } finally {
      delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
      delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    }
  });

  it('refuses a token request without the request token', async () => {
    const { requestUrl } = harness.identity.readyInfo().oidc;
    const response = await fetch(`${requestUrl}&audience=sts.amazonaws.com`, {
      headers: { authorization: 'Bearer wrong' }
    });
    expect(response.status).toBe(401);
  });
});

describe('STS AssumeRoleWithWebIdentity', () => {
  it('returns credentials whose GetCallerIdentity is the assumed role', async () => {
    const token = await harness.identity.issueOidcToken({ aud: 'sts.amazonaws.com' });
    const { out, credentials } = await assume(token, role('publisher'), { DurationSeconds: 7200 });
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/publisher/release`);
    expect(out.SubjectFromWebIdentityToken).toBe('repo:octo-org/app:ref:refs/tags/v2.0.0');
    expect(out.Audience).toBe('sts.amazonaws.com');
    expect(out.Provider).toBe(`${harness.url}/oidc`);
    expect(credentials.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    const lifetime = out.Credentials!.Expiration!.getTime() - Date.now();
    expect(Math.abs(lifetime - 7200_000)).toBeLessThan(5000);
    const caller = await sts(credentials).send(new GetCallerIdentityCommand({}));
    expect(caller.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/publisher/release`);
    expect(caller.Account).toBe(ACCOUNT);
    expect(caller.UserId).toMatch(/^AROA[A-Z2-7]{17}:release$/);
  });

  it('refuses a repository the trust policy does not name', async () => {
    const token = await harness.identity.issueOidcToken({
      aud: 'sts.amazonaws.com',
      repository: 'evil-org/app'
    });
    expect(await failure(assume(token))).toMatchObject({
      name: 'AccessDenied',
      status: 403,
      message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity'
    });
  });

  it('refuses a branch where the trust policy wants a tag', async () => {
    const token = await harness.identity.issueOidcToken({ aud: 'sts.amazonaws.com', ref: 'refs/heads/main' });
    expect((await failure(assume(token))).name).toBe('AccessDenied');
  });

  it('refuses an audience no role accepts, and one this role does not accept', async () => {
    const foreign = await harness.identity.issueOidcToken({});
    expect(await failure(assume(foreign))).toMatchObject({
      name: 'InvalidIdentityTokenException',
      status: 400,
      message: 'Incorrect token audience'
    });
    const otherRoles = await harness.identity.issueOidcToken({ aud: 'my-audience' });
    expect((await failure(assume(otherRoles, role('publisher')))).name).toBe('AccessDenied');
    expect((await assume(otherRoles, role('custom-audience'))).out.Audience).toBe('my-audience');
  });

  it('refuses an expired token', async () => {
    const token = await harness.identity.issueOidcToken({ aud: 'sts.amazonaws.com', expiresIn: -60 });
    expect(await failure(assume(token))).toMatchObject({ name: 'ExpiredTokenException', status: 400 });
  });

  it('refuses tokens signed by another key, with or without the issuer key ID', async () => {
    const genuine = await harness.identity.issueOidcToken({ aud: 'sts.amazonaws.com' });
    const { privateKey } = await generateKeyPair('RS256');
    const [header] = genuine.split('.');
    const kid = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string }).kid;
    for (const forgedKid of [kid, 'another-key']) {
      const forged = await new SignJWT(decodeJwt(genuine))
        .setProtectedHeader({ alg: 'RS256', kid: forgedKid })
        .sign(privateKey);
      expect(await failure(assume(forged))).toMatchObject({
        name: 'InvalidIdentityTokenException',
        status: 400
      });
    }
    expect((await failure(assume('not.a.jwt'))).name).toBe('InvalidIdentityTokenException');
  });

  it("refuses another emulator's token: each emulator is its own issuer", async () => {
    const other = await startIdentityHarness(CONFIG);
    try {
      const foreign = await other.identity.issueOidcToken({ aud: 'sts.amazonaws.com' });
      expect(await failure(assume(foreign))).toMatchObject({
        name: 'InvalidIdentityTokenException',
        message: `No OpenIDConnect provider found in your account for ${other.url}/oidc`
      });
    } finally {
      await other.close();
    }
  });

  it('refuses a role that does not exist', async () => {
    const token = await harness.identity.issueOidcToken({ aud: 'sts.amazonaws.com' });
    expect(await failure(assume(token, role('no-such-role')))).toMatchObject({
      name: 'AccessDenied',
      status: 403
    });
  });

  it('validates DurationSeconds and RoleSessionName as STS does', async () => {
    const token = await harness.identity.issueOidcToken({ aud: 'sts.amazonaws.com' });
    for (const extra of [
      { DurationSeconds: 899 },
      { DurationSeconds: 43201 },
      { DurationSeconds: 10800 },
      { RoleSessionName: 'a b' }
    ]) {
      expect(await failure(assume(token, role('publisher'), extra))).toMatchObject({
        name: 'ValidationError',
        status: 400
      });
    }
  });
});

describe('SigV4 authentication', () => {
  it('refuses an unsigned request with MissingAuthenticationToken', async () => {
    const control = await fetch(`${harness.url}/v1/authorization-token?domain=my-domain`, { method: 'POST' });
    expect(control.status).toBe(403);
    expect(control.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    const query = await fetch(harness.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15'
    });
    expect(query.status).toBe(403);
    expect(await query.text()).toMatch(/<Code>MissingAuthenticationToken<\/Code>/);
  });

  it('knows the account root by its static keys', async () => {
    const caller = await sts(rootCredentials()).send(new GetCallerIdentityCommand({}));
    expect(caller).toMatchObject({ Arn: `arn:aws:iam::${ACCOUNT}:root`, Account: ACCOUNT, UserId: ACCOUNT });
  });

  it('refuses a wrong secret, an unknown key and a wrong session token', async () => {
    const { accessKeyId } = rootCredentials();
    const wrongSecret = { accessKeyId, secretAccessKey: 'x'.repeat(40) };
    expect(await failure(sts(wrongSecret).send(new GetCallerIdentityCommand({})))).toMatchObject({
      name: 'SignatureDoesNotMatch',
      status: 403
    });
    const ca = await failure(
      codeartifact(wrongSecret).send(new GetAuthorizationTokenCommand({ domain: 'my-domain' }))
    );
    expect(ca).toMatchObject({ name: 'InvalidSignatureException', status: 403 });
    expect(ca.message).toMatch(/^The request signature we calculated does not match/);
    const unknown = { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x'.repeat(40) };
    expect(await failure(sts(unknown).send(new GetCallerIdentityCommand({})))).toMatchObject({
      name: 'InvalidClientTokenId',
      status: 403
    });
    expect(
      await failure(codeartifact(unknown).send(new GetAuthorizationTokenCommand({ domain: 'my-domain' })))
    ).toMatchObject({
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.'
    });
    const session = harness.identity.assumeRole(role('reader'));
    const wrongToken = { ...session, sessionToken: `${session.sessionToken.slice(0, -4)}AAAA` };
    expect((await failure(sts(wrongToken).send(new GetCallerIdentityCommand({})))).name).toBe(
      'InvalidClientTokenId'
    );
  });

  it('refuses an expired session, then a request signed too far from the server clock', async () => {
    const session = harness.identity.assumeRole(role('reader'), { durationSeconds: 900 });
    expect((await sts(session).send(new GetCallerIdentityCommand({}))).Arn).toContain('assumed-role/reader/');
    harness.advanceClock(901_000);
    try {
      expect(await failure(sts(session).send(new GetCallerIdentityCommand({})))).toMatchObject({
        name: 'ExpiredToken',
        status: 403
      });
      expect(
        await failure(codeartifact(session).send(new GetAuthorizationTokenCommand({ domain: 'my-domain' })))
      ).toMatchObject({
        name: 'ExpiredTokenException',
        message: 'The security token included in the request is expired'
      });
      const skewed = await failure(
        codeartifact(rootCredentials()).send(new GetAuthorizationTokenCommand({ domain: 'my-domain' }))
      );
      expect(skewed).toMatchObject({ name: 'InvalidSignatureException' });
      expect(skewed.message).toMatch(/^Signature expired/);
    } finally {
      harness.advanceClock(-901_000);
    }
  });
});

describe('CodeArtifact calls signed by the SDK', () => {
  it('issues an authorization token for one domain to a session allowed to get one', async () => {
    const token = await harness.identity.issueOidcToken({ aud: 'sts.amazonaws.com' });
    const { credentials } = await assume(token);
    const out = await codeartifact(credentials).send(
      new GetAuthorizationTokenCommand({ domain: 'my-domain', domainOwner: ACCOUNT, durationSeconds: 900 })
    );
    const authToken = out.authorizationToken!;
    expect(authToken.length).toBeGreaterThan(900);
    expect(Math.abs(out.expiration!.getTime() - Date.now() - 900_000)).toBeLessThan(5000);
    expect(harness.identity.principalForToken(authToken, 'my-domain', ACCOUNT)?.arn).toBe(
      `arn:aws:sts::${ACCOUNT}:assumed-role/publisher/release`
    );
    expect(harness.identity.principalForToken(authToken, 'other-domain', ACCOUNT)).toBeUndefined();
    harness.advanceClock(900_000);
    try {
      expect(harness.identity.principalForToken(authToken, 'my-domain', ACCOUNT)).toBeUndefined();
    } finally {
      harness.advanceClock(-900_000);
    }
  });

  it('lets a role do only its actions', async () => {
    const reader = harness.identity.assumeRole(role('reader'));
    expect(
      await failure(codeartifact(reader).send(new GetAuthorizationTokenCommand({ domain: 'my-domain' })))
    ).toMatchObject({
      name: 'AccessDeniedException',
      status: 403
    });
  });

  it('verifies GET query strings with characters that need encoding', async () => {
    const out = await codeartifact(harness.identity.assumeRole(role('reader'))).send(
      new DescribePackageVersionCommand({
        domain: 'my-domain',
        repository: 'my-repo',
        format: 'generic',
        namespace: 'my.ns',
        package: "pkg+x~y!'()*",
        packageVersion: '1.0.0+build é:1'
      })
    );
    expect(out.packageVersion).toMatchObject({ packageName: "pkg+x~y!'()*", version: '1.0.0+build é:1' });
  });

  it('verifies a publish signed with the asset hash, and a JSON body signed with its own hash', async () => {
    const client = codeartifact(rootCredentials());
    const content = Buffer.from('hello generic package\n');
    const sha256 = createHash('sha256').update(content).digest('hex');
    const published = await client.send(
      new PublishPackageVersionCommand({
        domain: 'my-domain',
        repository: 'my-repo',
        format: 'generic',
        namespace: 'tools',
        package: 'hello',
        packageVersion: '1.0.0',
        assetName: 'hello 1.0.0.tar.gz',
        assetContent: content,
        assetSHA256: sha256
      })
    );
    expect(published.asset).toMatchObject({ name: 'hello 1.0.0.tar.gz', hashes: { 'SHA-256': sha256 } });
    const updated = await client.send(
      new UpdatePackageVersionsStatusCommand({
        domain: 'my-domain',
        repository: 'my-repo',
        format: 'generic',
        namespace: 'tools',
        package: 'hello',
        versions: ['1.0.0'],
        targetStatus: 'Archived'
      })
    );
    expect(updated.successfulVersions?.['1.0.0']?.status).toBe('Archived');
  });
});

describe('the SDK default credential chain with a web identity token file', () => {
  it('assumes AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE through AWS_ENDPOINT_URL_STS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'identity-web-'));
    const names = [
      'AWS_ROLE_ARN',
      'AWS_WEB_IDENTITY_TOKEN_FILE',
      'AWS_ENDPOINT_URL_STS',
      'AWS_CONFIG_FILE',
      'AWS_SHARED_CREDENTIALS_FILE'
    ];
    const saved = names.map((name) => process.env[name]);
    try {
      const tokenFile = join(dir, 'token');
      writeFileSync(tokenFile, await harness.identity.issueOidcToken({ aud: 'sts.amazonaws.com' }));
      Object.assign(process.env, {
        AWS_ROLE_ARN: role('publisher'),
        AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
        AWS_ENDPOINT_URL_STS: harness.url,
        AWS_CONFIG_FILE: join(dir, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials')
      });
      const caller = await new STSClient({ region: 'us-east-1' }).send(new GetCallerIdentityCommand({}));
      expect(caller.Arn).toMatch(new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/publisher/`));
    } finally {
      names.forEach((name, index) => {
        if (saved[index] === undefined) delete process.env[name];
        else process.env[name] = saved[index];
      });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('credential scope', () => {
  it('refuses a CodeArtifact request signed for another region, and answers STS in any region', async () => {
    const client = new CodeartifactClient({
      region: 'eu-west-1',
      endpoint: harness.url,
      credentials: rootCredentials(),
      maxAttempts: 1
    });
    const refused = await failure(client.send(new GetAuthorizationTokenCommand({ domain: 'my-domain' })));
    expect(refused).toMatchObject({ name: 'InvalidSignatureException', status: 403 });
    expect(refused.message).toContain("not 'eu-west-1'");
    const caller = await new STSClient({
      region: 'eu-west-1',
      endpoint: harness.url,
      credentials: rootCredentials()
    }).send(new GetCallerIdentityCommand({}));
    expect(caller.Account).toBe(ACCOUNT);
  });
});

/**
 * An action's path to a CodeArtifact token against the emulator: GitHub OIDC token (core.getIDToken)
 * -> STS AssumeRoleWithWebIdentity -> GetAuthorizationToken with the role's credentials -> the
 * repository endpoint accepting that token; and what a role without a permission is told.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  CodeartifactClient,
  GetAuthorizationTokenCommand,
  GetRepositoryEndpointCommand,
  PublishPackageVersionCommand
} from '@aws-sdk/client-codeartifact';
import * as core from '@actions/core';
import {
  parseConfig,
  startEmulator,
  type FormatHandler,
  type RunningEmulator
} from '@codeartifact-actions/emulator';

const ACCOUNT = '111122223333';
const PUBLISHER = `arn:aws:iam::${ACCOUNT}:role/publisher`;
const READER = `arn:aws:iam::${ACCOUNT}:role/reader`;
const NO_TOKEN = `arn:aws:iam::${ACCOUNT}:role/no-bearer`;

/** A stand-in cargo endpoint that answers with who called, so routing and auth can be observed. */
const echoHandler: FormatHandler = async (ctx) => {
  ctx.log('EchoCargo', 200);
  ctx.res.writeHead(200, { 'content-type': 'application/json' });
  ctx.res.end(
    JSON.stringify({
      principal: ctx.principal.arn,
      subpath: ctx.subpath,
      endpoint: ctx.endpoint,
      repository: ctx.repository.name
    })
  );
};

let emulator: RunningEmulator;
const savedEnv = { ...process.env };

function sessionCredentials(
  credentials: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined
) {
  return {
    accessKeyId: credentials!.AccessKeyId!,
    secretAccessKey: credentials!.SecretAccessKey!,
    sessionToken: credentials!.SessionToken!
  };
}

/** What configure-aws-credentials does: an OIDC token from the runner, then AssumeRoleWithWebIdentity. */
async function assume(roleArn: string): Promise<CodeartifactClient> {
  const idToken = await core.getIDToken('sts.amazonaws.com');
  const sts = new STSClient({ endpoint: emulator.info.endpoint, region: emulator.info.region });
  const { Credentials } = await sts.send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: roleArn,
      RoleSessionName: 'release',
      WebIdentityToken: idToken
    })
  );
  sts.destroy();
  return new CodeartifactClient({
    endpoint: emulator.info.endpoint,
    region: emulator.info.region,
    credentials: sessionCredentials(Credentials),
    maxAttempts: 1
  });
}

const trust = { subjects: ['repo:acme/*'] };

beforeAll(async () => {
  const config = parseConfig(
    {
      oidc: { claims: { repository: 'acme/tool', ref: 'refs/tags/v1.0.0' } },
      roles: [
        { name: 'publisher', trust, actions: ['sts:GetServiceBearerToken', 'codeartifact:*'] },
        {
          name: 'reader',
          trust,
          actions: [
            'sts:GetServiceBearerToken',
            'codeartifact:GetAuthorizationToken',
            'codeartifact:ReadFromRepository',
            'codeartifact:Get*'
          ]
        },
        { name: 'no-bearer', trust, actions: ['codeartifact:*'] }
      ],
      domains: [{ name: 'acme', repositories: [{ name: 'releases' }] }]
    },
    'test configuration'
  );
  emulator = await startEmulator({ config, formats: { cargo: echoHandler } });
  process.env.ACTIONS_ID_TOKEN_REQUEST_URL = emulator.info.oidc.requestUrl;
  process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = emulator.info.oidc.requestToken;
});

afterAll(async () => {
  process.env = savedEnv;
  await emulator?.close();
});

describe('OIDC -> STS -> CodeArtifact token', () => {
  it('lists the configured roles in the ready information', () => {
    expect(emulator.info.roles).toEqual([PUBLISHER, READER, NO_TOKEN]);
  });

  it('gives an assumed role a token the repository endpoint accepts as Basic and as Bearer', async () => {
    const client = await assume(PUBLISHER);
    const { authorizationToken } = await client.send(
      new GetAuthorizationTokenCommand({ domain: 'acme', durationSeconds: 900 })
    );
    const { repositoryEndpoint } = await client.send(
      new GetRepositoryEndpointCommand({ domain: 'acme', repository: 'releases', format: 'cargo' })
    );
    client.destroy();
    const basic = await fetch(`${repositoryEndpoint}index/config.json`, {
      headers: { authorization: `Basic ${Buffer.from(`aws:${authorizationToken}`).toString('base64')}` }
    });
    expect(basic.status).toBe(200);
    expect(await basic.json()).toEqual({
      principal: `arn:aws:sts::${ACCOUNT}:assumed-role/publisher/release`,
      subpath: 'index/config.json',
      endpoint: repositoryEndpoint,
      repository: 'releases'
    });
    const bearer = await fetch(repositoryEndpoint!, {
      method: 'PUT',
      body: 'x',
      headers: { authorization: `Bearer ${authorizationToken}` }
    });
    expect(bearer.status).toBe(200);
    expect(
      emulator
        .requestLog()
        .some((e) => e.operation === 'EchoCargo' && e.principal?.includes('assumed-role/publisher'))
    ).toBe(true);
  });

  it('asks for credentials (401 with WWW-Authenticate) when the token is missing or wrong', async () => {
    const endpoint = `${emulator.info.endpoint}/acme-${ACCOUNT}/cargo/releases/index/config.json`;
    const missing = await fetch(endpoint);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const wrong = await fetch(endpoint, { headers: { authorization: `Bearer not-a-token` } });
    expect(wrong.status).toBe(401);
  });

  it('answers 403 to a write by a role that may only read, and 404 for an unknown repository or format', async () => {
    const client = await assume(READER);
    const { authorizationToken } = await client.send(new GetAuthorizationTokenCommand({ domain: 'acme' }));
    client.destroy();
    const auth = { authorization: `Bearer ${authorizationToken}` };
    const base = `${emulator.info.endpoint}/acme-${ACCOUNT}`;
    expect((await fetch(`${base}/cargo/releases/x`, { headers: auth })).status).toBe(200);
    expect(
      (await fetch(`${base}/cargo/releases/x`, { method: 'PUT', body: 'x', headers: auth })).status
    ).toBe(403);
    expect((await fetch(`${base}/cargo/nowhere/x`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${base}/swift/releases/x`, { headers: auth })).status).toBe(404);
  });

  it('denies PublishPackageVersion to a role without it, naming the caller, action and resource', async () => {
    const client = await assume(READER);
    const bytes = Buffer.from('payload');
    let error: (Error & { $metadata?: { httpStatusCode?: number } }) | undefined;
    try {
      await client.send(
        new PublishPackageVersionCommand({
          domain: 'acme',
          repository: 'releases',
          format: 'generic',
          namespace: 'ns',
          package: 'p',
          packageVersion: '1.0.0',
          assetName: 'p.bin',
          assetContent: bytes,
          assetSHA256: createHash('sha256').update(bytes).digest('hex')
        })
      );
    } catch (caught) {
      error = caught as Error;
    } finally {
      client.destroy();
    }
    expect(error?.name).toBe('AccessDeniedException');
    expect(error?.$metadata?.httpStatusCode).toBe(403);
    expect(error?.message).toContain(
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/reader/release is not authorized to perform: codeartifact:PublishPackageVersion on resource: arn:aws:codeartifact:us-east-1:${ACCOUNT}:package/acme/releases/generic/ns/p`
    );
  });

  it('refuses a token to a role without sts:GetServiceBearerToken', async () => {
    const client = await assume(NO_TOKEN);
    await expect(client.send(new GetAuthorizationTokenCommand({ domain: 'acme' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('sts:GetServiceBearerToken')
    });
    client.destroy();
  });

  it('mints OIDC tokens with other claims through the admin API, which STS then judges', async () => {
    const response = await fetch(`${emulator.info.admin}/oidc-token`, {
      method: 'POST',
      body: JSON.stringify({ repository: 'other-org/tool', aud: 'sts.amazonaws.com' })
    });
    expect(response.status).toBe(200);
    const { value } = (await response.json()) as { value: string };
    const sts = new STSClient({
      endpoint: emulator.info.endpoint,
      region: emulator.info.region,
      maxAttempts: 1
    });
    await expect(
      sts.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: PUBLISHER,
          RoleSessionName: 'other-org',
          WebIdentityToken: value
        })
      )
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    sts.destroy();
  });
});

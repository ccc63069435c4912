import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mockClient } from 'aws-sdk-client-mock';
import { CodeartifactClient, GetRepositoryEndpointCommand } from '@aws-sdk/client-codeartifact';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';

const masked: string[] = [];
const debugLines: string[] = [];
const idToken = `h.${Buffer.from(JSON.stringify({ sub: 'repo:org/app:ref:refs/heads/main' })).toString('base64url')}.s`;
jest.unstable_mockModule('@actions/core', () => ({
  getInput: (name: string) => process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '',
  setSecret: (value: string) => masked.push(value),
  debug: (line: string) => debugLines.push(line),
  info: () => undefined,
  getIDToken: async () => idToken
}));

const aws = await import('./index.js');

function setInputs(inputs: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}

const session = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIA', secretAccessKey: 'secret' },
  accountId: '111122223333'
};
const fast = { baseDelayMs: 1, maxDelayMs: 5 };

beforeEach(() => {
  masked.length = 0;
  debugLines.length = 0;
  delete process.env.AWS_REGION;
  delete process.env.AWS_DEFAULT_REGION;
  delete process.env.CODEARTIFACT_DOMAIN;
  delete process.env.CODEARTIFACT_DOMAIN_OWNER;
});

describe('readAwsAuthInputs', () => {
  it('fills defaults from the environment', () => {
    setInputs({ domain: 'acme' });
    process.env.AWS_DEFAULT_REGION = 'eu-west-2';
    process.env.CODEARTIFACT_DOMAIN_OWNER = '111122223333';
    expect(aws.readAwsAuthInputs()).toEqual({
      region: 'eu-west-2',
      roleToAssume: undefined,
      audience: 'sts.amazonaws.com',
      roleSessionName: 'GitHubActions',
      roleDurationSeconds: undefined,
      domain: 'acme',
      domainOwner: '111122223333'
    });
  });

  it.each([
    [{ 'aws-region': 'Mars-1', domain: 'acme' }, 'aws-region'],
    [{ domain: 'acme' }, 'aws-region'],
    [{ 'aws-region': 'us-east-1', domain: 'Acme_' }, 'domain'],
    [{ 'aws-region': 'us-east-1' }, 'domain'],
    [{ 'aws-region': 'us-east-1', domain: 'acme', 'domain-owner': '12345' }, 'domain-owner'],
    [
      { 'aws-region': 'us-east-1', domain: 'acme', 'role-to-assume': 'arn:aws:iam::1:role/x' },
      'role-to-assume'
    ],
    [{ 'aws-region': 'us-east-1', domain: 'acme', 'role-session-name': 'a b' }, 'role-session-name'],
    [{ 'aws-region': 'us-east-1', domain: 'acme', 'role-duration-seconds': '60' }, 'role-duration-seconds'],
    [{ 'aws-region': 'us-east-1', domain: 'acme', audience: 'has space' }, 'audience']
  ])('rejects %j naming %s', (inputs, input) => {
    setInputs(inputs);
    expect(() => aws.readAwsAuthInputs()).toThrow(`Input "${input}"`);
  });

  it('lets actions that need no domain leave it empty', () => {
    setInputs({ 'aws-region': 'us-east-1' });
    expect(aws.readAwsAuthInputs({ domainRequired: false }).domain).toBe('');
  });
});

describe('resolveAwsSession', () => {
  const settings = {
    region: 'us-east-1',
    roleToAssume: 'arn:aws:iam::111122223333:role/ci',
    audience: 'sts.amazonaws.com',
    roleSessionName: 'GitHubActions',
    domain: 'acme'
  };

  it('says which permission the job lacks when there is no OIDC request URL', async () => {
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
    await expect(aws.resolveAwsSession(settings)).rejects.toThrow('permissions: id-token: write');
  });

  it('masks the assumed credentials and learns the account', async () => {
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = 'http://oidc';
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'req';
    const sts = mockClient(STSClient);
    sts.on(AssumeRoleWithWebIdentityCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIA1',
        SecretAccessKey: 'sk',
        SessionToken: 'st',
        Expiration: new Date()
      },
      AssumedRoleUser: { Arn: 'arn:aws:sts::111122223333:assumed-role/ci/GitHubActions', AssumedRoleId: 'x' }
    });
    const result = await aws.resolveAwsSession(settings);
    expect(result.accountId).toBe('111122223333');
    expect(result.subject).toBe('repo:org/app:ref:refs/heads/main');
    expect(masked).toEqual(expect.arrayContaining(['sk', 'st', idToken]));
    sts.restore();
  });

  it('shows the token sub claim when the trust policy refuses the role', async () => {
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = 'http://oidc';
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'req';
    const sts = mockClient(STSClient);
    sts
      .on(AssumeRoleWithWebIdentityCommand)
      .rejects(Object.assign(new Error('Not authorized'), { name: 'AccessDenied' }));
    await expect(aws.resolveAwsSession(settings)).rejects.toThrow(
      /sub claim is "repo:org\/app:ref:refs\/heads\/main".*trust policy/
    );
    sts.restore();
  });
});

describe('getAuthorizationToken', () => {
  let server: Server;
  let replies: Array<[number, string, object]> = [];
  let calls = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      calls += 1;
      const [status, type, body] = replies.shift() ?? [
        500,
        'InternalServerException',
        { message: 'no reply queued' }
      ];
      res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
      req.resume();
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    delete process.env.AWS_ENDPOINT_URL;
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    calls = 0;
    replies = [];
  });

  const throttled: [number, string, object] = [429, 'ThrottlingException', { message: 'Rate exceeded' }];
  const unavailable: [number, string, object] = [503, 'InternalServerException', { message: 'try later' }];

  it('survives throttling and 503s, masks the token and logs each attempt', async () => {
    replies = [throttled, unavailable, [200, '', { authorizationToken: 'tok', expiration: 1e9 }]];
    const client = aws.createCodeArtifactClient(session, fast);
    const token = await aws.getAuthorizationToken(client, { domain: 'acme' });
    expect(token).toEqual({ token: 'tok', expiration: new Date(1e12), domainOwner: '111122223333' });
    expect(calls).toBe(3);
    expect(masked).toContain('tok');
    expect(debugLines.filter((l) => /attempt \d failed with/.test(l))).toHaveLength(2);
  });

  it('fails at once on AccessDenied, naming both permissions', async () => {
    replies = [[403, 'AccessDeniedException', { message: 'not allowed' }], throttled];
    const client = aws.createCodeArtifactClient(session, fast);
    const failure = aws.getAuthorizationToken(client, { domain: 'acme' });
    await expect(failure).rejects.toThrow(/codeartifact:GetAuthorizationToken.*sts:GetServiceBearerToken/);
    expect(calls).toBe(1);
  });

  it('stops retrying when the time bound is spent', async () => {
    replies = Array.from({ length: 50 }, () => throttled);
    const client = aws.createCodeArtifactClient(session, {
      baseDelayMs: 20,
      maxDelayMs: 20,
      totalTimeMs: 30,
      maxAttempts: 50
    });
    await expect(aws.getAuthorizationToken(client, { domain: 'acme' })).rejects.toThrow(
      /failed after \d attempts: ThrottlingException/
    );
    expect(calls).toBeGreaterThan(1);
    expect(calls).toBeLessThan(6);
  });
});

describe('getRepositoryEndpoint', () => {
  it('names the repository that does not exist', async () => {
    const ca = mockClient(CodeartifactClient);
    ca.on(GetRepositoryEndpointCommand).rejects(
      Object.assign(new Error('no such repository'), {
        name: 'ResourceNotFoundException',
        resourceType: 'repository',
        $metadata: { httpStatusCode: 404 }
      })
    );
    const client = aws.createCodeArtifactClient(session, fast);
    await expect(aws.getRepositoryEndpoint(client, { domain: 'acme' }, 'missing', 'pypi')).rejects.toThrow(
      'Repository "missing" does not exist in domain "acme"'
    );
    ca.restore();
  });
});

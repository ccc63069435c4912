import { beforeEach, describe, expect, it, jest } from '@jest/globals';

const network: string[] = [];
jest.unstable_mockModule('@actions/core', () => ({
  getInput: (name: string) => process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '',
  setSecret: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warning: () => undefined,
  getIDToken: async () => {
    network.push('getIDToken');
    return 'x.y.z';
  }
}));

const { readSetupSettings } = await import('../actions/setup-codeartifact/src/settings.js');

const VALID = {
  'aws-region': 'us-east-1',
  'role-to-assume': 'arn:aws:iam::111122223333:role/ci',
  domain: 'acme',
  repository: 'shared',
  tools: 'pip, npm'
};

function setInputs(inputs: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}

beforeEach(() => {
  for (const name of [
    'AWS_REGION',
    'AWS_DEFAULT_REGION',
    'CODEARTIFACT_DOMAIN',
    'CODEARTIFACT_DOMAIN_OWNER',
    'CODEARTIFACT_REPOSITORY'
  ]) {
    delete process.env[name];
  }
});

describe('setup-codeartifact settings', () => {
  it('reads a valid set of inputs with their defaults', () => {
    setInputs({ ...VALID, 'npm-scopes': 'acme\n@tools', 'duration-seconds': '0' });
    expect(readSetupSettings()).toMatchObject({
      aws: {
        region: 'us-east-1',
        domain: 'acme',
        audience: 'sts.amazonaws.com',
        roleSessionName: 'GitHubActions'
      },
      repository: 'shared',
      durationSeconds: 0,
      tools: ['pip', 'npm'],
      npmScopes: ['@acme', '@tools'],
      pipMode: 'index-url',
      mavenServerId: 'codeartifact',
      mavenMirrorOf: '*',
      exportCredentials: true,
      cleanup: true
    });
  });

  it('needs no repository when only the token is wanted', () => {
    setInputs({ 'aws-region': 'us-east-1', domain: 'acme' });
    expect(readSetupSettings()).toMatchObject({ tools: [], repository: undefined });
  });

  const bad: Array<[string, Record<string, string | undefined>, RegExp | null]> = [
    ['aws-region', { 'aws-region': 'useast1' }, /not an AWS region/],
    ['aws-region', { 'aws-region': undefined }, /required/],
    ['domain', { domain: 'My_Domain' }, /not a valid domain name/],
    ['domain', { domain: undefined }, /required/],
    ['domain', { domain: 'a'.repeat(51) }, null],
    ['domain-owner', { 'domain-owner': '1234' }, /12 digits/],
    ['role-to-assume', { 'role-to-assume': 'ci-role' }, /IAM role ARN/],
    ['role-to-assume', { 'role-to-assume': 'arn:aws:iam::111122223333:user/bob' }, null],
    ['role-session-name', { 'role-session-name': 'has space' }, null],
    ['role-session-name', { 'role-session-name': 'x' }, null],
    ['role-duration-seconds', { 'role-duration-seconds': '100' }, /900 to 43200/],
    ['role-duration-seconds', { 'role-duration-seconds': '1h' }, null],
    ['audience', { audience: 'sts amazonaws' }, null],
    ['duration-seconds', { 'duration-seconds': '60' }, /900 to 43200 \(or 0\)/],
    ['duration-seconds', { 'duration-seconds': '50000' }, null],
    ['tools', { tools: 'pip, cargo' }, /unknown tool "cargo"/],
    ['tools', { tools: 'auto, npm' }, /auto/],
    ['repository', { repository: undefined }, /required when "tools" is set/],
    ['repository', { repository: '-bad' }, /not a valid repository name/],
    ['npm-scopes', { 'npm-scopes': '@Acme' }, /not an npm scope/],
    ['pip-mode', { 'pip-mode': 'replace' }, /index-url/],
    ['maven-server-id', { 'maven-server-id': 'my server' }, null],
    ['maven-mirror-of', { 'maven-mirror-of': 'central; rm' }, null],
    ['export-credentials', { 'export-credentials': 'maybe' }, /true or false/],
    ['cleanup', { cleanup: 'sometimes' }, /true or false/]
  ];

  it.each(bad)('rejects a bad "%s" (%j) before any network call, naming it', (input, change, detail) => {
    const inputs: Record<string, string> = { ...VALID };
    for (const [name, value] of Object.entries(change)) {
      if (value === undefined) delete inputs[name];
      else inputs[name] = value;
    }
    setInputs(inputs);
    let message = '';
    try {
      readSetupSettings();
    } catch (error) {
      expect((error as Error).name).toBe('ConfigurationError');
      message = (error as Error).message;
    }
    expect(message).toContain(`Input "${input}"`);
    if (detail) expect(message).toMatch(detail);
    expect(network).toEqual([]);
  });

  it('covers at least 15 distinct inputs', () => {
    expect(new Set(bad.map(([input]) => input)).size).toBeGreaterThanOrEqual(15);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, DEFAULT_ROLE_NAME, defaultConfig, loadConfig, parseConfig } from '../config.js';

describe('emulator configuration', () => {
  it('defaults to one account, one region and one role trusting any repository with the STS audience', () => {
    const config = defaultConfig();
    expect(config).toMatchObject({
      accountId: '111122223333',
      region: 'us-east-1',
      domains: [],
      externalConnections: {}
    });
    expect(config.credentials).toBeUndefined();
    expect(config.roles).toEqual([
      expect.objectContaining({
        name: DEFAULT_ROLE_NAME,
        arn: `arn:aws:iam::111122223333:role/${DEFAULT_ROLE_NAME}`,
        trust: { audience: ['sts.amazonaws.com'], subjects: ['repo:*'] }
      })
    ]);
  });

  it('reads a file, filling role ARNs and audiences and resolving folders next to the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-config-'));
    try {
      const path = join(dir, 'emulator.json');
      writeFileSync(
        path,
        JSON.stringify({
          accountId: '123456789012',
          roles: [{ name: 'ci', trust: { subjects: ['repo:org/*'] }, actions: ['codeartifact:*'] }],
          domains: [
            {
              name: 'acme',
              repositories: [
                { name: 'mirror', externalConnections: ['public:pypi'] },
                { name: 'releases', upstreams: ['mirror'] }
              ]
            }
          ],
          externalConnections: { 'public:pypi': 'pypi-files' }
        })
      );
      const config = loadConfig(path);
      expect(config.roles[0]).toMatchObject({
        arn: 'arn:aws:iam::123456789012:role/ci',
        trust: { audience: ['sts.amazonaws.com'] },
        maxSessionDuration: 3600
      });
      expect(config.domains[0].repositories[1]).toEqual({
        name: 'releases',
        description: undefined,
        upstreams: ['mirror'],
        externalConnections: []
      });
      expect(config.externalConnections['public:pypi']).toBe(join(dir, 'pypi-files'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [{ accountId: '1234' }, 'accountId'],
    [{ roles: [{ name: 'ci', actions: ['*'] }] }, 'roles[0].trust must be a JSON object'],
    [
      { roles: [{ name: 'ci', trust: { subjects: [] }, actions: ['*'] }] },
      'roles[0].trust.subjects must list at least one'
    ],
    [
      { roles: [{ name: 'ci', trust: { subjects: ['repo:*'] }, actions: ['ReadFromRepository'] }] },
      'roles[0].actions[0]'
    ],
    [
      { roles: [{ name: 'ci', trust: { subjects: ['repo:*'] }, actions: ['*'], maxSessionDuration: 60 }] },
      'roles[0].maxSessionDuration'
    ],
    [{ domains: [{ name: 'Bad_Domain' }] }, 'domains[0].name'],
    [
      { domains: [{ name: 'acme', repositories: [{ name: 'r1', upstreams: ['r2'] }] }] },
      'domains[0].repositories[0].upstreams'
    ],
    [{ credentials: { accessKeyId: 'nope', secretAccessKey: 'x'.repeat(40) } }, 'credentials.accessKeyId'],
    [{ oidc: { claims: { repo: 'org/app' } } }, 'oidc.claims.repo is not a known field'],
    [{ regions: 'us-east-1' }, 'regions is not a known field']
  ])('refuses %j naming %s', (json, field) => {
    expect(() => parseConfig(json, 'emulator.json')).toThrow(ConfigError);
    expect(() => parseConfig(json, 'emulator.json')).toThrow(`emulator.json: ${field}`);
  });

  it('names the file when it is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-config-'));
    try {
      writeFileSync(join(dir, 'bad.json'), '{ roles: ');
      expect(() => loadConfig(join(dir, 'bad.json'))).toThrow(/bad\.json is not valid JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

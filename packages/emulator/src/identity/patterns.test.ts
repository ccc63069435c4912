import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../config.js';
import { actionMatches, stringLike } from './patterns.js';
import { roleSessionPrincipal, rootPrincipal } from './principals.js';

describe('trust policy StringLike', () => {
  it('matches * across any characters and ? as exactly one, case-sensitively', () => {
    expect(stringLike('repo:org/*:ref:refs/tags/v*', 'repo:org/app:ref:refs/tags/v1.2.3')).toBe(true);
    expect(stringLike('repo:org/*:ref:refs/tags/v*', 'repo:org/app:ref:refs/heads/main')).toBe(false);
    expect(stringLike('repo:org/app:ref:refs/tags/v?.0.0', 'repo:org/app:ref:refs/tags/v1.0.0')).toBe(true);
    expect(stringLike('repo:org/app:ref:refs/tags/v?.0.0', 'repo:org/app:ref:refs/tags/v10.0.0')).toBe(false);
    expect(stringLike('repo:Org/*', 'repo:org/app:ref:refs/tags/v1')).toBe(false);
  });

  it('takes regular expression characters literally', () => {
    expect(stringLike('repo:org/a.b:*', 'repo:org/axb:ref:x')).toBe(false);
    expect(stringLike('repo:org/(x)+:*', 'repo:org/(x)+:pull_request')).toBe(true);
  });
});

describe('IAM action matching', () => {
  it('matches service wildcards and prefixes, ignoring case', () => {
    expect(actionMatches('codeartifact:*', 'codeartifact:PublishPackageVersion')).toBe(true);
    expect(actionMatches('codeartifact:List*', 'codeartifact:ListPackageVersions')).toBe(true);
    expect(actionMatches('codeartifact:List*', 'codeartifact:DescribeDomain')).toBe(false);
    expect(actionMatches('CodeArtifact:getauthorizationtoken', 'codeartifact:GetAuthorizationToken')).toBe(
      true
    );
    expect(actionMatches('*', 'sts:GetServiceBearerToken')).toBe(true);
    expect(actionMatches('codeartifact:*', 'sts:GetServiceBearerToken')).toBe(false);
  });
});

describe('principals', () => {
  const [role] = parseConfig(
    {
      roles: [
        {
          name: 'reader',
          trust: { subjects: ['repo:*'] },
          actions: ['codeartifact:ReadFromRepository', 'codeartifact:Describe*']
        }
      ]
    },
    'test'
  ).roles;

  it('lets a role session do only what its role lists', () => {
    const session = roleSessionPrincipal(role, '111122223333', 'run-1', new Date(0));
    expect(session.arn).toBe('arn:aws:sts::111122223333:assumed-role/reader/run-1');
    expect(session.allows('codeartifact:ReadFromRepository')).toBe(true);
    expect(session.allows('codeartifact:DescribePackageVersion')).toBe(true);
    expect(session.allows('codeartifact:GetAuthorizationToken')).toBe(false);
    expect(session.allows('sts:GetServiceBearerToken')).toBe(false);
  });

  it('lets the account root do everything', () => {
    const root = rootPrincipal('111122223333');
    expect(root.arn).toBe('arn:aws:iam::111122223333:root');
    expect(root.allows('codeartifact:DeleteDomain')).toBe(true);
  });

  it('gives the default role what the actions need and no administration', () => {
    const [defaultRole] = parseConfig({}, 'test').roles;
    const session = roleSessionPrincipal(defaultRole, '111122223333', 's1', new Date(0));
    for (const action of [
      'codeartifact:GetAuthorizationToken',
      'sts:GetServiceBearerToken',
      'codeartifact:PublishPackageVersion',
      'codeartifact:ListPackageVersions',
      'codeartifact:ReadFromRepository'
    ]) {
      expect(session.allows(action)).toBe(true);
    }
    expect(session.allows('codeartifact:DeleteDomain')).toBe(false);
    expect(session.allows('codeartifact:CreateRepository')).toBe(false);
  });
});

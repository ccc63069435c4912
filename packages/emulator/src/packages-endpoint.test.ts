import { describe, expect, it } from '@jest/globals';
import { actionForMethod, parseRepositoryPath, tokenFromAuthorization } from './packages-endpoint.js';

describe('parseRepositoryPath', () => {
  it('splits /<domain>-<owner>/<format>/<repo>/<subpath>, keeping hyphens in the domain', () => {
    expect(parseRepositoryPath('/my-domain-111122223333/pypi/my-repo/simple/pkg/')).toEqual({
      domain: 'my-domain',
      owner: '111122223333',
      format: 'pypi',
      repository: 'my-repo',
      subpath: 'simple/pkg/'
    });
    expect(parseRepositoryPath('/d1-111122223333/npm/r')?.subpath).toBe('');
  });

  it('is not a repository path without an owner or with an unknown format', () => {
    expect(parseRepositoryPath('/domain/pypi/repo/')).toBeUndefined();
    expect(parseRepositoryPath('/d1-111122223333/rpm/repo/')).toBeUndefined();
    expect(parseRepositoryPath('/v1/domain')).toBeUndefined();
  });
});

describe('tokenFromAuthorization', () => {
  it('reads Basic aws:<token> and Bearer <token>', () => {
    expect(tokenFromAuthorization(`Basic ${Buffer.from('aws:tok:en').toString('base64')}`)).toBe('tok:en');
    expect(tokenFromAuthorization('Bearer abc')).toBe('abc');
    expect(tokenFromAuthorization('bearer abc')).toBe('abc');
  });

  it('has no token for other schemes or a missing header', () => {
    expect(tokenFromAuthorization(undefined)).toBeUndefined();
    expect(tokenFromAuthorization('Digest abc')).toBeUndefined();
    expect(tokenFromAuthorization(`Basic ${Buffer.from('no-colon').toString('base64')}`)).toBeUndefined();
  });
});

describe('actionForMethod', () => {
  it('needs ReadFromRepository to read and PublishPackageVersion to write', () => {
    expect(actionForMethod('GET')).toBe('codeartifact:ReadFromRepository');
    expect(actionForMethod('HEAD')).toBe('codeartifact:ReadFromRepository');
    expect(actionForMethod('PUT')).toBe('codeartifact:PublishPackageVersion');
    expect(actionForMethod('POST')).toBe('codeartifact:PublishPackageVersion');
  });
});

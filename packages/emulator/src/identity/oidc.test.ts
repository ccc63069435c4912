import { describe, expect, it } from '@jest/globals';
import { resolveClaims } from './oidc.js';

describe('GitHub claims', () => {
  it('derives sub, owner, ref type and workflow refs from repository and ref', () => {
    expect(resolveClaims({ repository: 'acme/tool', ref: 'refs/heads/main' })).toMatchObject({
      sub: 'repo:acme/tool:ref:refs/heads/main',
      repository_owner: 'acme',
      ref_type: 'branch',
      workflow_ref: 'acme/tool/.github/workflows/release.yml@refs/heads/main'
    });
  });

  it('uses the environment and pull request forms of sub', () => {
    expect(resolveClaims({ repository: 'acme/tool', environment: 'prod' }).sub).toBe(
      'repo:acme/tool:environment:prod'
    );
    expect(resolveClaims({ repository: 'acme/tool', event_name: 'pull_request' }).sub).toBe(
      'repo:acme/tool:pull_request'
    );
  });

  it('keeps an explicit sub unless a later layer changes what it is made of', () => {
    expect(resolveClaims({ sub: 'custom' }, { actor: 'bot' }).sub).toBe('custom');
    expect(resolveClaims({ sub: 'custom' }, { repository: 'other/repo' }).sub).toBe(
      'repo:other/repo:ref:refs/tags/v1.2.3'
    );
    expect(resolveClaims({ repository: 'a/b' }, { sub: 'mine' }).sub).toBe('mine');
  });
});

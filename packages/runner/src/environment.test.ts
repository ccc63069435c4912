import { describe, it, expect } from '@jest/globals';
import { githubContext, machineEnvironment } from './environment.js';

describe('machineEnvironment', () => {
  it('keeps the machine essentials and drops credentials, tool settings and runner state, in any case', () => {
    const kept = machineEnvironment({
      PATH: '/usr/bin',
      LANG: 'C.UTF-8',
      JAVA_HOME: '/usr/lib/jvm/java-17',
      PYENV_ROOT: '/root/.pyenv',
      AWS_ACCESS_KEY_ID: 'AKIA',
      AWS_PROFILE: 'dev',
      CODEARTIFACT_AUTH_TOKEN: 't',
      npm_config_registry: 'https://x/',
      NPM_CONFIG_USERCONFIG: '/home/me/.npmrc',
      PIP_INDEX_URL: 'https://y/',
      GITHUB_TOKEN: 'ghp',
      NODE_OPTIONS: '--require x',
      HOME: '/root'
    });
    expect(kept).toEqual({
      PATH: '/usr/bin',
      LANG: 'C.UTF-8',
      JAVA_HOME: '/usr/lib/jvm/java-17',
      PYENV_ROOT: '/root/.pyenv'
    });
  });
});

describe('githubContext', () => {
  it('derives ref_name, ref_type and the owner from the ref and repository', () => {
    const context = githubContext({ repository: 'acme/tools', ref: 'refs/tags/v2.0.0' }, '/w');
    expect(context).toMatchObject({
      repository_owner: 'acme',
      ref_name: 'v2.0.0',
      ref_type: 'tag',
      workspace: '/w'
    });
    expect(context.event).toMatchObject({ ref: 'refs/tags/v2.0.0', repository: { full_name: 'acme/tools' } });
  });

  it('defaults to a push to main of octo-org/octo-repo', () => {
    expect(githubContext({}, '/w')).toMatchObject({
      repository: 'octo-org/octo-repo',
      ref: 'refs/heads/main',
      ref_name: 'main',
      ref_type: 'branch',
      event_name: 'push'
    });
  });
});

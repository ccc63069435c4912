import { describe, expect, it } from '@jest/globals';
import { resolveWorkflowInputs, type WorkflowFile } from './workflow-file.js';
import { matchesFilters, pushNotTriggered } from './triggers.js';

const WORKFLOW: WorkflowFile = {
  file: 'release.yml',
  name: 'release',
  jobs: {},
  on: {
    workflow_call: {
      inputs: {
        domain: { type: 'string', required: true },
        retries: { type: 'number', default: 3 },
        'dry-run': { type: 'boolean', default: false }
      }
    },
    workflow_dispatch: {
      inputs: {
        version: { type: 'string', required: true },
        channel: { type: 'choice', options: ['stable', 'beta'], default: 'stable' }
      }
    }
  }
};

describe('resolveWorkflowInputs', () => {
  it('types given values and fills defaults for workflow_call', () => {
    expect(resolveWorkflowInputs(WORKFLOW, 'workflow_call', { domain: 'acme', 'dry-run': 'true' })).toEqual({
      inputs: { domain: 'acme', retries: 3, 'dry-run': true },
      errors: []
    });
  });

  it("uses GitHub's caller errors for an undeclared and a missing required input", () => {
    expect(resolveWorkflowInputs(WORKFLOW, 'workflow_call', { domian: 'acme' }).errors).toEqual([
      'Invalid input, domian is not defined in the referenced workflow.',
      'Input domain is required, but not provided while calling.'
    ]);
  });

  it('refuses values of the wrong type', () => {
    expect(resolveWorkflowInputs(WORKFLOW, 'workflow_call', { domain: 'a', retries: 'many' }).errors).toEqual(
      ["Input retries must be a number, got 'many'."]
    );
  });

  it('checks workflow_dispatch forms: unexpected names and choices', () => {
    expect(
      resolveWorkflowInputs(WORKFLOW, 'workflow_dispatch', {
        version: '1.0.0',
        channel: 'nightly',
        extra: 'x'
      }).errors
    ).toEqual([
      'Unexpected inputs provided: ["extra"]',
      'Input channel must be one of ["stable","beta"], got \'nightly\'.'
    ]);
  });
});

describe('GitHub filter patterns', () => {
  it('match as GitHub documents them: * within a segment, ** across, ? and + on the character before, ranges, ! again', () => {
    const cases: Array<[string, string, boolean]> = [
      ['v*.*.*', 'v1.2.3', true],
      ['v*.*.*', 'v1.2', false],
      ['v*.*.*', 'v1.2.3-rc.1', true],
      ['v[0-9]+.[0-9]+.[0-9]+', 'v10.2.3', true],
      ['v[0-9]+.[0-9]+.[0-9]+', 'v1.2.3-rc.1', false],
      ['v[0-9]+.[0-9]+.[0-9]+', 'v1x2.3', false],
      ['feature/*', 'feature/x', true],
      ['feature/*', 'feature/x/y', false],
      ['feature/**', 'feature/x/y', true],
      ['v1.?', 'v1', true],
      ['v1.?', 'v1.', true],
      ['main', 'mainline', false]
    ];
    for (const [pattern, name, expected] of cases) {
      expect({ pattern, name, matched: matchesFilters(name, [pattern]) }).toEqual({
        pattern,
        name,
        matched: expected
      });
    }
    expect(matchesFilters('v1.2.3-rc.1', ['v*', '!v*-rc*'])).toBe(false);
    expect(matchesFilters('v1.2.3-rc.1', ['v*', '!v*-rc*', 'v1.2.3-rc.1'])).toBe(true);
  });

  it('decide whether a push triggers: tag and branch filters, their -ignore forms, and no filter at all', () => {
    expect(pushNotTriggered(null, 'refs/tags/anything')).toBeUndefined();
    expect(pushNotTriggered({ 'tags-ignore': ['*-rc*'] }, 'refs/tags/v1.0.0')).toBeUndefined();
    expect(pushNotTriggered({ 'tags-ignore': ['*-rc*'] }, 'refs/tags/v1.0.0-rc1')).toBe(
      'tag "v1.0.0-rc1" matches on.push.tags-ignore [*-rc*]'
    );
    expect(pushNotTriggered({ 'branches-ignore': ['dependabot/**'] }, 'refs/heads/dependabot/npm/x')).toBe(
      'branch "dependabot/npm/x" matches on.push.branches-ignore [dependabot/**]'
    );
    expect(pushNotTriggered({ branches: ['main'], tags: ['v*'] }, 'refs/tags/v2')).toBeUndefined();
  });
});

import { describe, it, expect } from '@jest/globals';
import {
  evaluateCondition,
  ExpressionSyntaxError,
  interpolate,
  type ExpressionContext
} from './expressions.js';

function context(failed = false, cancelled = false): ExpressionContext {
  return {
    contexts: {
      github: { repository: 'octo-org/octo-repo', ref_type: 'tag' },
      env: { STAGE: 'prod' },
      steps: { build: { outputs: { version: '1.2.3' }, outcome: 'failure', conclusion: 'success' } },
      inputs: { dry: true },
      runner: { os: 'Linux' },
      job: { status: failed ? 'failure' : 'success' }
    },
    status: { failed, cancelled }
  };
}

describe('interpolate', () => {
  it('replaces each ${{ }} with the value it names', () => {
    expect(interpolate('v${{ steps.build.outputs.version }} on ${{ runner.os }}', context())).toBe(
      'v1.2.3 on Linux'
    );
  });

  it('yields an empty string for unknown properties, as GitHub does', () => {
    expect(interpolate('[${{ steps.nope.outputs.x }}][${{ github.nothing }}]', context())).toBe('[][]');
  });

  it('keeps }} inside string literals', () => {
    expect(interpolate("${{ format('{0}}}', env.STAGE) }}", context())).toBe('prod}');
  });

  it('coerces booleans to text', () => {
    expect(interpolate("${{ inputs.dry }}-${{ env.STAGE == 'prod' }}", context())).toBe('true-true');
  });

  it('rejects an expression with an unknown context', () => {
    expect(() => interpolate('${{ bogus.thing }}', context())).toThrow(ExpressionSyntaxError);
  });
});

describe('evaluateCondition', () => {
  it('is success() when empty and skips once the job has failed', () => {
    expect(evaluateCondition(undefined, context())).toBe(true);
    expect(evaluateCondition(undefined, context(true))).toBe(false);
  });

  it('adds an implicit success() to expressions without a status function', () => {
    expect(evaluateCondition("env.STAGE == 'prod'", context())).toBe(true);
    expect(evaluateCondition("env.STAGE == 'prod'", context(true))).toBe(false);
  });

  it('honours always(), failure() and cancelled()', () => {
    expect(evaluateCondition('always()', context(true))).toBe(true);
    expect(evaluateCondition('failure()', context())).toBe(false);
    expect(evaluateCondition('failure()', context(true))).toBe(true);
    expect(evaluateCondition('cancelled()', context(false, true))).toBe(true);
    expect(evaluateCondition('success()', context(false, true))).toBe(false);
  });

  it('accepts ${{ }} around the condition and the logical operators', () => {
    expect(evaluateCondition("${{ github.ref_type == 'tag' && !inputs.dry }}", context())).toBe(false);
    expect(
      evaluateCondition("${{ github.ref_type != 'tag' || steps.build.outcome == 'failure' }}", context())
    ).toBe(true);
    expect(evaluateCondition("always() && steps.build.conclusion == 'success'", context(true))).toBe(true);
  });
});

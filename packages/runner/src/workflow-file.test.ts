import { describe, expect, it } from '@jest/globals';
import { resolveWorkflowInputs, type WorkflowFile } from './workflow-file.js';

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

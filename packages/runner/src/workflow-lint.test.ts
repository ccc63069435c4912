import { describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { lintWorkflowFiles } from './workflow-lint.js';

async function repository(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'workflow-lint-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content);
  }
  return root;
}

const CALLED = `name: called
on:
  workflow_call:
    inputs:
      domain: { type: string, required: true }
    outputs:
      version: { value: '\${{ jobs.pubish.outputs.version }}' }
jobs:
  report:
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ needs.publish.outputs.version }}"
  publish:
    runs-on: ubuntu-latest
    outputs:
      version: \${{ steps.publsh.outputs.version }}
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
      - uses: ./.codeartifact-actions/actions/publish-generic
        with:
          domain: \${{ inputs.domian }}
      - uses: actions/setup-node@v4
`;

describe('lintWorkflowFiles', () => {
  it('reports an undeclared input read, an unpinned action and a broken action.yml, and passes a node24 action', async () => {
    const root = await repository({
      '.github/workflows/called.yml': CALLED,
      'examples/bad.yml': 'name: bad\non: push\njobs:\n  x:\n    steps: 3\n',
      'actions/good/action.yml': "name: good\ndescription: d\nruns:\n  using: 'node24'\n  main: index.js\n",
      'actions/broken/action.yml': 'name: broken\ndescription: d\nruns:\n  using: node24\n'
    });
    try {
      const { files, problems } = await lintWorkflowFiles(root);
      expect(files).toEqual([
        '.github/workflows/called.yml',
        'examples/bad.yml',
        'actions/broken/action.yml',
        'actions/good/action.yml'
      ]);
      const byFile = (file: string) =>
        problems.filter((problem) => problem.file === file).map((p) => p.message);
      expect(byFile('.github/workflows/called.yml')).toEqual([
        "'actions/setup-node@v4' is not pinned to a full commit SHA.",
        "job 'report' reads needs.publish, but does not need it.",
        "job 'publish' reads steps.publsh, but has no step with that id.",
        'an output reads jobs.pubish, but there is no such job.',
        'inputs.domian is read but no trigger declares it.'
      ]);
      expect(byFile('examples/bad.yml').length).toBeGreaterThan(0);
      expect(byFile('actions/broken/action.yml').length).toBeGreaterThan(0);
      expect(byFile('actions/good/action.yml')).toEqual([]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

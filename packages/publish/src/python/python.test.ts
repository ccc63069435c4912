import { describe, expect, it } from '@jest/globals';
import { parseDistributionFilename, type DistributionFile } from './distributions.js';
import { filesOfHtmlPage, filesOfJsonPage } from './index-page.js';
import { PublishedFileConflict, planUpload } from './plan.js';
import { planRepositoryAccess } from './repository.js';
import { checkTagVersion, normalizePep440, samePep440Version, tagOfRef } from './version.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

function file(name: string, sha256: string): DistributionFile {
  return { name, path: `/tmp/${name}`, project: 'demo', version: '1.0', kind: 'sdist', size: 1, sha256 };
}

describe('PEP 440 versions', () => {
  it.each([
    ['v1.2.3', '1.2.3'],
    ['V01.02.03', '1.2.3'],
    ['1.2.3-RC.1', '1.2.3rc1'],
    ['1.0alpha', '1.0a0'],
    ['1.0-preview2', '1.0rc2'],
    ['1.0-1', '1.0.post1'],
    ['1.0.rev3', '1.0.post3'],
    ['1.0-dev', '1.0.dev0'],
    ['0!1.0+Ubuntu-1', '1.0+ubuntu.1'],
    ['2!1.0', '2!1.0']
  ])('normalises %s to %s', (input, normal) => {
    expect(normalizePep440(input)).toBe(normal);
  });

  it('rejects what is not a version', () => {
    expect(normalizePep440('release-candidate')).toBeUndefined();
    expect(normalizePep440('1.2.3.beta.x')).toBeUndefined();
  });

  it('treats trailing zeros as equal, and other releases as different', () => {
    expect(samePep440Version('v1.2', '1.2.0')).toBe(true);
    expect(samePep440Version('1.2.3', '1.2.4')).toBe(false);
    expect(samePep440Version('1.2.3rc1', '1.2.3')).toBe(false);
  });

  it('reads the tag of a tag ref only', () => {
    expect(tagOfRef('refs/tags/v1.2.3')).toBe('v1.2.3');
    expect(tagOfRef('refs/heads/main')).toBeUndefined();
  });

  it('says the tag, both versions and where the project version came from when they differ', () => {
    expect(() => checkTagVersion({ tag: 'v1.2.4', version: '1.2.4' }, '1.2.3', 'setup.py --version')).toThrow(
      'Tag "v1.2.4" is version 1.2.4, but the project is at 1.2.3 (setup.py --version)'
    );
    expect(() => checkTagVersion({ tag: 'v1.2', version: '1.2' }, '1.2.0', 'x')).not.toThrow();
  });
});

describe('distribution file names', () => {
  it('reads project, version and kind of wheels and sdists', () => {
    expect(parseDistributionFilename('Acme_Py.Demo-1.2.3-py3-none-any.whl')).toEqual({
      project: 'acme-py-demo',
      version: '1.2.3',
      kind: 'wheel'
    });
    expect(parseDistributionFilename('acme-legacy-1.2.3.tar.gz')).toEqual({
      project: 'acme-legacy',
      version: '1.2.3',
      kind: 'sdist'
    });
    expect(parseDistributionFilename('notes.txt')).toBeUndefined();
    expect(parseDistributionFilename('a-1.whl')).toBeUndefined();
  });
});

describe('the simple page', () => {
  it('reads file names and hashes from PEP 691 JSON', () => {
    const page = JSON.stringify({
      files: [{ filename: 'demo-1.0.tar.gz', hashes: { sha256: A.toUpperCase() } }]
    });
    expect([...filesOfJsonPage(page)]).toEqual([['demo-1.0.tar.gz', A]]);
  });

  it('reads file names and hashes from PEP 503 HTML', () => {
    const page = `<html><body><a href="https://h/simple/demo/demo-1.0.tar.gz#sha256=${A}" data-requires-python="&gt;=3.8">demo-1.0.tar.gz</a><br/></body></html>`;
    expect([...filesOfHtmlPage(page)]).toEqual([['demo-1.0.tar.gz', A]]);
  });
});

describe('planning the upload', () => {
  it('uploads new files and skips identical ones', () => {
    const plan = planUpload(
      [file('x.tar.gz', A), file('x.whl', B)],
      new Map([['x.tar.gz', A]]),
      'skip-identical'
    );
    expect(plan.upload.map((f) => f.name)).toEqual(['x.whl']);
    expect(plan.alreadyPublished.map((f) => f.name)).toEqual(['x.tar.gz']);
  });

  it('fails naming the file and both hashes when the content differs', () => {
    expect(() => planUpload([file('x.tar.gz', A)], new Map([['x.tar.gz', B]]), 'skip-identical')).toThrow(
      `x.tar.gz: the repository has sha256 ${B}, this build has ${A}`
    );
  });

  it('fails on an identical file when if-exists is fail', () => {
    expect(() => planUpload([file('x.tar.gz', A)], new Map([['x.tar.gz', A]]), 'fail')).toThrow(
      PublishedFileConflict
    );
  });
});

describe('reaching the repository', () => {
  const left = {
    CODEARTIFACT_AUTH_TOKEN: 'tok',
    TWINE_REPOSITORY_URL: 'https://acme-1.d.codeartifact.us-east-1.amazonaws.com/pypi/py',
    CODEARTIFACT_REPOSITORY: 'py'
  };

  it('uses what setup-codeartifact left when it is for the same repository and no role is given', () => {
    const plan = planRepositoryAccess(undefined, undefined, left);
    expect(plan).toEqual(
      expect.objectContaining({
        kind: 'environment',
        access: expect.objectContaining({ endpoint: `${left.TWINE_REPOSITORY_URL}/` })
      })
    );
  });

  it('calls AWS for another repository or when a role is to be assumed', () => {
    expect(planRepositoryAccess('other', undefined, left)).toEqual({ kind: 'aws', repository: 'other' });
    expect(planRepositoryAccess('py', 'arn:aws:iam::111122223333:role/ci', left)).toEqual({
      kind: 'aws',
      repository: 'py'
    });
  });

  it('names the repository input when nothing says which repository', () => {
    expect(() => planRepositoryAccess(undefined, undefined, {})).toThrow('Input "repository" is required');
  });
});

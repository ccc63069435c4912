import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpmManifest } from './manifest.js';
import { describeNpmPublishFailure, packTarball, packumentUrl, writePublishNpmrc } from './publish.js';
import { checkDistTag } from './settings.js';

const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'npm');
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npm-unit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('checkDistTag', () => {
  it('accepts names and refuses what npm refuses: version-like tags and odd characters', () => {
    for (const tag of ['latest', 'next', 'beta-2', 'release.candidate']) expect(checkDistTag(tag)).toBe(tag);
    for (const tag of ['1.2.3', 'v1', '1', '1.x', 'v2.0.0-rc.1'])
      expect(() => checkDistTag(tag)).toThrow('looks like a version');
    for (const tag of ['my tag', '-next', 'a/b', '@x'])
      expect(() => checkDistTag(tag)).toThrow('is not a dist-tag npm accepts');
  });
});

describe('readNpmManifest', () => {
  async function manifest(content: unknown) {
    await writeFile(join(dir, 'package.json'), JSON.stringify(content));
  }

  it('reads the name, version and scope', async () => {
    await manifest({ name: '@acme/widgets', version: '1.0.0' });
    expect(await readNpmManifest(dir)).toEqual({ name: '@acme/widgets', version: '1.0.0', scope: '@acme' });
    await manifest({ name: 'plain', version: '2.0.0-rc.1' });
    expect((await readNpmManifest(dir, '2.0.0-rc.1')).scope).toBeUndefined();
  });

  it('refuses private packages, bad names or versions, and a version the tag does not name', async () => {
    await manifest({ name: 'x', version: '1.0.0', private: true });
    await expect(readNpmManifest(dir)).rejects.toThrow('"private": true');
    await manifest({ name: 'Upper', version: '1.0.0' });
    await expect(readNpmManifest(dir)).rejects.toThrow('needs a "name"');
    await manifest({ name: 'x', version: 'one' });
    await expect(readNpmManifest(dir)).rejects.toThrow('needs a semver "version"');
    await manifest({ name: 'x', version: '1.0.0' });
    await expect(readNpmManifest(dir, '1.0.1')).rejects.toThrow('The tag names version 1.0.1');
    await expect(readNpmManifest(join(dir, 'nowhere'))).rejects.toThrow('Input "working-directory"');
  });
});

describe('writePublishNpmrc', () => {
  it("routes only the package's scope, keeps the user's .npmrc, holds the token as a reference, mode 0600", async () => {
    await mkdir(join(dir, 'home'));
    await writeFile(join(dir, 'home', '.npmrc'), 'fund=false\n');
    const path = await writePublishNpmrc(dir, join(dir, 'home'), 'https://h/npm/store/', '@acme');
    const text = await readFile(path, 'utf8');
    expect(text).toContain('fund=false');
    expect(text).toContain('@acme:registry=https://h/npm/store/');
    expect(text).not.toMatch(/^registry=/m);
    expect(text).toContain('//h/npm/store/:_authToken=${CODEARTIFACT_AUTH_TOKEN}');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });
});

describe('packTarball', () => {
  it('returns the tarball npm pack wrote with the sha512 integrity of its bytes', async () => {
    await mkdir(join(dir, 'pkg'));
    await writeFile(join(dir, 'pkg', 'package.json'), JSON.stringify({ name: '@acme/p', version: '0.1.0' }));
    await writeFile(join(dir, 'pkg', 'index.js'), 'module.exports = 1;\n');
    const packed = await packTarball(join(dir, 'pkg'), [], dir);
    const digest = createHash('sha512')
      .update(await readFile(packed.path))
      .digest('base64');
    expect(packed.filename).toBe('acme-p-0.1.0.tgz');
    expect(packed.integrity).toBe(`sha512-${digest}`);
  }, 30_000);
});

describe('describeNpmPublishFailure from real npm output', () => {
  it('explains 401 and the refused re-publish', async () => {
    const e401 = await readFile(join(FIXTURES, 'publish-401.txt'), 'utf8');
    const e409 = await readFile(join(FIXTURES, 'publish-409.txt'), 'utf8');
    expect(describeNpmPublishFailure(e401, '@acme/x@1.0.0', 'store')).toContain(
      '401: the CodeArtifact token was not accepted'
    );
    expect(describeNpmPublishFailure(e409, '@acme/x@1.0.0', 'store')).toContain(
      'an npm version is published once'
    );
  });

  it('escapes the scope separator in packument URLs', () => {
    expect(packumentUrl('https://h/npm/store/', '@acme/widgets')).toBe('https://h/npm/store/@acme%2fwidgets');
  });
});

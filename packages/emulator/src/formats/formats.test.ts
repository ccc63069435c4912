import { describe, it, expect } from '@jest/globals';
import { acceptedTypes, pathSegments } from './http.js';
import { artifactMetadataXml, compareMavenVersions, listedVersions, parseMavenPath } from './maven-layout.js';
import { compareSemver, distTags, npmKey, type NpmVersion } from './npm-index.js';
import { npmSegments } from './npm.js';
import { parseDistributionName } from './pypi-index.js';

describe('Maven paths', () => {
  it('refuses segments that would climb out of a folder, even when escaped', () => {
    expect(() => pathSegments('com/..%2F..%2Fetc/passwd/1/x')).toThrow('not allowed');
    expect(() => pathSegments('com/../x/1/y')).toThrow('not allowed');
    expect(pathSegments('com/example/a%20b/1.0/')).toEqual(['com', 'example', 'a b', '1.0']);
  });

  it('names group, artifact, version and file, and tells artifact metadata from SNAPSHOT metadata', () => {
    expect(parseMavenPath(['com', 'example', 'demo', '1.0', 'demo-1.0.jar.sha1'])).toEqual({
      kind: 'file',
      key: { format: 'maven', namespace: 'com.example', package: 'demo' },
      version: '1.0',
      file: 'demo-1.0.jar',
      checksum: 'sha1'
    });
    expect(parseMavenPath(['com', 'example', 'demo', 'maven-metadata.xml'])).toMatchObject({
      kind: 'artifact-metadata',
      key: { namespace: 'com.example', package: 'demo' }
    });
    expect(
      parseMavenPath(['com', 'example', 'demo', '1.0-SNAPSHOT', 'maven-metadata.xml.md5'])
    ).toMatchObject({
      kind: 'file',
      version: '1.0-SNAPSHOT',
      file: 'maven-metadata.xml',
      checksum: 'md5'
    });
  });

  it('orders versions as Maven does: numbers numerically, qualifiers and SNAPSHOTs before the release', () => {
    const sorted = ['1.10.0', '1.2.0', '1.2.0-SNAPSHOT', '1.2.0-rc1', '1.2.0-alpha', '1.2.1'].sort(
      compareMavenVersions
    );
    expect(sorted).toEqual(['1.2.0-alpha', '1.2.0-rc1', '1.2.0-SNAPSHOT', '1.2.0', '1.2.1', '1.10.0']);
  });

  it('generates metadata whose release skips SNAPSHOTs, and reads the versions of uploaded metadata', () => {
    const xml = artifactMetadataXml(
      { format: 'maven', namespace: 'g', package: 'a' },
      ['1.0', '2.0-SNAPSHOT'],
      0
    );
    expect(xml).toContain('<latest>2.0-SNAPSHOT</latest>');
    expect(xml).toContain('<release>1.0</release>');
    expect(xml).toContain('<lastUpdated>19700101000000</lastUpdated>');
    expect(listedVersions(xml)).toEqual(['1.0', '2.0-SNAPSHOT']);
  });
});

describe('npm names and versions', () => {
  it('reads escaped and unescaped scoped names alike', () => {
    expect(npmSegments('@acme%2fhello')).toEqual(['@acme', 'hello']);
    expect(npmSegments('@acme/hello/-/hello-1.0.0.tgz')).toEqual(['@acme', 'hello', '-', 'hello-1.0.0.tgz']);
    expect(npmKey('@acme/hello')).toEqual({ format: 'npm', namespace: 'acme', package: 'hello' });
  });

  it('orders prereleases before their release and defaults latest to the highest release', () => {
    expect(['1.0.0', '1.0.0-beta.2', '1.0.0-beta.10', '0.9.0'].sort(compareSemver)).toEqual([
      '0.9.0',
      '1.0.0-beta.2',
      '1.0.0-beta.10',
      '1.0.0'
    ]);
    const version = (v: string, tags: string[] = []) => ({ version: v, tags }) as unknown as NpmVersion;
    expect(distTags([version('1.0.0'), version('2.0.0-rc.1', ['next'])])).toEqual({
      latest: '1.0.0',
      next: '2.0.0-rc.1'
    });
  });
});

describe('PyPI file names and content negotiation', () => {
  it('reads project and version from wheel and sdist names', () => {
    expect(parseDistributionName('hello_world-2.0.0-py3-none-any.whl')).toEqual({
      project: 'hello_world',
      version: '2.0.0'
    });
    expect(parseDistributionName('my-lib-1.0.tar.gz')).toEqual({ project: 'my-lib', version: '1.0' });
    expect(parseDistributionName('README.md')).toBeUndefined();
  });

  it('ranks the types pip asks for by q value', () => {
    const pip =
      'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01';
    expect(acceptedTypes(pip)).toEqual([
      'application/vnd.pypi.simple.v1+json',
      'application/vnd.pypi.simple.v1+html',
      'text/html'
    ]);
    expect(acceptedTypes('text/html;q=0.5, application/vnd.pypi.simple.v1+html')[0]).toBe(
      'application/vnd.pypi.simple.v1+html'
    );
  });
});

/** Maven repository layout: what a request path names, version ordering, and maven-metadata.xml. */
import type { PackageKey } from '../contracts.js';

export const CHECKSUMS = { sha1: 'SHA-1', md5: 'MD5', sha256: 'SHA-256', sha512: 'SHA-512' } as const;
export type ChecksumExtension = keyof typeof CHECKSUMS;

export type MavenPath =
  /** A file of a version: `<groupPath>/<artifactId>/<version>/<file>` (SNAPSHOT metadata included). */
  | { kind: 'file'; key: PackageKey; version: string; file: string; checksum?: ChecksumExtension }
  /** `<groupPath>/<artifactId>/maven-metadata.xml`, generated from the published versions. */
  | { kind: 'artifact-metadata'; key: PackageKey; checksum?: ChecksumExtension };

/** What a path under the endpoint names, or undefined when it is not a Maven artifact path. */
export function parseMavenPath(segments: string[]): MavenPath | undefined {
  const last = segments[segments.length - 1] ?? '';
  const checksumMatch = /\.(sha1|md5|sha256|sha512)$/.exec(last);
  const checksum = checksumMatch?.[1] as ChecksumExtension | undefined;
  const file = checksum ? last.slice(0, -checksum.length - 1) : last;
  const count = segments.length;
  const parent = segments[count - 2] ?? '';
  const isArtifactMetadata = file === 'maven-metadata.xml' && !parent.endsWith('-SNAPSHOT');
  if (isArtifactMetadata) {
    if (count < 3) return undefined;
    const key = mavenKey(segments.slice(0, count - 2), parent);
    return { kind: 'artifact-metadata', key, checksum };
  }
  if (count < 4 || !file) return undefined;
  return {
    kind: 'file',
    key: mavenKey(segments.slice(0, count - 3), segments[count - 3] ?? ''),
    version: parent,
    file,
    checksum
  };
}

function mavenKey(groupSegments: string[], artifactId: string): PackageKey {
  return { format: 'maven', namespace: groupSegments.join('.'), package: artifactId };
}

/** The layout path of a package: `com/example/demo`. */
export function artifactPath(key: PackageKey): string {
  return [...(key.namespace ?? '').split('.'), key.package].join('/');
}

export function isSnapshot(version: string): boolean {
  return version.endsWith('-SNAPSHOT');
}

const QUALIFIERS = [
  'alpha',
  'a',
  'beta',
  'b',
  'milestone',
  'm',
  'rc',
  'cr',
  'snapshot',
  '',
  'ga',
  'final',
  'sp'
];

function qualifierRank(token: string): number {
  const rank = QUALIFIERS.indexOf(token.toLowerCase());
  return rank >= 0 ? rank : QUALIFIERS.length;
}

/** Maven's version order, simplified: numeric parts numerically, qualifiers before the release. */
export function compareMavenVersions(left: string, right: string): number {
  const a = versionTokens(left);
  const b = versionTokens(right);
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const x = a[index] ?? '';
    const y = b[index] ?? '';
    const xNumeric = /^\d+$/.test(x);
    const yNumeric = /^\d+$/.test(y);
    if (xNumeric && yNumeric) {
      const difference = Number(x) - Number(y);
      if (difference !== 0) return difference;
      continue;
    }
    if (xNumeric !== yNumeric) {
      // A missing part equals a zero; otherwise a number outranks a qualifier.
      if ((x === '' && Number(y) === 0) || (y === '' && Number(x) === 0)) continue;
      return xNumeric ? 1 : -1;
    }
    const ranked = qualifierRank(x) - qualifierRank(y);
    if (ranked !== 0) return ranked;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** `1.2.0-rc1` -> 1, 2, 0, rc, 1: Maven also splits where letters meet digits. */
function versionTokens(version: string): string[] {
  return version.split(/[.-]|(?<=\d)(?=\D)|(?<=\D)(?=\d)/).filter((token) => token !== '');
}

/** Artifact-level maven-metadata.xml for the given versions; lastUpdated is the newest publication time. */
export function artifactMetadataXml(key: PackageKey, versions: string[], lastUpdatedSeconds: number): string {
  const sorted = [...new Set(versions)].sort(compareMavenVersions);
  const latest = sorted[sorted.length - 1];
  const release = sorted.filter((version) => !isSnapshot(version)).pop();
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<metadata>',
    `  <groupId>${escapeXml(key.namespace ?? '')}</groupId>`,
    `  <artifactId>${escapeXml(key.package)}</artifactId>`,
    '  <versioning>',
    ...(latest ? [`    <latest>${escapeXml(latest)}</latest>`] : []),
    ...(release ? [`    <release>${escapeXml(release)}</release>`] : []),
    '    <versions>',
    ...sorted.map((version) => `      <version>${escapeXml(version)}</version>`),
    '    </versions>',
    `    <lastUpdated>${timestamp(lastUpdatedSeconds)}</lastUpdated>`,
    '  </versioning>',
    '</metadata>',
    ''
  ];
  return lines.join('\n');
}

/** The versions an uploaded maven-metadata.xml lists. */
export function listedVersions(xml: string): string[] {
  const block = /<versions>([\s\S]*?)<\/versions>/.exec(xml)?.[1] ?? '';
  return [...block.matchAll(/<version>\s*([^<\s]+)\s*<\/version>/g)].map((match) => match[1] as string);
}

function timestamp(seconds: number): string {
  return new Date(Math.floor(seconds) * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

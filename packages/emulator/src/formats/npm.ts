/**
 * The npm endpoint: packuments (full and abbreviated), tarballs, publish, dist-tags, scoped
 * packages, and fetch-through from upstreams.
 */
import type { FormatHandler, RepositoryContext } from '../contracts.js';
import { EndpointError, failureOf, requirePublish, sendAsset, sendJson } from './http.js';
import { distTags, listNpmVersions, npmKey, TARBALL_ASSET, type NpmVersion } from './npm-index.js';
import { changeDistTag, publishPackage } from './npm-publish.js';
import { keepCopies, mergedListing, operationName, resolveUpstream, type PackageSource } from './upstream.js';

const ABBREVIATED_TYPE = 'application/vnd.npm.install-v1+json';

// The fields npm's abbreviated metadata keeps (the registry's "corgi" documents).
const ABBREVIATED_FIELDS = [
  'name',
  'version',
  'deprecated',
  'dependencies',
  'optionalDependencies',
  'devDependencies',
  'bundleDependencies',
  'bundledDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'bin',
  'directories',
  'engines',
  'os',
  'cpu',
  '_hasShrinkwrap',
  'hasInstallScript',
  'funding',
  'license'
];

export const npmHandler: FormatHandler = async (ctx) => {
  try {
    await route(ctx);
  } catch (error) {
    const { status, message } = failureOf(error);
    ctx.log('npm', status);
    if (!ctx.res.headersSent) sendJson(ctx.res, status, { error: message });
    else ctx.res.destroy();
  }
};

/** `@scope%2fname` and `@scope/name` both name a scoped package: one path, split into decoded segments. */
export function npmSegments(subpath: string): string[] {
  return subpath
    .replace(/%2f/gi, '/')
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => {
      const decoded = decodeURIComponent(segment);
      if (decoded === '.' || decoded === '..')
        throw new EndpointError(400, 'path segments "." and ".." are not allowed');
      return decoded;
    });
}

function splitName(segments: string[]): { name: string; rest: string[] } {
  const scoped = segments[0]?.startsWith('@');
  const count = scoped ? 2 : 1;
  if (segments.length < count) throw new EndpointError(404, 'Not found');
  return { name: segments.slice(0, count).join('/'), rest: segments.slice(count) };
}

async function route(ctx: RepositoryContext): Promise<void> {
  const method = ctx.req.method ?? 'GET';
  const segments = npmSegments(ctx.subpath);
  if (segments[0] === '-') return routeSpecial(ctx, method, segments.slice(1));
  const { name, rest } = splitName(segments);
  const reading = method === 'GET' || method === 'HEAD';
  if (rest.length === 0 && reading) return servePackument(ctx, name);
  if (rest.length === 0 && method === 'PUT') {
    requirePublish(ctx);
    return publishPackage(ctx, name);
  }
  if (rest.length === 2 && rest[0] === '-' && reading) return serveTarball(ctx, name, rest[1] as string);
  if (rest.length === 1 && reading) return serveVersion(ctx, name, rest[0] as string);
  throw new EndpointError(method === 'GET' ? 404 : 405, `${method} ${ctx.subpath} is not supported`);
}

/** `-/package/<name>/dist-tags[/<tag>]`; everything else under `-/` (search, audit, whoami) is not offered. */
async function routeSpecial(ctx: RepositoryContext, method: string, segments: string[]): Promise<void> {
  if (segments[0] !== 'package') throw new EndpointError(404, `Not found: /-/${segments.join('/')}`);
  const { name, rest } = splitName(segments.slice(1));
  if (rest[0] !== 'dist-tags' || rest.length > 2) throw new EndpointError(404, 'Not found');
  if (rest.length === 1 && method === 'GET') {
    const versions = await packageVersions(ctx, name);
    sendJson(ctx.res, 200, distTags(versions));
    return;
  }
  const tag = rest[1];
  if (!tag || (method !== 'PUT' && method !== 'DELETE'))
    throw new EndpointError(405, `${method} is not supported here`);
  requirePublish(ctx);
  await changeDistTag(ctx, name, tag, method === 'PUT');
}

/** The package's versions: the repository's own, and those of its upstreams where origin controls allow. */
async function packageVersions(ctx: RepositoryContext, name: string): Promise<NpmVersion[]> {
  const versions = await mergedListing(
    ctx,
    npmKey(name),
    'npm:GetPackage',
    (source) => listNpmVersions(source, name),
    (version) => version.version
  );
  if (versions.length === 0) throw new EndpointError(404, `Not found: ${name}`);
  return versions;
}

async function servePackument(ctx: RepositoryContext, name: string): Promise<void> {
  const versions = await packageVersions(ctx, name);
  const abbreviated = (ctx.req.headers.accept ?? '').includes(ABBREVIATED_TYPE);
  const document = abbreviated
    ? abbreviatedPackument(ctx, name, versions)
    : fullPackument(ctx, name, versions);
  sendJson(ctx.res, 200, document, abbreviated ? ABBREVIATED_TYPE : 'application/json');
}

function tarballUrl(ctx: RepositoryContext, name: string, version: string): string {
  const basename = name.split('/').pop() as string;
  return `${ctx.endpoint}${name}/-/${basename}-${version}.tgz`;
}

/** A version's manifest as served here: its tarball URL points back at this repository. */
function servedManifest(ctx: RepositoryContext, name: string, version: NpmVersion): Record<string, unknown> {
  const dist = {
    ...(version.manifest.dist as Record<string, unknown>),
    tarball: tarballUrl(ctx, name, version.version)
  };
  return { ...version.manifest, name, version: version.version, _id: `${name}@${version.version}`, dist };
}

function fullPackument(ctx: RepositoryContext, name: string, versions: NpmVersion[]) {
  const times = versions.map((version) => version.publishedTime ?? 0);
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
  const newest = versions.reduce((best, version) =>
    (version.publishedTime ?? 0) >= (best.publishedTime ?? 0) ? version : best
  );
  return {
    _id: name,
    name,
    description: newest.manifest.description,
    'dist-tags': distTags(versions),
    versions: Object.fromEntries(
      versions.map((version) => [version.version, servedManifest(ctx, name, version)])
    ),
    time: {
      created: iso(Math.min(...times)),
      modified: iso(Math.max(...times)),
      ...Object.fromEntries(versions.map((version) => [version.version, iso(version.publishedTime ?? 0)]))
    }
  };
}

function abbreviatedPackument(ctx: RepositoryContext, name: string, versions: NpmVersion[]) {
  const modified = Math.max(...versions.map((version) => version.publishedTime ?? 0));
  const abbreviate = (version: NpmVersion) => {
    const served = servedManifest(ctx, name, version);
    const kept = ABBREVIATED_FIELDS.filter((field) => served[field] !== undefined).map((field) => [
      field,
      served[field]
    ]);
    return { ...Object.fromEntries(kept), dist: served.dist };
  };
  return {
    name,
    modified: new Date(modified * 1000).toISOString(),
    'dist-tags': distTags(versions),
    versions: Object.fromEntries(versions.map((version) => [version.version, abbreviate(version)]))
  };
}

async function serveVersion(ctx: RepositoryContext, name: string, wanted: string): Promise<void> {
  const versions = await packageVersions(ctx, name);
  const version = distTags(versions)[wanted] ?? wanted;
  const found = versions.find((candidate) => candidate.version === version);
  if (!found) throw new EndpointError(404, `Not found: ${name}@${wanted}`);
  sendJson(ctx.res, 200, servedManifest(ctx, name, found));
}

/** `<basename>-<version>.tgz`, served from the repository or fetched through and kept. */
async function serveTarball(ctx: RepositoryContext, name: string, file: string): Promise<void> {
  const prefix = `${name.split('/').pop()}-`;
  if (!file.startsWith(prefix) || !file.endsWith('.tgz')) throw new EndpointError(404, `Not found: ${file}`);
  const version = file.slice(prefix.length, -'.tgz'.length);
  const key = npmKey(name);
  let opened = await ctx.repository.openAsset(key, version, TARBALL_ASSET);
  if (opened) ctx.log('npm:GetTarball', 200);
  else {
    await fetchThrough(ctx, name, version);
    opened = await ctx.repository.openAsset(key, version, TARBALL_ASSET);
  }
  if (!opened) throw new EndpointError(404, `Not found: ${name}@${version}`);
  await sendAsset(ctx, opened.asset, opened.stream, 'application/octet-stream');
}

async function fetchThrough(ctx: RepositoryContext, name: string, version: string): Promise<void> {
  const probe = async (source: PackageSource) =>
    (await listNpmVersions(source, name)).find((candidate) => candidate.version === version);
  const resolution = await resolveUpstream(ctx, probe);
  if (!resolution) return;
  ctx.log(operationName('npm:GetTarball', resolution), 200);
  const found = resolution.found;
  await keepCopies(
    resolution,
    npmKey(name),
    version,
    [{ name: TARBALL_ASSET, open: () => found.open() }],
    (existing) => ({
      ...existing,
      manifest: found.manifest,
      tags: (existing?.tags as string[] | undefined) ?? []
    })
  );
}

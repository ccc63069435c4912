/**
 * The Maven endpoint: GET / HEAD / PUT of artifacts, their checksums and maven-metadata.xml, with
 * a version Unfinished until its artifact-level metadata is PUT, and fetch-through from upstreams.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { FormatHandler, PackageKey, RepositoryContext, StoredAsset } from '../contracts.js';
import {
  EndpointError,
  digest,
  failureOf,
  pathSegments,
  readBody,
  requirePublish,
  sendAsset,
  sendText
} from './http.js';
import {
  CHECKSUMS,
  artifactMetadataXml,
  artifactPath,
  isSnapshot,
  listedVersions,
  parseMavenPath,
  type ChecksumExtension,
  type MavenPath
} from './maven-layout.js';
import {
  keepCopies,
  operationName,
  publishedVersions,
  mergedListing,
  resolveUpstream,
  type PackageSource
} from './upstream.js';

type FilePath = MavenPath & { kind: 'file' };
type MetadataPath = MavenPath & { kind: 'artifact-metadata' };

export const mavenHandler: FormatHandler = async (ctx) => {
  try {
    await route(ctx);
  } catch (error) {
    const { status, message } = failureOf(error);
    ctx.log('maven', status);
    if (!ctx.res.headersSent) sendText(ctx.res, status, message);
    else ctx.res.destroy();
  }
};

async function route(ctx: RepositoryContext): Promise<void> {
  const method = ctx.req.method ?? 'GET';
  const path = parseMavenPath(pathSegments(ctx.subpath));
  if (!path) throw new EndpointError(404, 'Not Found: not a Maven artifact path');
  if (method === 'GET' || method === 'HEAD') {
    return path.kind === 'file' ? getFile(ctx, path) : getArtifactMetadata(ctx, path);
  }
  if (method === 'PUT') {
    requirePublish(ctx);
    return path.kind === 'file' ? putFile(ctx, path) : putArtifactMetadata(ctx, path);
  }
  throw new EndpointError(405, `${method} is not supported on Maven paths`);
}

async function getFile(ctx: RepositoryContext, path: FilePath): Promise<void> {
  let asset = await localAsset(ctx, path);
  if (asset) ctx.log('maven:GetFile', 200);
  else asset = await fetchThrough(ctx, path);
  if (!asset) throw new EndpointError(404, `Not Found: ${ctx.subpath}`);
  if (path.checksum) {
    sendText(ctx.res, 200, asset.hashes[CHECKSUMS[path.checksum]]);
    return;
  }
  const opened = await ctx.repository.openAsset(path.key, path.version, path.file);
  if (!opened) throw new EndpointError(404, `Not Found: ${ctx.subpath}`);
  await sendAsset(ctx, opened.asset, opened.stream, contentType(path.file));
}

async function localAsset(ctx: RepositoryContext, path: FilePath): Promise<StoredAsset | undefined> {
  const version = await ctx.repository.getVersion(path.key, path.version);
  return version?.assets.find((asset) => asset.name === path.file);
}

/** Finds the file behind the repository, keeps a copy, and returns the kept asset. */
async function fetchThrough(ctx: RepositoryContext, path: FilePath): Promise<StoredAsset | undefined> {
  const resolution = await resolveUpstream(ctx, (source) => probeFile(source, path));
  if (!resolution) return undefined;
  await keepCopies(resolution, path.key, path.version, [{ name: path.file, open: resolution.found }]);
  ctx.log(operationName('maven:GetFile', resolution), 200);
  return localAsset(ctx, path);
}

type Opener = () => Promise<Readable>;

async function probeFile(source: PackageSource, path: FilePath): Promise<Opener | undefined> {
  if (source.kind === 'repository') {
    const version = await source.store.getVersion(path.key, path.version);
    if (version?.status !== 'Published' || !version.assets.some((asset) => asset.name === path.file))
      return undefined;
    return async () => {
      const opened = await source.store.openAsset(path.key, path.version, path.file);
      if (!opened) throw new Error(`${path.file} vanished from ${source.store.name}`);
      return opened.stream;
    };
  }
  const file = join(source.folder, artifactPath(path.key), path.version, path.file);
  const info = await stat(file).catch(() => undefined);
  return info?.isFile() ? async () => createReadStream(file) : undefined;
}

async function getArtifactMetadata(ctx: RepositoryContext, path: MetadataPath): Promise<void> {
  const listing = await mergedListing(
    ctx,
    path.key,
    'maven:GetMetadata',
    async (source) => (await versionsIn(source, path.key)) ?? [],
    (version) => version.version
  );
  if (listing.length === 0) throw new EndpointError(404, `Not Found: ${ctx.subpath}`);
  const lastUpdated = Math.max(...listing.map((version) => version.updated));
  const xml = artifactMetadataXml(
    path.key,
    listing.map((version) => version.version),
    lastUpdated
  );
  if (path.checksum) sendText(ctx.res, 200, digest(checksumAlgorithm(path.checksum), xml));
  else sendText(ctx.res, 200, xml, 'text/xml');
}

interface ListedVersion {
  version: string;
  /** Epoch seconds. */
  updated: number;
}

async function versionsIn(source: PackageSource, key: PackageKey): Promise<ListedVersion[] | undefined> {
  if (source.kind === 'repository') {
    const versions = await publishedVersions(source.store, key);
    if (versions.length === 0) return undefined;
    return versions.map((version) => ({ version: version.version, updated: version.publishedTime ?? 0 }));
  }
  const folder = join(source.folder, artifactPath(key));
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  const versions: ListedVersion[] = [];
  for (const entry of entries.filter((candidate) => candidate.isDirectory())) {
    const pom = await stat(join(folder, entry.name, `${key.package}-${entry.name}.pom`)).catch(
      () => undefined
    );
    if (pom) versions.push({ version: entry.name, updated: pom.mtimeMs / 1000 });
  }
  return versions.length > 0 ? versions : undefined;
}

async function putFile(ctx: RepositoryContext, path: FilePath): Promise<void> {
  if (path.checksum) return putChecksum(ctx, path, path.checksum);
  const existing = await localAsset(ctx, path);
  await ctx.repository.putAsset(path.key, path.version, path.file, ctx.req, {
    replace: isSnapshot(path.version)
  });
  ctx.log('maven:PutFile', existing ? 200 : 201);
  sendText(ctx.res, existing ? 200 : 201, '');
}

/** A checksum is not stored: it must match the file already PUT, whose digests the store keeps. */
async function putChecksum(
  ctx: RepositoryContext,
  path: FilePath,
  checksum: ChecksumExtension
): Promise<void> {
  const claimed =
    (await readBody(ctx.req, 4096)).toString('utf8').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const asset = await localAsset(ctx, path);
  if (!asset)
    throw new EndpointError(404, `Not Found: ${path.file} has not been uploaded, so its checksum cannot be`);
  const actual = asset.hashes[CHECKSUMS[checksum]];
  if (claimed !== actual) {
    throw new EndpointError(
      400,
      `Checksum mismatch: ${path.file}.${checksum} is ${claimed}, the file's is ${actual}`
    );
  }
  sendText(ctx.res, 201, '');
}

/** Publishing the artifact-level metadata finishes the Unfinished versions it lists. */
async function putArtifactMetadata(ctx: RepositoryContext, path: MetadataPath): Promise<void> {
  const body = await readBody(ctx.req, 4 * 1024 * 1024);
  if (path.checksum) {
    // The served metadata is regenerated from the versions, so an uploaded checksum has nothing stable to match.
    sendText(ctx.res, 201, '');
    return;
  }
  for (const version of listedVersions(body.toString('utf8'))) {
    const stored = await ctx.repository.getVersion(path.key, version);
    if (stored?.status === 'Unfinished') await ctx.repository.setStatus(path.key, version, 'Published');
  }
  ctx.log('maven:PutMetadata', 201);
  sendText(ctx.res, 201, '');
}

function checksumAlgorithm(extension: ChecksumExtension): string {
  return { sha1: 'sha1', md5: 'md5', sha256: 'sha256', sha512: 'sha512' }[extension];
}

function contentType(file: string): string {
  if (file.endsWith('.pom') || file.endsWith('.xml')) return 'text/xml';
  if (file.endsWith('.jar')) return 'application/java-archive';
  return 'application/octet-stream';
}

/** npm publish (PUT of a packument with base64 attachments) and dist-tag changes. */
import { Readable } from 'node:stream';
import type { RepositoryContext } from '../contracts.js';
import { EndpointError, digest, readBody, sendJson } from './http.js';
import { listNpmVersions, npmKey, TARBALL_ASSET, type NpmVersionMetadata } from './npm-index.js';

/** npm sends the tarball base64-encoded inside JSON, so the body is read whole; this bounds it. */
const PUBLISH_BODY_LIMIT = 512 * 1024 * 1024;

interface PublishDocument {
  name?: string;
  'dist-tags'?: Record<string, string>;
  versions?: Record<string, Record<string, unknown>>;
  _attachments?: Record<string, { data?: string; length?: number }>;
}

export async function publishPackage(ctx: RepositoryContext, name: string): Promise<void> {
  const document = parseDocument(await readBody(ctx.req, PUBLISH_BODY_LIMIT));
  if (document.name !== name)
    throw new EndpointError(400, `the document names "${document.name}", the URL "${name}"`);
  const versions = Object.entries(document.versions ?? {});
  if (versions.length !== 1 || !document._attachments) {
    throw new EndpointError(400, 'a publish carries exactly one version and its tarball in _attachments');
  }
  const [version, manifest] = versions[0] as [string, Record<string, unknown>];
  const key = npmKey(name);
  if (await ctx.repository.getVersion(key, version)) {
    throw new EndpointError(403, `You cannot publish over the previously published versions: ${version}.`);
  }
  const tarball = attachmentBytes(document._attachments, version);
  checkIntegrity(manifest, tarball);
  await ctx.repository.putAsset(key, version, TARBALL_ASSET, Readable.from([tarball]), {
    expectedSha256: digest('sha256', tarball)
  });
  const { _attachments: _ignored, ...rest } = manifest;
  const metadata: NpmVersionMetadata = { manifest: rest, tags: [] };
  await ctx.repository.setMetadata(key, version, metadata as unknown as Record<string, unknown>);
  await ctx.repository.setStatus(key, version, 'Published');
  for (const [tag, tagged] of Object.entries(document['dist-tags'] ?? {})) {
    if (tagged === version) await moveTag(ctx, name, tag, version);
  }
  ctx.log('npm:Publish', 201);
  sendJson(ctx.res, 201, { ok: true, id: name });
}

function parseDocument(body: Buffer): PublishDocument {
  try {
    return JSON.parse(body.toString('utf8')) as PublishDocument;
  } catch (error) {
    throw new EndpointError(400, `the publish body is not JSON: ${(error as Error).message}`);
  }
}

function attachmentBytes(attachments: NonNullable<PublishDocument['_attachments']>, version: string): Buffer {
  const entries = Object.entries(attachments);
  const match =
    entries.find(([file]) => file.endsWith(`-${version}.tgz`)) ??
    (entries.length === 1 ? entries[0] : undefined);
  if (!match?.[1].data) throw new EndpointError(400, `no tarball for version ${version} in _attachments`);
  const bytes = Buffer.from(match[1].data, 'base64');
  if (match[1].length !== undefined && match[1].length !== bytes.length) {
    throw new EndpointError(
      400,
      `attachment ${match[0]} is ${bytes.length} bytes, its length says ${match[1].length}`
    );
  }
  return bytes;
}

/** The tarball must match the manifest's dist.integrity (sha512, SRI) and dist.shasum (sha1 hex). */
function checkIntegrity(manifest: Record<string, unknown>, tarball: Buffer): void {
  const dist = (manifest.dist ?? {}) as { integrity?: string; shasum?: string };
  if (dist.shasum && dist.shasum.toLowerCase() !== digest('sha1', tarball)) {
    throw new EndpointError(400, `shasum ${dist.shasum} does not match the attached tarball`);
  }
  const sha512 = `sha512-${digest('sha512', tarball, 'base64')}`;
  const claimed = (dist.integrity ?? '').split(/\s+/).filter((entry) => entry.startsWith('sha512-'));
  if (claimed.length > 0 && !claimed.some((entry) => entry.split('?')[0] === sha512)) {
    throw new EndpointError(400, `integrity ${dist.integrity} does not match the attached tarball`);
  }
}

/** PUT sets `tag` to the version in the JSON string body; DELETE removes the tag. */
export async function changeDistTag(
  ctx: RepositoryContext,
  name: string,
  tag: string,
  set: boolean
): Promise<void> {
  if (!set) {
    await moveTag(ctx, name, tag, undefined);
    sendJson(ctx.res, 200, { ok: true });
    return;
  }
  let version: unknown;
  try {
    version = JSON.parse((await readBody(ctx.req, 4096)).toString('utf8'));
  } catch {
    throw new EndpointError(400, 'the dist-tag body must be a JSON string naming a version');
  }
  if (typeof version !== 'string')
    throw new EndpointError(400, 'the dist-tag body must be a JSON string naming a version');
  const key = npmKey(name);
  if ((await ctx.repository.getVersion(key, version))?.status !== 'Published') {
    throw new EndpointError(404, `Not found: ${name}@${version}`);
  }
  await moveTag(ctx, name, tag, version);
  sendJson(ctx.res, 201, { ok: true });
}

/** Tags live on the versions' metadata: one version carries a tag at a time. */
async function moveTag(
  ctx: RepositoryContext,
  name: string,
  tag: string,
  target: string | undefined
): Promise<void> {
  const key = npmKey(name);
  for (const version of await listNpmVersions({ kind: 'repository', store: ctx.repository }, name)) {
    const carries = version.tags.includes(tag);
    const should = version.version === target;
    if (carries === should) continue;
    const tags = should ? [...version.tags, tag] : version.tags.filter((existing) => existing !== tag);
    const metadata: NpmVersionMetadata = { manifest: version.manifest, tags };
    await ctx.repository.setMetadata(key, version.version, metadata as unknown as Record<string, unknown>);
  }
}

/**
 * The PyPI endpoint: the simple repository API pip reads (PEP 503 HTML, PEP 691 JSON, PEP 658
 * metadata), file downloads, and twine's legacy upload at the endpoint root.
 */
import { normalizePypiName } from '@codeartifact-actions/model';
import type { FormatHandler, RepositoryContext } from '../contracts.js';
import {
  EndpointError,
  acceptedTypes,
  digest,
  failureOf,
  pathSegments,
  sendAsset,
  sendText
} from './http.js';
import {
  listProjectFiles,
  mergeVersionMetadata,
  pypiKey,
  type PypiFile,
  type PypiVersionMetadata
} from './pypi-index.js';
import { handleUpload } from './pypi-upload.js';
import {
  keepCopies,
  operationName,
  mergedListing,
  resolveUpstream,
  type PackageSource,
  type Resolution
} from './upstream.js';

const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';
const HTML_TYPE = 'application/vnd.pypi.simple.v1+html';

export const pypiHandler: FormatHandler = async (ctx) => {
  try {
    await route(ctx);
  } catch (error) {
    const { status, message } = failureOf(error);
    ctx.log('pypi', status);
    if (!ctx.res.headersSent) sendText(ctx.res, status, message);
    else ctx.res.destroy();
  }
};

async function route(ctx: RepositoryContext): Promise<void> {
  const method = ctx.req.method ?? 'GET';
  const segments = pathSegments(ctx.subpath);
  if (method === 'POST' && (segments.length === 0 || (segments.length === 1 && segments[0] === ''))) {
    return handleUpload(ctx);
  }
  if (method !== 'GET' && method !== 'HEAD') throw new EndpointError(405, `${method} is not supported here`);
  if (segments[0] !== 'simple' || segments.length < 2) {
    throw new EndpointError(404, 'Not Found: the index is served per project under simple/<project>/');
  }
  const project = segments[1] as string;
  if (segments.length === 2) return serveProjectPage(ctx, project);
  if (segments.length === 3) return serveFile(ctx, project, segments[2] as string);
  throw new EndpointError(404, 'Not Found');
}

/** The project's files: the repository's own, and those of its upstreams where origin controls allow. */
async function projectFiles(ctx: RepositoryContext, project: string): Promise<PypiFile[]> {
  return mergedListing(
    ctx,
    pypiKey(project),
    'pypi:ListFiles',
    (source) => listProjectFiles(source, project),
    (file) => file.filename
  );
}

async function serveProjectPage(ctx: RepositoryContext, project: string): Promise<void> {
  const normalized = normalizePypiName(project);
  if (project !== normalized || !ctx.subpath.endsWith('/')) {
    ctx.res.writeHead(301, { location: `${ctx.endpoint}simple/${normalized}/` });
    ctx.res.end();
    return;
  }
  const files = await projectFiles(ctx, normalized);
  if (files.length === 0) throw new EndpointError(404, `Not Found: no project named ${normalized}`);
  const fileUrl = (file: PypiFile) =>
    `${ctx.endpoint}simple/${normalized}/${encodeURIComponent(file.filename)}`;
  const type = negotiate(ctx.req.headers.accept);
  const body =
    type === JSON_TYPE ? jsonPage(normalized, files, fileUrl) : htmlPage(normalized, files, fileUrl);
  sendText(ctx.res, 200, body, type === JSON_TYPE ? JSON_TYPE : `${type}; charset=utf-8`);
}

/** Picks the page format the way PEP 691 describes: the client's most preferred type we serve. */
function negotiate(accept: string | undefined): string {
  for (const type of acceptedTypes(accept)) {
    if (type === JSON_TYPE || type === 'application/vnd.pypi.simple.latest+json') return JSON_TYPE;
    if (type === HTML_TYPE || type === 'application/vnd.pypi.simple.latest+html') return HTML_TYPE;
    if (type === 'text/html' || type === '*/*') return 'text/html';
  }
  return 'text/html';
}

function jsonPage(project: string, files: PypiFile[], fileUrl: (file: PypiFile) => string): string {
  return JSON.stringify({
    meta: { 'api-version': '1.0' },
    name: project,
    files: files.map((file) => {
      const metadataHash = file.coreMetadata === undefined ? false : { sha256: metadataSha256(file) };
      return {
        filename: file.filename,
        url: fileUrl(file),
        hashes: { sha256: file.sha256 },
        ...(file.requiresPython ? { 'requires-python': file.requiresPython } : {}),
        'core-metadata': metadataHash,
        // PEP 714: the old key crashed pip 23.0, so JSON carries it only under this name, as PyPI does.
        'data-dist-info-metadata': metadataHash,
        yanked: false
      };
    })
  });
}

function htmlPage(project: string, files: PypiFile[], fileUrl: (file: PypiFile) => string): string {
  const links = files.map((file) => {
    const attributes = [`href="${escapeHtml(`${fileUrl(file)}#sha256=${file.sha256}`)}"`];
    if (file.requiresPython) attributes.push(`data-requires-python="${escapeHtml(file.requiresPython)}"`);
    if (file.coreMetadata !== undefined) {
      const hash = `sha256=${metadataSha256(file)}`;
      attributes.push(`data-dist-info-metadata="${hash}"`, `data-core-metadata="${hash}"`);
    }
    return `    <a ${attributes.join(' ')}>${escapeHtml(file.filename)}</a><br/>`;
  });
  const title = `Links for ${escapeHtml(project)}`;
  return `<!DOCTYPE html>\n<html>\n  <head>\n    <meta name="pypi:repository-version" content="1.0">\n    <title>${title}</title>\n  </head>\n  <body>\n    <h1>${title}</h1>\n${links.join('\n')}\n  </body>\n</html>\n`;
}

function metadataSha256(file: PypiFile): string {
  return digest('sha256', file.coreMetadata ?? '');
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Serves `<file>` or its PEP 658 `<file>.metadata`, fetching and keeping the file when it is upstream. */
async function serveFile(ctx: RepositoryContext, project: string, filename: string): Promise<void> {
  const wantsMetadata = filename.endsWith('.metadata');
  const distribution = wantsMetadata ? filename.slice(0, -'.metadata'.length) : filename;
  const key = pypiKey(project);
  const local = await findFile({ kind: 'repository', store: ctx.repository }, project, distribution);
  if (local) {
    ctx.log(wantsMetadata ? 'pypi:GetMetadata' : 'pypi:GetFile', 200);
    return sendFile(ctx, local, key.package, wantsMetadata);
  }
  const resolution = await resolveUpstream(ctx, (source) => findFile(source, project, distribution));
  if (!resolution) throw new EndpointError(404, `Not Found: ${filename}`);
  ctx.log(operationName(wantsMetadata ? 'pypi:GetMetadata' : 'pypi:GetFile', resolution), 200);
  if (wantsMetadata) return sendFile(ctx, resolution.found, key.package, true);
  await keepFile(resolution, project);
  const kept = await findFile({ kind: 'repository', store: ctx.repository }, project, distribution);
  if (!kept) throw new EndpointError(500, `${distribution} was fetched but not kept`);
  await sendFile(ctx, kept, key.package, false);
}

async function findFile(
  source: PackageSource,
  project: string,
  filename: string
): Promise<PypiFile | undefined> {
  const files = await listProjectFiles(source, project);
  return files.find((file) => file.filename === filename);
}

async function sendFile(ctx: RepositoryContext, file: PypiFile, project: string, metadata: boolean) {
  if (metadata) {
    if (file.coreMetadata === undefined)
      throw new EndpointError(404, `Not Found: no metadata for ${file.filename}`);
    sendText(ctx.res, 200, file.coreMetadata, 'binary/octet-stream');
    return;
  }
  const opened = await ctx.repository.openAsset(pypiKey(project), file.version, file.filename);
  if (!opened) throw new EndpointError(404, `Not Found: ${file.filename}`);
  await sendAsset(ctx, opened.asset, opened.stream);
}

async function keepFile(resolution: Resolution<PypiFile>, project: string) {
  const file = resolution.found;
  await keepCopies(
    resolution,
    pypiKey(project),
    file.version,
    [{ name: file.filename, open: () => file.open() }],
    (existing) => mergeVersionMetadata(existing as PypiVersionMetadata | undefined, file)
  );
}

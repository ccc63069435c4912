/** twine's upload: the legacy multipart API at the endpoint root, spooled to disk while its digests are computed. */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { normalizePypiName } from '@codeartifact-actions/model';
import type { RepositoryContext } from '../contracts.js';
// node:crypto has only the 64-byte BLAKE2b; twine sends the 32-byte one.
import { blake2b } from '@noble/hashes/blake2.js';
import { EndpointError, requirePublish, sendText } from './http.js';
import {
  mergeVersionMetadata,
  parseDistributionName,
  pypiKey,
  wheelMetadata,
  type PypiVersionMetadata
} from './pypi-index.js';

/** Wheels larger than this are stored without extracting METADATA (it would mean reading them whole). */
const METADATA_SCAN_LIMIT = 64 * 1024 * 1024;

interface SpooledFile {
  filename: string;
  path: string;
  digests: { sha256: string; md5: string; blake2_256: string };
}

interface UploadForm {
  fields: Map<string, string>;
  file?: SpooledFile;
}

export async function handleUpload(ctx: RepositoryContext): Promise<void> {
  requirePublish(ctx);
  const spool = await mkdtemp(join(tmpdir(), 'codeartifact-upload-'));
  try {
    const form = await readForm(ctx, spool);
    await storeUpload(ctx, form);
  } finally {
    await rm(spool, { recursive: true, force: true });
  }
}

function readForm(ctx: RepositoryContext, spool: string): Promise<UploadForm> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: ctx.req.headers, limits: { fieldSize: 8 * 1024 * 1024 } });
    } catch (error) {
      reject(new EndpointError(400, `expected a multipart/form-data upload: ${(error as Error).message}`));
      return;
    }
    const form: UploadForm = { fields: new Map() };
    const spooling: Promise<void>[] = [];
    parser.on('field', (name, value) => form.fields.set(name, value));
    parser.on('file', (name, stream, info) => {
      if (name !== 'content' || form.file) {
        stream.resume();
        return;
      }
      const filename = info.filename ?? '';
      spooling.push(
        spoolFile(stream, join(spool, 'content')).then((digests) => {
          form.file = { filename, path: join(spool, 'content'), digests };
        })
      );
    });
    parser.on('error', (error) =>
      reject(new EndpointError(400, `malformed upload: ${(error as Error).message}`))
    );
    parser.on('close', () => Promise.all(spooling).then(() => resolve(form), reject));
    ctx.req.pipe(parser);
  });
}

async function spoolFile(stream: Readable, path: string): Promise<SpooledFile['digests']> {
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  const blake2 = blake2b.create({ dkLen: 32 });
  stream.on('data', (chunk: Buffer) => {
    sha256.update(chunk);
    md5.update(chunk);
    blake2.update(chunk);
  });
  await pipeline(stream, createWriteStream(path));
  return {
    sha256: sha256.digest('hex'),
    md5: md5.digest('hex'),
    blake2_256: Buffer.from(blake2.digest()).toString('hex')
  };
}

async function storeUpload(ctx: RepositoryContext, form: UploadForm): Promise<void> {
  const { fields, file } = form;
  const action = fields.get(':action');
  if (action !== 'file_upload') throw new EndpointError(400, `unsupported :action "${action ?? ''}"`);
  const name = fields.get('name');
  const version = fields.get('version');
  if (!name || !version) throw new EndpointError(400, 'the upload lacks its "name" or "version" field');
  if (!file || !file.filename) throw new EndpointError(400, 'the upload lacks its "content" file');
  checkFilename(file.filename, name);
  checkDigests(fields, file.digests);
  const key = pypiKey(name);
  await ctx.repository.putAsset(key, version, file.filename, createReadStream(file.path), {
    expectedSha256: file.digests.sha256
  });
  const coreMetadata = await extractMetadata(file);
  const existing = (await ctx.repository.getVersion(key, version))?.metadata as
    PypiVersionMetadata | undefined;
  const merged = mergeVersionMetadata(existing, {
    filename: file.filename,
    version,
    sha256: file.digests.sha256,
    requiresPython: fields.get('requires_python') || undefined,
    coreMetadata
  });
  await ctx.repository.setMetadata(key, version, merged);
  await ctx.repository.setStatus(key, version, 'Published');
  ctx.log('pypi:UploadFile', 200);
  sendText(ctx.res, 200, 'OK');
}

function checkFilename(filename: string, name: string): void {
  const parsed = parseDistributionName(filename);
  if (!parsed || normalizePypiName(parsed.project) !== normalizePypiName(name)) {
    throw new EndpointError(400, `file name "${filename}" is not a distribution of project "${name}"`);
  }
}

function checkDigests(fields: Map<string, string>, computed: SpooledFile['digests']): void {
  const supplied: [string, string][] = [
    ['sha256_digest', computed.sha256],
    ['md5_digest', computed.md5],
    ['blake2_256_digest', computed.blake2_256]
  ];
  for (const [field, actual] of supplied) {
    const claimed = fields.get(field)?.trim().toLowerCase();
    if (claimed && claimed !== actual) {
      throw new EndpointError(
        400,
        `The ${field} supplied does not match the uploaded file (computed ${actual}).`
      );
    }
  }
}

async function extractMetadata(file: SpooledFile): Promise<string | undefined> {
  if (!file.filename.endsWith('.whl')) return undefined;
  if ((await stat(file.path)).size > METADATA_SCAN_LIMIT) return undefined;
  return wheelMetadata(await readFile(file.path));
}

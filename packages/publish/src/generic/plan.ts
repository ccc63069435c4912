import { ConfigurationError } from '@codeartifact-actions/kit';
import { GENERIC_MAX_ASSETS, checkAssetName } from '@codeartifact-actions/model';
import { mkdtemp } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { archiveTimestamp, writeReproducibleArchive } from './archive.js';
import { digestFile } from './hash.js';
import type { LocalAsset } from './publish.js';
import { collectSources, filesOf, type SourceEntry } from './sources.js';

export interface AssetPlanInput {
  paths: readonly string[];
  archive: 'tar.gz' | 'none';
  assetName?: string;
  compressionLevel: number;
}

/**
 * Checks what `path` names and turns it into assets, without touching the network: one reproducible
 * .tar.gz (written under `tempDir`), or each file as itself. Names are checked against the model's rules.
 */
export async function prepareAssets(
  input: AssetPlanInput,
  workspace: string,
  tempDir: string,
  env: NodeJS.ProcessEnv = process.env
): Promise<LocalAsset[]> {
  const entries = await collectSources(input.paths, workspace);
  if (input.archive === 'tar.gz') return [await archiveAsset(entries, input, workspace, tempDir, env)];
  return rawAssets(filesOf(entries), input.assetName);
}

async function archiveAsset(
  entries: SourceEntry[],
  input: AssetPlanInput,
  workspace: string,
  tempDir: string,
  env: NodeJS.ProcessEnv
): Promise<LocalAsset> {
  const name = input.assetName ?? 'archive.tar.gz';
  const folder = await mkdtemp(join(tempDir, 'publish-generic-'));
  const file = join(folder, name);
  const mtime = await archiveTimestamp(env, workspace);
  const digest = await writeReproducibleArchive(entries, {
    workspace,
    file,
    mtime,
    level: input.compressionLevel
  });
  return { name, file, ...digest };
}

async function rawAssets(files: SourceEntry[], assetName: string | undefined): Promise<LocalAsset[]> {
  if (assetName !== undefined && files.length !== 1) {
    throw new ConfigurationError(
      `Input "asset-name" renames a single file, but "path" gives ${files.length} files with archive: none.`
    );
  }
  if (files.length > GENERIC_MAX_ASSETS) {
    throw new ConfigurationError(
      `Input "path" gives ${files.length} files; a generic version holds at most ${GENERIC_MAX_ASSETS} assets. Use archive: tar.gz.`
    );
  }
  const seen = new Map<string, string>();
  const assets: LocalAsset[] = [];
  for (const file of files) {
    const name = assetName ?? basename(file.absolute);
    const problem = checkAssetName(name);
    if (problem) throw new ConfigurationError(`Input "path": ${file.name} cannot be an asset: ${problem}.`);
    const other = seen.get(name);
    if (other) {
      throw new ConfigurationError(
        `Input "path": ${other} and ${file.name} would both be asset "${name}"; asset names must differ.`
      );
    }
    seen.set(name, file.name);
    assets.push({ name, file: file.absolute, ...(await digestFile(file.absolute)) });
  }
  return assets;
}

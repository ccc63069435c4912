import * as core from '@actions/core';
import { createCodeArtifactClient, readAwsAuthInputs, resolveAwsSession } from '@codeartifact-actions/aws';
import {
  describeGenericFailure,
  assetTableRows,
  downloadGenericAssets,
  extractArchiveSafely,
  isTarGz,
  readDownloadGenericSettings,
  resolveLatestVersion,
  type DownloadedAsset,
  type GenericPackageRef
} from '@codeartifact-actions/publish/generic';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';

/** Reads and checks every input, downloads and verifies the assets, extracts when asked, reports. */
export async function run(): Promise<void> {
  let ref: Partial<GenericPackageRef> & { version?: string } = {};
  try {
    const auth = readAwsAuthInputs();
    const settings = readDownloadGenericSettings();
    ref = { ...settings, domain: auth.domain, domainOwner: auth.domainOwner };
    const directory = resolve(process.env.GITHUB_WORKSPACE || process.cwd(), settings.path);

    const client = createCodeArtifactClient(await resolveAwsSession(auth));
    const target = ref as GenericPackageRef;
    const version =
      settings.version === 'latest' ? await resolveLatestVersion(client, target) : settings.version;
    ref.version = version;
    const downloaded = await downloadGenericAssets(client, target, version, {
      assets: settings.assets,
      directory,
      log: (message) => core.info(message)
    });
    const files = settings.extract ? await extractAll(downloaded, directory) : downloaded.map((d) => d.file);
    core.info(
      `${downloaded.length} asset(s) of ${target.namespace}/${target.package}@${version} verified into ${directory}.`
    );
    core.setOutput('path', directory);
    core.setOutput('files', JSON.stringify(files));
    core.setOutput('version', version);
    await core.summary
      .addHeading(`Downloaded ${target.namespace}/${target.package}@${version}`, 3)
      .addTable(assetTableRows(downloaded))
      .write();
  } catch (error) {
    core.setFailed(describeGenericFailure(error, ref));
  }
}

/** Unpacks every tar.gz asset into the folder and removes the archive; other assets stay as they are. */
async function extractAll(downloaded: readonly DownloadedAsset[], directory: string): Promise<string[]> {
  const files: string[] = [];
  for (const asset of downloaded) {
    if (!isTarGz(asset.name)) {
      files.push(asset.file);
      continue;
    }
    const extracted = await extractArchiveSafely(asset.file, directory, asset.name);
    core.info(`${asset.name}: extracted ${extracted.length} file(s).`);
    await rm(asset.file, { force: true });
    files.push(...extracted.filter((f) => f !== asset.file));
  }
  return files;
}

await run();

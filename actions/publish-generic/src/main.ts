import * as core from '@actions/core';
import { createCodeArtifactClient, readAwsAuthInputs, resolveAwsSession } from '@codeartifact-actions/aws';
import {
  describeGenericFailure,
  assetTableRows,
  assetsJson,
  describeOutcome,
  prepareAssets,
  publishGenericVersion,
  readPublishGenericSettings,
  type GenericPackageRef
} from '@codeartifact-actions/publish/generic';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Reads and checks every input, builds the assets, publishes, verifies, reports. */
export async function run(): Promise<void> {
  let ref: Partial<GenericPackageRef> & { version?: string } = {};
  const scratch = await mkdtemp(join(process.env.RUNNER_TEMP || tmpdir(), 'publish-generic-'));
  try {
    const auth = readAwsAuthInputs();
    const settings = readPublishGenericSettings();
    ref = { ...settings, domain: auth.domain, domainOwner: auth.domainOwner };
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    const assets = settings.paths.length === 0 ? [] : await prepareAssets(settings, workspace, scratch);
    for (const a of assets) core.info(`${a.name}: ${a.size} bytes, sha256 ${a.sha256}`);

    const client = createCodeArtifactClient(await resolveAwsSession(auth));
    const target = ref as GenericPackageRef;
    const outcome = await publishGenericVersion(client, target, settings.version, assets, {
      mode: settings.mode,
      ifExists: settings.ifExists,
      log: (message) => core.info(message)
    });
    const where = `${target.namespace}/${target.package}@${settings.version}`;
    const headline = describeOutcome(where, outcome);
    core.info(headline);
    core.setOutput('version', outcome.version);
    core.setOutput('status', outcome.status);
    core.setOutput('revision', outcome.revision ?? '');
    core.setOutput('assets', assetsJson(outcome.assets));
    await core.summary
      .addHeading(`Generic package ${where}`, 3)
      .addRaw(headline, true)
      .addTable(assetTableRows(outcome.assets, outcome))
      .write();
  } catch (error) {
    core.setFailed(describeGenericFailure(error, ref));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

await run();

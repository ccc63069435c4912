import * as core from '@actions/core';
import { readAwsAuthInputs } from '@codeartifact-actions/aws';
import { errorMessage } from '@codeartifact-actions/kit';
import {
  npmSummaryRows,
  openRepositoryAccess,
  publishNpm,
  readNpmManifest,
  readPublishNpmSettings
} from '@codeartifact-actions/publish/npm';
import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Reads every input and package.json, checks the tag, then publishes (or skips identical contents) and reports. */
export async function run(): Promise<void> {
  const scratch = await mkdtemp(join(process.env.RUNNER_TEMP || tmpdir(), 'publish-npm-'));
  try {
    const auth = readAwsAuthInputs();
    const settings = readPublishNpmSettings();
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    const manifest = await readNpmManifest(
      resolve(workspace, settings.workingDirectory),
      settings.expectedVersion
    );
    core.info(`Package ${manifest.name}@${manifest.version}, dist-tag ${settings.tag}`);

    const access = await openRepositoryAccess(auth, settings.repository, 'npm');
    try {
      const outcome = await publishNpm(access, settings, manifest, {
        workspace,
        home: process.env.HOME || homedir(),
        tempDir: scratch,
        log: (message) => core.info(message)
      });
      core.setOutput('name', outcome.name);
      core.setOutput('version', outcome.version);
      core.setOutput('integrity', outcome.integrity);
      core.setOutput('tarball', outcome.tarball);
      core.setOutput('status', outcome.status);
      const headline = `${outcome.name}@${outcome.version}: ${outcome.status} (repository ${access.repository})`;
      core.info(headline);
      await core.summary
        .addHeading(`npm ${outcome.name}@${outcome.version}`, 3)
        .addRaw(headline, true)
        .addTable(npmSummaryRows(outcome, settings, access.repository))
        .write();
    } finally {
      access.client.destroy();
    }
  } catch (error) {
    core.setFailed(errorMessage(error));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

await run();

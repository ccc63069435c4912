import * as core from '@actions/core';
import { readAwsAuthInputs } from '@codeartifact-actions/aws';
import { errorMessage } from '@codeartifact-actions/kit';
import {
  coordinatesLabel,
  mavenSummaryRows,
  openRepositoryAccess,
  publishMaven,
  readPublishMavenSettings,
  resolveMavenTarget
} from '@codeartifact-actions/publish/maven';
import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** Reads every input and the POM, checks the tag, then deploys (or skips a release already there) and reports. */
export async function run(): Promise<void> {
  const scratch = await mkdtemp(join(process.env.RUNNER_TEMP || tmpdir(), 'publish-maven-'));
  try {
    const auth = readAwsAuthInputs();
    const settings = readPublishMavenSettings();
    const target = await resolveMavenTarget(settings, process.env.GITHUB_WORKSPACE || process.cwd());
    core.info(
      `${target.mode === 'deploy-file' ? 'Prebuilt artifact' : 'Project'} ${coordinatesLabel(target.coordinates)}`
    );
    if (target.deployed.length > 1) {
      core.info(
        `The deploy publishes ${target.deployed.length} projects: ${target.deployed.map(coordinatesLabel).join(', ')}`
      );
    }

    const access = await openRepositoryAccess(auth, settings.repository, 'maven');
    try {
      const outcome = await publishMaven(access, settings, target, {
        home: process.env.HOME || homedir(),
        tempDir: scratch,
        log: (message) => core.info(message)
      });
      const { coordinates } = outcome;
      core.setOutput('group-id', coordinates.groupId);
      core.setOutput('artifact-id', coordinates.artifactId);
      core.setOutput('version', coordinates.version);
      core.setOutput('status', outcome.status);
      core.setOutput(
        'projects',
        JSON.stringify(
          outcome.modules.map(({ coordinates: c, previousStatus }) => ({ ...c, previousStatus }))
        )
      );
      const headline = `${coordinatesLabel(coordinates)}: ${outcome.status} (repository ${access.repository})`;
      core.info(headline);
      await core.summary
        .addHeading(`Maven ${coordinatesLabel(coordinates)}`, 3)
        .addRaw(headline, true)
        .addTable(mavenSummaryRows(outcome, access))
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

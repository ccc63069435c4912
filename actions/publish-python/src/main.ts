import * as core from '@actions/core';
import { readAwsAuthInputs } from '@codeartifact-actions/aws';
import { errorMessage, getOptionalInput } from '@codeartifact-actions/kit';
import * as python from '@codeartifact-actions/publish/python';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Reads and checks every input, builds (or collects), checks, uploads what is new, reports. */
export async function run(): Promise<void> {
  const tempRoot = await mkdtemp(join(process.env.RUNNER_TEMP || tmpdir(), 'publish-python-'));
  try {
    const settings = python.readPublishPythonSettings();
    const plan = python.planRepositoryAccess(settings.repository, getOptionalInput('role-to-assume'));
    const auth = plan.kind === 'aws' ? readAwsAuthInputs() : undefined;
    const access = () =>
      plan.kind === 'environment'
        ? Promise.resolve(plan.access)
        : python.fetchPypiRepositoryAccess(auth!, plan.repository);

    const release = await python.prepareRelease(settings, tempRoot);
    if (settings.printHash)
      for (const f of release.files) core.info(`${f.sha256}  ${f.name} (${f.size} bytes)`);
    const result = await python.publishRelease(release, settings, access, tempRoot);

    const headline = python.describeUpload(result.project, result.version, result.plan);
    core.info(headline);
    core.setOutput('version', result.version);
    core.setOutput('files', python.distributionsJson(result.files));
    core.setOutput('index-url', result.indexUrl);
    await core.summary
      .addHeading(`Python package ${result.project} ${result.version}`, 3)
      .addRaw(headline, true)
      .addTable(python.distributionTableRows(result.plan))
      .write();
  } catch (error) {
    core.setFailed(errorMessage(error));
  } finally {
    await rm(tempRoot, { recursive: true, force: true });
  }
}

await run();

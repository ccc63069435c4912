/** The publish-python flow: find Python, check the version, build or collect, check, compare, upload, verify. */
import * as core from '@actions/core';
import { buildDistributions } from './build.js';
import { readPrebuiltDistributions, type DistributionFile } from './distributions.js';
import { readPublishedFiles } from './index-page.js';
import { findPythonInterpreter, type PythonInterpreter } from './interpreter.js';
import { planUpload, type UploadPlan } from './plan.js';
import { inspectPythonProject } from './project.js';
import type { PypiRepositoryAccess } from './repository.js';
import type { PublishPythonSettings } from './settings.js';
import { checkDistributions, resolveTwine, uploadDistributions } from './twine.js';
import { checkTagVersion } from './version.js';

/** The files of one release, ready to upload, and the interpreter that made them. */
export interface PreparedRelease {
  python: PythonInterpreter;
  /** PEP 503-normalised project name. */
  project: string;
  version: string;
  files: DistributionFile[];
}

/** What was published. */
export interface PythonPublishResult extends PreparedRelease {
  plan: UploadPlan;
  /** `<endpoint>simple/`, without credentials. */
  indexUrl: string;
}

/**
 * Finds the interpreter, checks the tag against the project's version (before building when the project's
 * files tell it), then builds into a clean folder, or reads packages-dir with build: false.
 */
export async function prepareRelease(
  settings: PublishPythonSettings,
  tempRoot: string
): Promise<PreparedRelease> {
  const python = await findPythonInterpreter(settings.python, settings.workingDirectory);
  core.info(`Python ${python.version} at ${python.executable}`);
  let files: DistributionFile[];
  if (settings.build) {
    const project = await inspectPythonProject(settings.workingDirectory, python);
    if (settings.expectedVersion && project.version) {
      checkTagVersion(settings.expectedVersion, project.version.value, project.version.source);
      core.info(
        `Version ${project.version.value} (${project.version.source}) matches tag ${settings.expectedVersion.tag}.`
      );
    } else if (settings.expectedVersion) {
      core.info(
        'The version is only known once built; the tag is checked against the built files before uploading.'
      );
    }
    files = await buildDistributions(project, python, settings, settings.packagesDir, tempRoot);
  } else {
    files = await readPrebuiltDistributions(settings.packagesDir);
  }
  const first = files[0] as DistributionFile;
  if (settings.expectedVersion)
    checkTagVersion(
      settings.expectedVersion,
      first.version,
      `the files ${files.map((f) => f.name).join(', ')}`
    );
  return { python, project: first.project, version: first.version, files };
}

/**
 * twine check (verify-metadata), then compares with the repository's simple page: identical files are skipped,
 * different ones fail before anything is uploaded; the rest go up with twine and are read back.
 */
export async function publishRelease(
  release: PreparedRelease,
  settings: PublishPythonSettings,
  repositoryAccess: () => Promise<PypiRepositoryAccess>,
  tempRoot: string
): Promise<PythonPublishResult> {
  const twine = await resolveTwine(release.python, tempRoot);
  core.info(`twine from ${twine.origin}`);
  // The AWS calls do not depend on the metadata check: they run while twine checks. A check that
  // fails still fails first, and nothing is uploaded either way before both are done.
  const pendingAccess = repositoryAccess();
  pendingAccess.catch(() => undefined);
  if (settings.verifyMetadata) await checkDistributions(twine, release.files);
  const access = await pendingAccess;
  core.info(`Repository ${access.endpoint} (${access.source})`);
  const published = await readPublishedFiles(access.endpoint, release.project, access.token);
  core.info(
    published.size === 0
      ? `${release.project} is new in the repository.`
      : `The repository holds ${published.size} file(s) of ${release.project}.`
  );
  const plan = planUpload(release.files, published, settings.ifExists);
  for (const file of plan.alreadyPublished)
    core.info(`${file.name} is already published, identical: skipped.`);
  if (plan.upload.length > 0) {
    await uploadDistributions(twine, access.endpoint, access.token, plan.upload);
    await verifyUploaded(access, release.project, plan.upload);
  }
  return { ...release, plan, indexUrl: `${access.endpoint}simple/` };
}

async function verifyUploaded(
  access: PypiRepositoryAccess,
  project: string,
  files: DistributionFile[],
  attempts = 5
): Promise<void> {
  let missing: DistributionFile[] = files;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const after = await readPublishedFiles(access.endpoint, project, access.token);
    missing = files.filter((f) => after.get(f.name) !== f.sha256);
    if (missing.length === 0) return;
    // A repository may list a fresh upload a moment later; wait a little before calling it lost.
    if (attempt < attempts) await new Promise((done) => setTimeout(done, 1000 * attempt));
  }
  throw new Error(
    `twine reported success, but ${access.endpoint}simple/${project}/ does not list ${missing.map((f) => `${f.name} (sha256 ${f.sha256})`).join(', ')}.`
  );
}

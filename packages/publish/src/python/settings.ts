import {
  ConfigurationError,
  checkNamedInput,
  getBooleanInput,
  getChoiceInput,
  getListInput,
  getOptionalInput
} from '@codeartifact-actions/kit';
import { REPOSITORY } from '@codeartifact-actions/model';
import { isAbsolute, resolve } from 'node:path';
import { normalizePep440, tagOfRef } from './version.js';

/** The version the release tag names, which the built version must equal. */
export interface ExpectedVersion {
  tag: string;
  /** The tag's version in PEP 440's normal form. */
  version: string;
}

/** Everything publish-python needs besides AWS access, validated before any network call. */
export interface PublishPythonSettings {
  /** The project folder, absolute. */
  workingDirectory: string;
  /** The interpreter the user named; undefined means python3, else python, from PATH. */
  python?: string;
  build: boolean;
  /** Where the distributions end up (or are read from with build: false), absolute. */
  packagesDir: string;
  sdist: boolean;
  wheel: boolean;
  buildArgs: string[];
  verifyMetadata: boolean;
  ifExists: 'skip-identical' | 'fail';
  /** Set when the version check applies (by default, on tag refs). */
  expectedVersion?: ExpectedVersion;
  printHash: boolean;
  /** The repository input, or CODEARTIFACT_REPOSITORY; undefined when neither is set. */
  repository?: string;
}

/** Reads and checks every publish-python input except the AWS ones. */
export function readPublishPythonSettings(env: NodeJS.ProcessEnv = process.env): PublishPythonSettings {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const workingDirectory = resolve(workspace, getOptionalInput('working-directory') ?? '.');
  const packagesDir = resolve(workingDirectory, getOptionalInput('packages-dir') ?? 'dist');
  const build = getBooleanInput('build', true);
  const sdist = getBooleanInput('sdist', true);
  const wheel = getBooleanInput('wheel', true);
  if (build && !sdist && !wheel) {
    throw new ConfigurationError(
      'Inputs "sdist" and "wheel" are both false: nothing would be built. Set one to true, or build: false to publish packages-dir as it is.'
    );
  }
  const repository = getOptionalInput('repository') ?? (env.CODEARTIFACT_REPOSITORY?.trim() || undefined);
  return {
    workingDirectory,
    python: readPython(),
    build,
    packagesDir,
    sdist,
    wheel,
    buildArgs: getListInput('build-args', /\s+/),
    verifyMetadata: getBooleanInput('verify-metadata', true),
    ifExists: getChoiceInput('if-exists', ['skip-identical', 'fail'] as const, 'skip-identical'),
    expectedVersion: readExpectedVersion(env.GITHUB_REF),
    printHash: getBooleanInput('print-hash', true),
    repository: repository === undefined ? undefined : checkNamedInput('repository', REPOSITORY, repository)
  };
}

function readPython(): string | undefined {
  const python = getOptionalInput('python');
  if (python !== undefined && /[\s;&|`$<>]/.test(python) && !isAbsolute(python)) {
    throw new ConfigurationError(
      `Input "python": "${python}" is not an interpreter name; give a command on PATH (python3.12) or a path (/usr/bin/python3).`
    );
  }
  return python;
}

function readExpectedVersion(ref: string | undefined): ExpectedVersion | undefined {
  const tag = tagOfRef(ref);
  if (!getBooleanInput('version-check', tag !== undefined)) return undefined;
  if (tag === undefined) {
    throw new ConfigurationError(
      `Input "version-check" is true, but the run is not on a tag (GITHUB_REF is "${ref ?? ''}"); it compares the tag (v1.2.3) with the built version. Set version-check: false off tags.`
    );
  }
  const version = normalizePep440(tag);
  if (version === undefined) {
    throw new ConfigurationError(
      `Input "version-check": tag "${tag}" is not a PEP 440 version (such as v1.2.3 or 1.2.3rc1), so it cannot be compared with the built version. Set version-check: false for this tag.`
    );
  }
  return { tag, version };
}

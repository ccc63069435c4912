import {
  ConfigurationError,
  checkNamedInput,
  getBooleanInput,
  getChoiceInput,
  getIntegerInput,
  getMultilineInput,
  getOptionalInput,
  getRequiredInput
} from '@codeartifact-actions/kit';
import { NAMESPACE, PACKAGE, VERSION, checkAssetName } from '@codeartifact-actions/model';
import { readRepositoryInput } from '../access.js';
import { resolvePublishVersion } from './version.js';
import type { PublishMode } from './publish.js';

/** The generic package inputs both actions share (the domain comes with the auth inputs). */
export interface GenericTargetInputs {
  repository: string;
  namespace: string;
  package: string;
}

/** Everything publish-generic needs besides AWS access, validated before any network call. */
export interface PublishGenericSettings extends GenericTargetInputs {
  version: string;
  paths: string[];
  archive: 'tar.gz' | 'none';
  assetName?: string;
  compressionLevel: number;
  ifExists: 'skip-identical' | 'fail';
  mode: PublishMode;
}

/** Everything download-generic needs besides AWS access. */
export interface DownloadGenericSettings extends GenericTargetInputs {
  /** A version, or "latest" for the newest Published one. */
  version: string;
  assets: string[];
  path: string;
  extract: boolean;
}

/** repository (or CODEARTIFACT_REPOSITORY from setup-codeartifact), namespace and package. */
export function readGenericTarget(env: NodeJS.ProcessEnv = process.env): GenericTargetInputs {
  return {
    repository: readRepositoryInput(env, 'the repository name'),
    namespace: checkNamedInput(
      'namespace',
      NAMESPACE,
      getRequiredInput('namespace', 'the generic namespace, such as my-team.')
    ),
    package: checkNamedInput('package', PACKAGE, getRequiredInput('package', 'the generic package name.'))
  };
}

/** Reads and checks every publish-generic input except the AWS ones. */
export function readPublishGenericSettings(env: NodeJS.ProcessEnv = process.env): PublishGenericSettings {
  const target = readGenericTarget(env);
  const version = resolvePublishVersion(getOptionalInput('version'), env.GITHUB_REF);
  const mode = readMode();
  const paths = getMultilineInput('path');
  if (paths.length === 0 && mode !== 'finalize') {
    throw new ConfigurationError(
      'Input "path" is required: files, directories or globs to publish, one a line.'
    );
  }
  const archive = getChoiceInput('archive', ['tar.gz', 'none'] as const, 'tar.gz');
  const assetName =
    getOptionalInput('asset-name') ??
    (archive === 'tar.gz' ? `${target.package}-${version}.tar.gz` : undefined);
  if (assetName !== undefined) {
    const problem = checkAssetName(assetName);
    if (problem) throw new ConfigurationError(`Input "asset-name": ${problem}.`);
  }
  return {
    ...target,
    version,
    paths,
    archive,
    assetName,
    compressionLevel: getIntegerInput('compression-level', 0, 9) ?? 6,
    ifExists: getChoiceInput('if-exists', ['skip-identical', 'fail'] as const, 'skip-identical'),
    mode
  };
}

function readMode(): PublishMode {
  const unfinished = getBooleanInput('unfinished', false);
  const finalize = getBooleanInput('finalize', false);
  if (unfinished && finalize) {
    throw new ConfigurationError(
      'Inputs "unfinished" and "finalize" exclude each other: legs use unfinished, the last step finalize.'
    );
  }
  return unfinished ? 'unfinished' : finalize ? 'finalize' : 'publish';
}

/** Reads and checks every download-generic input except the AWS ones. */
export function readDownloadGenericSettings(env: NodeJS.ProcessEnv = process.env): DownloadGenericSettings {
  const target = readGenericTarget(env);
  const version = getRequiredInput('version', 'a version such as 1.2.3, or latest.');
  if (version !== 'latest') checkNamedInput('version', VERSION, version);
  return {
    ...target,
    version,
    assets: getMultilineInput('assets'),
    path: getOptionalInput('path') ?? '.',
    extract: getBooleanInput('extract', false)
  };
}

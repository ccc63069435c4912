import {
  ConfigurationError,
  getBooleanInput,
  getChoiceInput,
  getOptionalInput
} from '@codeartifact-actions/kit';
import { readRepositoryInput } from '../access.js';
import { splitArguments, versionFromTag } from '../maven/settings.js';

/** Everything publish-npm needs besides AWS access, checked before any network call. */
export interface PublishNpmSettings {
  repository: string;
  workingDirectory: string;
  /** The dist-tag the version is published under. */
  tag: string;
  access?: 'public' | 'restricted';
  ifExists: 'skip-identical' | 'fail';
  /** The version the git tag names when version-check is on and the run is on a tag. */
  expectedVersion?: string;
  packArgs: string[];
}

const DIST_TAG = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// npm refuses a dist-tag that parses as a semver range (1.2.3, v1, 1.x, ^2): it would shadow versions.
const SEMVER_LIKE = /^[v=]?\d+(\.(\d+|[xX*]))*([-+][0-9A-Za-z.-]*)?$/;

/** Checks a dist-tag as npm would, with the reason when it refuses it. */
export function checkDistTag(tag: string): string {
  if (SEMVER_LIKE.test(tag)) {
    throw new ConfigurationError(
      `Input "tag": "${tag}" looks like a version or version range, which npm refuses as a dist-tag. Use a name such as latest, next or beta.`
    );
  }
  if (!DIST_TAG.test(tag)) {
    throw new ConfigurationError(
      `Input "tag": "${tag}" is not a dist-tag npm accepts (letters, digits, . _ -, starting with a letter or digit; such as latest or next).`
    );
  }
  return tag;
}

/** Reads and checks every publish-npm input except the AWS ones. */
export function readPublishNpmSettings(env: NodeJS.ProcessEnv = process.env): PublishNpmSettings {
  const fromTag = versionFromTag(env.GITHUB_REF);
  const check = getBooleanInput('version-check', fromTag !== undefined);
  const access = getOptionalInput('access');
  return {
    repository: readRepositoryInput(env),
    workingDirectory: getOptionalInput('working-directory') ?? '.',
    tag: checkDistTag(getOptionalInput('tag') ?? 'latest'),
    access:
      access === undefined
        ? undefined
        : getChoiceInput('access', ['public', 'restricted'] as const, 'public'),
    ifExists: getChoiceInput('if-exists', ['skip-identical', 'fail'] as const, 'skip-identical'),
    expectedVersion: check ? fromTag : undefined,
    packArgs: splitArguments(getOptionalInput('pack-args'))
  };
}

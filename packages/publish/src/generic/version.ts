import { ConfigurationError } from '@codeartifact-actions/kit';
import { VERSION, checkName } from '@codeartifact-actions/model';

/**
 * The package version for a publish: the `version` input when given, else the tag the workflow
 * runs on (`refs/tags/v1.2.3` -> `1.2.3`, `refs/tags/2.0` -> `2.0`).
 */
export function resolvePublishVersion(input: string | undefined, ref: string | undefined): string {
  const version = input ?? versionFromRef(ref);
  const problem = checkName(VERSION, version);
  if (problem) throw new ConfigurationError(`Input "version": ${problem}.`);
  return version;
}

function versionFromRef(ref: string | undefined): string {
  const tag = ref?.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
  if (!tag) {
    throw new ConfigurationError(
      `Input "version" is required when the workflow does not run on a tag (GITHUB_REF is "${ref ?? ''}"): ` +
        'set it, or run on a tag such as refs/tags/v1.2.3.'
    );
  }
  return /^v\d/.test(tag) ? tag.slice(1) : tag;
}

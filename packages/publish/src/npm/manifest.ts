import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigurationError } from '@codeartifact-actions/kit';

/** What publish-npm reads from package.json. */
export interface NpmManifest {
  name: string;
  version: string;
  /** The scope with its "@" (such as "@acme"), or undefined for an unscoped package. */
  scope?: string;
  /** publishConfig.registry, which npm would otherwise publish to (the repository is passed on npm's command line). */
  publishConfigRegistry?: string;
}

const NAME = /^(?:@([a-z0-9][a-z0-9._~-]*)\/)?[a-z0-9][a-z0-9._~-]*$/;

/**
 * Reads package.json in `dir` and refuses what npm publish would: no file, no name or version,
 * `"private": true`. The version is compared with the tag when `expectedVersion` is given.
 */
export async function readNpmManifest(dir: string, expectedVersion?: string): Promise<NpmManifest> {
  const path = join(dir, 'package.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new ConfigurationError(
      `Input "working-directory": there is no ${path}. Point "working-directory" at the package's folder.`
    );
  }
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigurationError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const { name, version } = manifest;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new ConfigurationError(
      `${path} needs a "name" npm accepts (lowercase, such as @acme/widgets), not ${JSON.stringify(name)}.`
    );
  }
  if (typeof version !== 'string' || !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(version)) {
    throw new ConfigurationError(
      `${path} needs a semver "version" such as 1.2.3, not ${JSON.stringify(version)}.`
    );
  }
  if (manifest.private === true) {
    throw new ConfigurationError(
      `${path} says "private": true, so npm will not publish ${name}. Remove "private" to publish it to the repository.`
    );
  }
  if (expectedVersion !== undefined && expectedVersion !== version) {
    throw new ConfigurationError(
      `The tag names version ${expectedVersion} but ${path} says ${version}: nothing was published. ` +
        'Tag the commit whose version matches, fix the version, or set "version-check: false".'
    );
  }
  const publishConfig = manifest.publishConfig as Record<string, unknown> | undefined;
  const registry = typeof publishConfig?.registry === 'string' ? publishConfig.registry : undefined;
  return {
    name,
    version,
    scope: name.startsWith('@') ? name.slice(0, name.indexOf('/')) : undefined,
    ...(registry ? { publishConfigRegistry: registry } : {})
  };
}

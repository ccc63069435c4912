import * as core from '@actions/core';
import * as exec from '@actions/exec';
import { join, resolve } from 'node:path';
import { urlForLog } from '@codeartifact-actions/kit';
import { fileContext, renderNpmrc, writePrivateFile } from '@codeartifact-actions/tools';
import type { RepositoryAccess } from '../access.js';
import type { NpmManifest } from './manifest.js';
import type { PublishNpmSettings } from './settings.js';

/** The tarball `npm pack` made. */
export interface PackedTarball {
  path: string;
  filename: string;
  /** sha512 SRI string, as the registry keeps it in dist.integrity. */
  integrity: string;
  shasum: string;
}

/** What the registry holds for one version. */
export interface RegistryVersion {
  integrity?: string;
  tarball?: string;
}

/** What the step did. */
export interface NpmPublishOutcome {
  /** `published`, or `skipped` when the same contents were already there (if-exists: skip-identical). */
  status: 'published' | 'skipped';
  name: string;
  version: string;
  integrity: string;
  /** The tarball's URL in the repository. */
  tarball: string;
  /** Wall time of `npm publish` in milliseconds (0 when skipped). */
  npmMillis: number;
}

/**
 * Writes the .npmrc publish uses into `dir` (0600): the user's ~/.npmrc, then the package's scope
 * (or the whole registry for an unscoped package) routed to the repository, the token as ${CODEARTIFACT_AUTH_TOKEN}.
 */
export async function writePublishNpmrc(
  dir: string,
  home: string,
  endpoint: string,
  scope?: string
): Promise<string> {
  const ctx = fileContext({
    configDir: dir,
    home,
    endpoints: { npm: endpoint },
    npmScopes: scope ? [scope] : []
  });
  const path = join(dir, 'npmrc');
  await writePrivateFile(path, await renderNpmrc(ctx));
  return path;
}

/** `npm pack` into `dest`; returns the tarball and the integrity npm computed. */
export async function packTarball(
  projectDir: string,
  packArgs: string[],
  dest: string
): Promise<PackedTarball> {
  const run = await exec.getExecOutput('npm', ['pack', '--json', '--pack-destination', dest, ...packArgs], {
    cwd: projectDir,
    ignoreReturnCode: true,
    silent: true
  });
  if (run.exitCode !== 0) {
    throw new Error(
      `npm pack failed with exit code ${run.exitCode}: ${run.stderr.trim().split('\n').slice(-5).join(' ')}`
    );
  }
  const json = run.stdout.slice(run.stdout.search(/^\[/m));
  const [packed] = JSON.parse(json) as Array<{ filename: string; integrity: string; shasum: string }>;
  if (!packed?.integrity) throw new Error(`npm pack printed no tarball: ${run.stdout.slice(0, 200)}`);
  const filename = packed.filename.replace(/^@/, '').replace(/\//, '-');
  return { path: resolve(dest, filename), filename, integrity: packed.integrity, shasum: packed.shasum };
}

/** The registry's packument path for a name: a scoped name keeps its "@" and escapes the "/". */
export function packumentUrl(endpoint: string, name: string): string {
  return `${endpoint}${name.replace('/', '%2f')}`;
}

/** The version in the repository (undefined when it is not there), read from the packument. */
export async function registryVersion(
  endpoint: string,
  manifest: NpmManifest,
  token: string
): Promise<RegistryVersion | undefined> {
  const url = packumentUrl(endpoint, manifest.name);
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' }
  });
  if (response.status === 404) return undefined;
  if (response.status === 401 || response.status === 403) {
    throw new Error(
      `Reading ${manifest.name} from the repository was refused with ${response.status}: ` +
        (response.status === 401
          ? 'the token was not accepted (expired, or for another domain).'
          : 'allow "codeartifact:ReadFromRepository" on the repository in the role\'s permissions policy.')
    );
  }
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}.`);
  const packument = (await response.json()) as { versions?: Record<string, { dist?: RegistryVersion }> };
  const found = packument.versions?.[manifest.version];
  return found ? { integrity: found.dist?.integrity, tarball: found.dist?.tarball } : undefined;
}

/** What a failed `npm publish` means, from the npm error code or HTTP status in its output. */
export function describeNpmPublishFailure(output: string, label: string, repository: string): string {
  // npm prints no code for a refused re-publish, only its sentence.
  const code = /cannot publish over the previously published/i.test(output)
    ? '409'
    : (/\bE(401|403|409)\b/.exec(output)?.[1] ?? /\b(401|403|409)\b/.exec(output)?.[1]);
  const detail = output
    .split('\n')
    .filter((line) => /npm (ERR!|error) \S/.test(line))
    .slice(0, 2)
    .join(' ');
  switch (code) {
    case '401':
      return `npm publish of ${label} was refused with 401: the CodeArtifact token was not accepted. Fetch a new one. ${detail}`;
    case '403':
      return `npm publish of ${label} was refused with 403: allow "codeartifact:PublishPackageVersion" and "codeartifact:PutPackageMetadata" on repository "${repository}" in the role's permissions policy. ${detail}`;
    case '409':
      return `npm publish of ${label} was refused with 409: this version is already in repository "${repository}", and an npm version is published once. Raise the version. ${detail}`;
    default:
      return `npm publish of ${label} failed. ${detail}`;
  }
}

/**
 * The environment without GitHub's OIDC request variables: npm 11 would otherwise mint an ID token and
 * offer it to the repository for "trusted publishing", which CodeArtifact does not take.
 */
function withoutOidcRequest(env: NodeJS.ProcessEnv): Record<string, string> {
  const kept = { ...env } as Record<string, string>;
  delete kept.ACTIONS_ID_TOKEN_REQUEST_URL;
  delete kept.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  return kept;
}

/**
 * The registry on npm's command line, where it outranks a project .npmrc and publishConfig.registry
 * (npm's precedence): the scope's registry for a scoped package, else the default one. A URL, no secret.
 */
export function registryFlag(endpoint: string, scope: string | undefined): string {
  return scope ? `--${scope}:registry=${endpoint}` : `--registry=${endpoint}`;
}

async function runNpmPublish(
  tarball: PackedTarball,
  projectDir: string,
  settings: PublishNpmSettings,
  registry: string,
  env: Record<string, string>
): Promise<{ exitCode: number; output: string }> {
  const args = [
    'publish',
    tarball.path,
    registry,
    '--tag',
    settings.tag,
    ...(settings.access ? ['--access', settings.access] : [])
  ];
  let output = '';
  const exitCode = await core.group(`npm ${args.join(' ')}`, () =>
    exec.exec('npm', args, {
      cwd: projectDir,
      env: { ...withoutOidcRequest(process.env), ...env },
      ignoreReturnCode: true,
      listeners: { stdout: (b) => (output += b.toString()), stderr: (b) => (output += b.toString()) }
    })
  );
  return { exitCode, output };
}

function checkExisting(
  existing: RegistryVersion,
  packed: PackedTarball,
  settings: PublishNpmSettings,
  label: string
) {
  if (settings.ifExists === 'fail') {
    throw new Error(
      `${label} is already in the repository (if-exists: fail). An npm version is published once: raise the version.`
    );
  }
  if (existing.integrity !== packed.integrity) {
    throw new Error(
      `${label} is already in the repository with different contents (${existing.integrity ?? 'no integrity'}; this build packs ${packed.integrity}). ` +
        'An npm version cannot be replaced: raise the version in package.json.'
    );
  }
}

/**
 * Packs the package, compares with what the repository holds (if-exists), publishes the tarball with
 * a temporary .npmrc, and checks the registry now serves the same integrity.
 */
export async function publishNpm(
  access: RepositoryAccess,
  settings: PublishNpmSettings,
  manifest: NpmManifest,
  options: { workspace: string; home: string; tempDir: string; log: (message: string) => void }
): Promise<NpmPublishOutcome> {
  const projectDir = resolve(options.workspace, settings.workingDirectory);
  const label = `${manifest.name}@${manifest.version}`;
  const packStarted = Date.now();
  const packed = await packTarball(projectDir, settings.packArgs, options.tempDir);
  options.log(`Packed ${packed.filename} in ${Date.now() - packStarted} ms: ${packed.integrity}`);
  const existing = await registryVersion(access.endpoint, manifest, access.token);
  if (existing) {
    checkExisting(existing, packed, settings, label);
    options.log(`${label} is already in repository "${access.repository}" with the same contents: skipped.`);
    const tarball = existing.tarball ?? '';
    return {
      status: 'skipped',
      name: manifest.name,
      version: manifest.version,
      integrity: packed.integrity,
      tarball,
      npmMillis: 0
    };
  }
  const npmrc = await writePublishNpmrc(options.tempDir, options.home, access.endpoint, manifest.scope);
  if (manifest.publishConfigRegistry) {
    options.log(
      `package.json sets publishConfig.registry to ${urlForLog(manifest.publishConfigRegistry) ?? manifest.publishConfigRegistry}; this step publishes to repository "${access.repository}" instead.`
    );
  }
  const started = Date.now();
  const registry = registryFlag(access.endpoint, manifest.scope);
  const run = await runNpmPublish(packed, projectDir, settings, registry, {
    NPM_CONFIG_USERCONFIG: npmrc,
    CODEARTIFACT_AUTH_TOKEN: access.token
  });
  const npmMillis = Date.now() - started;
  options.log(`npm publish finished in ${npmMillis} ms (exit code ${run.exitCode}).`);
  if (run.exitCode !== 0) throw new Error(describeNpmPublishFailure(run.output, label, access.repository));
  const published = await registryVersion(access.endpoint, manifest, access.token);
  if (published?.integrity !== packed.integrity) {
    throw new Error(
      `After npm publish the repository serves ${label} with ${published?.integrity ?? 'no version'}, not ${packed.integrity}.`
    );
  }
  return {
    status: 'published',
    name: manifest.name,
    version: manifest.version,
    integrity: packed.integrity,
    tarball: published.tarball ?? '',
    npmMillis
  };
}

/** Rows for the job summary table. */
export function npmSummaryRows(outcome: NpmPublishOutcome, settings: PublishNpmSettings, repository: string) {
  return [
    [
      { data: 'package', header: true },
      { data: 'version', header: true },
      { data: 'dist-tag', header: true },
      { data: 'status', header: true },
      { data: 'integrity', header: true },
      { data: 'repository', header: true }
    ],
    [outcome.name, outcome.version, settings.tag, outcome.status, outcome.integrity, repository]
  ];
}

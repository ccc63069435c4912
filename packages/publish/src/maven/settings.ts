import {
  ConfigurationError,
  getBooleanInput,
  getChoiceInput,
  getOptionalInput
} from '@codeartifact-actions/kit';
import { readRepositoryInput } from '../access.js';

/** The prebuilt artifact deploy-file mode publishes. */
export interface DeployFileInputs {
  file: string;
  pomFile?: string;
  groupId?: string;
  artifactId?: string;
  version?: string;
  packaging?: string;
  classifier?: string;
}

/** Everything publish-maven needs besides AWS access, checked before any network call. */
export interface PublishMavenSettings {
  repository: string;
  workingDirectory: string;
  mavenArgs: string[];
  goals: string[];
  skipTests: boolean;
  serverId: string;
  /** The version the tag names (refs/tags/v1.2.3 -> 1.2.3) when version-check is on and the run is on a tag. */
  expectedVersion?: string;
  ifExists: 'skip' | 'fail';
  /** The maven-deploy-plugin version deploy-file mode runs. */
  deployPluginVersion: string;
  deployFile?: DeployFileInputs;
}

/** The deploy plugin deploy-file mode runs unless told otherwise: the newest 3.x in wide use. */
export const DEFAULT_DEPLOY_PLUGIN_VERSION = '3.1.1';

const SERVER_ID = /^[A-Za-z0-9][\w.-]{0,63}$/;
const PLUGIN_VERSION = /^\d+(\.\d+){0,2}(-[\w.]+)?$/;

/** Splits a command-line string into arguments: whitespace separates, single and double quotes group. */
export function splitArguments(line: string | undefined): string[] {
  if (!line) return [];
  const args: string[] = [];
  const pattern = /"((?:\\.|[^"\\])*)"|'([^']*)'|([^\s"']+)/g;
  let current = '';
  let last = -1;
  for (const match of line.matchAll(pattern)) {
    const piece = match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] ?? match[3] ?? '');
    const adjoining = match.index === last;
    if (!adjoining && last !== -1) {
      args.push(current);
      current = '';
    }
    current += piece;
    last = match.index + match[0].length;
  }
  if (last !== -1) args.push(current);
  return args;
}

/** The version a tag names: refs/tags/v1.2.3 -> 1.2.3; undefined off a tag. */
export function versionFromTag(ref: string | undefined): string | undefined {
  const tag = ref?.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
  if (!tag) return undefined;
  return /^v\d/.test(tag) ? tag.slice(1) : tag;
}

/** version-check (default on for tag refs): the expected version, or undefined when nothing is to be compared. */
export function readExpectedVersion(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromTag = versionFromTag(env.GITHUB_REF);
  const check = getBooleanInput('version-check', fromTag !== undefined);
  return check ? fromTag : undefined;
}

const DEPLOY_FILE_INPUTS = {
  pomFile: 'pom-file',
  groupId: 'group-id',
  artifactId: 'artifact-id',
  version: 'version',
  packaging: 'packaging',
  classifier: 'classifier'
} as const;

function readDeployFile(): DeployFileInputs | undefined {
  const file = getOptionalInput('file');
  const given = Object.fromEntries(
    Object.entries(DEPLOY_FILE_INPUTS).map(([key, input]) => [key, getOptionalInput(input)])
  ) as Omit<DeployFileInputs, 'file'>;
  const named = (key: keyof typeof DEPLOY_FILE_INPUTS) => DEPLOY_FILE_INPUTS[key];
  if (!file) {
    const stray = (Object.keys(DEPLOY_FILE_INPUTS) as Array<keyof typeof DEPLOY_FILE_INPUTS>).find(
      (key) => given[key] !== undefined
    );
    if (stray) {
      throw new ConfigurationError(
        `Input "${named(stray)}" only applies to deploy-file mode: set "file" to the prebuilt artifact too.`
      );
    }
    return undefined;
  }
  if (!given.pomFile) {
    const missing = (['groupId', 'artifactId', 'version'] as const).filter((key) => !given[key]).map(named);
    if (missing.length) {
      throw new ConfigurationError(
        `Input "${missing[0]}" is required with "file" unless "pom-file" gives it (missing: ${missing.join(', ')}).`
      );
    }
  }
  return { file, ...given };
}

/** Reads and checks every publish-maven input except the AWS ones. */
export function readPublishMavenSettings(env: NodeJS.ProcessEnv = process.env): PublishMavenSettings {
  const serverId = getOptionalInput('server-id') ?? 'codeartifact';
  if (!SERVER_ID.test(serverId)) {
    throw new ConfigurationError(
      `Input "server-id": "${serverId}" is not a Maven server id (letters, digits, . _ -; up to 64 characters).`
    );
  }
  const deployPluginVersion = getOptionalInput('deploy-plugin-version') ?? DEFAULT_DEPLOY_PLUGIN_VERSION;
  if (!PLUGIN_VERSION.test(deployPluginVersion)) {
    throw new ConfigurationError(
      `Input "deploy-plugin-version": "${deployPluginVersion}" is not a plugin version such as ${DEFAULT_DEPLOY_PLUGIN_VERSION}.`
    );
  }
  const goals = splitArguments(getOptionalInput('goals') ?? 'deploy');
  return {
    repository: readRepositoryInput(env),
    workingDirectory: getOptionalInput('working-directory') ?? '.',
    mavenArgs: splitArguments(getOptionalInput('maven-args')),
    goals,
    skipTests: getBooleanInput('skip-tests', false),
    serverId,
    expectedVersion: readExpectedVersion(env),
    ifExists: getChoiceInput('if-exists', ['skip', 'fail'] as const, 'skip'),
    deployPluginVersion,
    deployFile: readDeployFile()
  };
}

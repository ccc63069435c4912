import { readAwsAuthInputs, type AwsAuthSettings } from '@codeartifact-actions/aws';
import {
  ConfigurationError,
  checkNamedInput,
  getBooleanInput,
  getChoiceInput,
  getIntegerInput,
  getListInput,
  getOptionalInput
} from '@codeartifact-actions/kit';
import { REPOSITORY, TOKEN_DURATION } from '@codeartifact-actions/model';
import { TOOL_NAMES, type PipMode, type ToolName } from '@codeartifact-actions/tools';

/** Every input of setup-codeartifact, validated. */
export interface SetupSettings {
  aws: AwsAuthSettings;
  /** Required when any tool is configured. */
  repository?: string;
  /** Token lifetime: 0 (the session's) or 900-43200 s; undefined leaves CodeArtifact's default (12 h). */
  durationSeconds?: number;
  /** The tools named, or 'auto' to detect them from the workspace. */
  tools: ToolName[] | 'auto';
  npmScopes: string[];
  pipMode: PipMode;
  mavenServerId: string;
  mavenMirrorOf: string;
  exportCredentials: boolean;
  cleanup: boolean;
}

const NPM_SCOPE = /^@?[a-z0-9][a-z0-9._~-]{0,213}$/;
const MAVEN_ID = /^[A-Za-z0-9._-]{1,128}$/;
// Comma-separated ids, "*", "external:*", "external:http:*" and "!id" exclusions.
const MAVEN_MIRROR_OF = /^!?[A-Za-z0-9._*:-]+(,!?[A-Za-z0-9._*:-]+)*$/;

function readTools(): ToolName[] | 'auto' {
  const names = getListInput('tools').map((n) => n.toLowerCase());
  if (names.includes('auto')) {
    if (names.length > 1)
      throw new ConfigurationError('Input "tools": "auto" detects every tool; do not list others beside it.');
    return 'auto';
  }
  const unknown = names.filter((n) => !(TOOL_NAMES as readonly string[]).includes(n));
  if (unknown.length) {
    throw new ConfigurationError(
      `Input "tools": unknown tool ${unknown.map((n) => `"${n}"`).join(', ')} (allowed: ${TOOL_NAMES.join(', ')}, or auto).`
    );
  }
  return [...new Set(names)] as ToolName[];
}

function readRepository(tools: ToolName[] | 'auto'): string | undefined {
  const value = getOptionalInput('repository') ?? (process.env.CODEARTIFACT_REPOSITORY?.trim() || undefined);
  if (value === undefined) {
    if (tools === 'auto' || tools.length) {
      throw new ConfigurationError(
        `Input "repository" is required when "tools" is set: the repository the tools should use.`
      );
    }
    return undefined;
  }
  return checkNamedInput('repository', REPOSITORY, value);
}

function readNpmScopes(): string[] {
  return getListInput('npm-scopes').map((scope) => {
    if (!NPM_SCOPE.test(scope)) {
      throw new ConfigurationError(
        `Input "npm-scopes": "${scope}" is not an npm scope (such as @acme: lowercase letters, digits, ".", "_", "~" and "-").`
      );
    }
    return scope.startsWith('@') ? scope : `@${scope}`;
  });
}

function readPattern(name: string, pattern: RegExp, fallback: string, form: string): string {
  const value = getOptionalInput(name) ?? fallback;
  if (!pattern.test(value))
    throw new ConfigurationError(`Input "${name}": "${value}" is not valid (${form}).`);
  return value;
}

/** Reads and checks every input before anything touches the network; errors name the input. */
export function readSetupSettings(): SetupSettings {
  const aws = readAwsAuthInputs();
  const tools = readTools();
  return {
    aws,
    repository: readRepository(tools),
    durationSeconds: getIntegerInput('duration-seconds', TOKEN_DURATION.min, TOKEN_DURATION.max, [0]),
    tools,
    npmScopes: readNpmScopes(),
    pipMode: getChoiceInput<PipMode>('pip-mode', ['index-url', 'extra-index-url'], 'index-url'),
    mavenServerId: readPattern(
      'maven-server-id',
      MAVEN_ID,
      'codeartifact',
      '1-128 letters, digits, ".", "_" and "-"'
    ),
    mavenMirrorOf: readPattern(
      'maven-mirror-of',
      MAVEN_MIRROR_OF,
      '*',
      'Maven mirrorOf: "*", "external:*", ids separated by commas, "!id" to exclude'
    ),
    exportCredentials: getBooleanInput('export-credentials', true),
    cleanup: getBooleanInput('cleanup', true)
  };
}

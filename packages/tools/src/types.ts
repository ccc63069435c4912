/** The package tools setup-codeartifact can point at a repository. */
export const TOOL_NAMES = ['pip', 'uv', 'poetry', 'twine', 'npm', 'pnpm', 'yarn', 'maven', 'gradle'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/** The repository formats the tools use. */
export type ToolFormat = 'pypi' | 'npm' | 'maven';

export type PipMode = 'index-url' | 'extra-index-url';

/** Everything a tool module needs to write its configuration. */
export interface ToolContext {
  /** The CodeArtifact authorization token (already masked). */
  token: string;
  domain: string;
  domainOwner: string;
  repository: string;
  /** Repository endpoints by format, each ending in "/". */
  endpoints: Partial<Record<ToolFormat, string>>;
  /** A private folder under RUNNER_TEMP (mode 0700) for files the tools read. */
  configDir: string;
  /** The user's home folder (Maven reads ~/.m2/settings.xml). */
  home: string;
  /** The checkout, where a project's own .npmrc may override what is written here. */
  workspace?: string;
  pipMode: PipMode;
  /** npm scopes ("@acme") routed to the repository; empty routes the whole registry. */
  npmScopes: string[];
  mavenServerId: string;
  mavenMirrorOf: string;
}

/** A file that was there before and was changed: the original bytes are kept in `backup`. */
export interface ReplacedFile {
  path: string;
  backup: string;
  mode: number;
}

/** What a tool module changed on disk, so the post step can undo exactly that. */
export interface FileChanges {
  /** Files that did not exist before. */
  created: string[];
  replaced: ReplacedFile[];
  /** Folders that did not exist before (removed only when empty). */
  createdDirs: string[];
}

export interface ToolResult {
  tool: ToolName;
  /** Variables to export to later steps. */
  env: Record<string, string>;
  /** Values derived from the token (URLs with credentials) that must be masked too. */
  secrets: string[];
  changes: FileChanges;
  /** One line for the log and the job summary: what the tool was pointed at, and how. */
  description: string;
  /** Things the user should know (a setting this tool cannot take from the environment). */
  warnings: string[];
}

export interface ToolModule {
  name: ToolName;
  format: ToolFormat;
  configure(ctx: ToolContext): Promise<ToolResult>;
  /** True when the workspace looks like it uses this tool (for tools: auto). */
  detect?(workspace: string): Promise<boolean>;
}

export function noChanges(): FileChanges {
  return { created: [], replaced: [], createdDirs: [] };
}

/**
 * A context for writing a tool's file outside setup-codeartifact (the publish actions): no token
 * in it, since the files refer to ${CODEARTIFACT_AUTH_TOKEN}, and the defaults for everything else.
 */
export function fileContext(
  given: Pick<ToolContext, 'configDir' | 'home' | 'endpoints'> & Partial<ToolContext>
): ToolContext {
  return {
    token: '',
    domain: '',
    domainOwner: '',
    repository: '',
    pipMode: 'index-url',
    npmScopes: [],
    mavenServerId: 'codeartifact',
    mavenMirrorOf: '*',
    ...given
  };
}

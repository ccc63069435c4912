import { urlForLog } from '@codeartifact-actions/kit';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { exists, readTextIfExists, writePrivateFile } from './files.js';
import { noChanges, type ToolContext, type ToolModule, type ToolName, type ToolResult } from './types.js';

/** The .npmrc line that authenticates a registry URL, keyed by host and path without the scheme. */
export function npmAuthKey(endpoint: string): string {
  const url = new URL(endpoint);
  return `//${url.host}${url.pathname}`;
}

function npmEndpoint(ctx: ToolContext): string {
  const endpoint = ctx.endpoints.npm;
  if (!endpoint) throw new Error('The npm endpoint of the repository is missing.');
  return endpoint;
}

/**
 * The .npmrc npm, pnpm and yarn 1 read through NPM_CONFIG_USERCONFIG. The user's own ~/.npmrc is
 * kept first (NPM_CONFIG_USERCONFIG replaces it); the token stays an env reference npm expands.
 */
export async function renderNpmrc(ctx: ToolContext): Promise<string> {
  const endpoint = npmEndpoint(ctx);
  const own = (await readTextIfExists(join(ctx.home || homedir(), '.npmrc'))) ?? '';
  const routes = ctx.npmScopes.length
    ? ctx.npmScopes.map((scope) => `${scope}:registry=${endpoint}`)
    : [`registry=${endpoint}`];
  const lines = [...routes, `${npmAuthKey(endpoint)}:_authToken=\${CODEARTIFACT_AUTH_TOKEN}`];
  const kept = own.trim() ? `${own.trimEnd()}\n# CodeArtifact (setup-codeartifact)\n` : '';
  return `${kept}${lines.join('\n')}\n`;
}

export function npmrcPath(ctx: ToolContext): string {
  return join(ctx.configDir, 'npmrc');
}

async function writeNpmrc(tool: ToolName, ctx: ToolContext): Promise<ToolResult> {
  const path = npmrcPath(ctx);
  await writePrivateFile(path, await renderNpmrc(ctx));
  const target = ctx.npmScopes.length ? ctx.npmScopes.join(', ') : 'every package';
  return {
    tool,
    env: { NPM_CONFIG_USERCONFIG: path },
    secrets: [],
    changes: { ...noChanges(), created: [path] },
    description: `${tool}: ${target} from ${npmEndpoint(ctx)} (NPM_CONFIG_USERCONFIG, token as \${CODEARTIFACT_AUTH_TOKEN})`,
    warnings: ctx.workspace ? await projectNpmrcOverrides(tool, ctx, ctx.workspace) : []
  };
}

/**
 * npm, pnpm and yarn 1 read a project's .npmrc before the user config written here, so a
 * `registry=` or `@scope:registry=` line there for a route set here sends installs elsewhere.
 * One warning per such line, naming it and what to do.
 */
export async function projectNpmrcOverrides(
  tool: ToolName,
  ctx: ToolContext,
  workspace: string
): Promise<string[]> {
  const file = join(workspace, '.npmrc');
  const text = await readTextIfExists(file);
  if (!text) return [];
  const endpoint = npmEndpoint(ctx);
  const routed = new Set(ctx.npmScopes.length ? ctx.npmScopes.map((s) => `${s}:registry`) : ['registry']);
  const warnings: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const eq = line.indexOf('=');
    if (eq < 0) return;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (!routed.has(key) || value.replace(/\/?$/, '/') === endpoint) return;
    warnings.push(
      `${file}:${index + 1} sets ${key}=${urlForLog(value) ?? value}, and ${tool} reads the project's .npmrc before the configuration setup-codeartifact wrote, so it would not use the repository. Remove that line, or set it to ${endpoint}.`
    );
  });
  return warnings;
}

function hasFile(name: string): (workspace: string) => Promise<boolean> {
  return (workspace) => exists(join(workspace, name));
}

export const npm: ToolModule = {
  name: 'npm',
  format: 'npm',
  configure: (ctx) => writeNpmrc('npm', ctx),
  detect: async (workspace) =>
    (await exists(join(workspace, 'package.json'))) &&
    !(await exists(join(workspace, 'pnpm-lock.yaml'))) &&
    !(await exists(join(workspace, 'yarn.lock')))
};

/** pnpm reads the same .npmrc. */
export const pnpm: ToolModule = {
  name: 'pnpm',
  format: 'npm',
  configure: (ctx) => writeNpmrc('pnpm', ctx),
  detect: hasFile('pnpm-lock.yaml')
};

/**
 * Yarn 1 reads the .npmrc; Yarn 2+ only its own settings, which it also takes from YARN_* variables.
 * Yarn 2+ has no variable for a scope's registry, so with npm-scopes it gets no token (it would
 * otherwise send it to the public registry).
 */
export const yarn: ToolModule = {
  name: 'yarn',
  format: 'npm',
  async configure(ctx) {
    const base = await writeNpmrc('yarn', ctx);
    if (ctx.npmScopes.length) {
      base.warnings.push(
        'yarn 2+ cannot take scoped registries from the environment: add npmScopes to .yarnrc.yml with npmAuthToken: "${CODEARTIFACT_AUTH_TOKEN}".'
      );
      return base;
    }
    base.env = {
      ...base.env,
      YARN_NPM_REGISTRY_SERVER: npmEndpoint(ctx),
      YARN_NPM_AUTH_TOKEN: ctx.token,
      YARN_NPM_ALWAYS_AUTH: 'true'
    };
    base.description += '; yarn 2+: YARN_NPM_REGISTRY_SERVER';
    return base;
  },
  detect: hasFile('yarn.lock')
};

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gradle } from './gradle.js';
import { maven } from './maven.js';
import { npm, pnpm, yarn } from './npm.js';
import { pip, poetry, twine, uv } from './python.js';
import {
  TOOL_NAMES,
  type FileChanges,
  type ToolContext,
  type ToolFormat,
  type ToolModule,
  type ToolName,
  type ToolResult
} from './types.js';

export * from './types.js';
export { writePrivateFile, undoFileChanges } from './files.js';
export { mergeMavenSettings, MAVEN_PROFILE_ID, type MavenSettingsParts } from './maven.js';
export { renderNpmrc, npmAuthKey } from './npm.js';
export { pypiIndexUrlWithToken, TOKEN_USER } from './python.js';

/** One module per tool, by name. */
export const TOOLS: Record<ToolName, ToolModule> = { pip, uv, poetry, twine, npm, pnpm, yarn, maven, gradle };

/** The repository formats a set of tools needs endpoints for. */
export function formatsFor(tools: readonly ToolName[]): ToolFormat[] {
  return [...new Set(tools.map((t) => TOOLS[t].format))];
}

/** Folders no project of the workspace lives in: dependencies, build output, virtual environments. */
const NOT_PROJECTS = new Set(['node_modules', 'vendor', 'target', 'build', 'dist', 'out', 'venv']);

/** At most this many subfolders are looked into, so a huge checkout cannot slow the step down. */
const MAX_SUBFOLDERS = 200;

/** A tool `tools: auto` found, and the folder (relative to the workspace, "." for the root) that shows it. */
export interface DetectedTool {
  tool: ToolName;
  folder: string;
}

/**
 * The tools a workspace looks like it uses (for tools: auto), in TOOL_NAMES order: from the files of
 * the root and of each folder one level down (a monorepo's backend/pom.xml, web/package.json),
 * skipping hidden folders and ones that hold dependencies or build output.
 */
export async function detectTools(workspace: string): Promise<DetectedTool[]> {
  const entries = await readdir(workspace, { withFileTypes: true }).catch(() => []);
  const subfolders = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !NOT_PROJECTS.has(e.name))
    .map((e) => e.name)
    .sort()
    .slice(0, MAX_SUBFOLDERS);
  const found: DetectedTool[] = [];
  for (const tool of TOOL_NAMES) {
    const detect = TOOLS[tool].detect;
    if (!detect) continue;
    for (const folder of ['.', ...subfolders]) {
      if (await detect(folder === '.' ? workspace : join(workspace, folder))) {
        found.push({ tool, folder });
        break;
      }
    }
  }
  return found;
}

/** Runs the tool modules one after another (some share files) and merges their file changes. */
export async function configureTools(
  tools: readonly ToolName[],
  ctx: ToolContext
): Promise<{ results: ToolResult[]; changes: FileChanges }> {
  const results: ToolResult[] = [];
  const changes: FileChanges = { created: [], replaced: [], createdDirs: [] };
  for (const name of tools) {
    const result = await TOOLS[name].configure(ctx);
    results.push(result);
    changes.created.push(...result.changes.created.filter((p) => !changes.created.includes(p)));
    changes.replaced.push(...result.changes.replaced);
    changes.createdDirs.push(...result.changes.createdDirs);
  }
  return { results, changes };
}

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

/** The tools a workspace looks like it uses (for tools: auto), in TOOL_NAMES order. */
export async function detectTools(workspace: string): Promise<ToolName[]> {
  const found: ToolName[] = [];
  for (const name of TOOL_NAMES) {
    if (await TOOLS[name].detect?.(workspace)) found.push(name);
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

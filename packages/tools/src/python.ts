import { join } from 'node:path';
import { exists, listNames, readTextIfExists } from './files.js';
import { noChanges, type ToolContext, type ToolModule, type ToolResult } from './types.js';

/** CodeArtifact takes the token as the password of the user "aws". */
export const TOKEN_USER = 'aws';

function pypiEndpoint(ctx: ToolContext): string {
  const endpoint = ctx.endpoints.pypi;
  if (!endpoint) throw new Error('The pypi endpoint of the repository is missing.');
  return endpoint;
}

/** The simple index URL with the credentials in it, for tools that only read credentials from URLs. */
export function pypiIndexUrlWithToken(ctx: ToolContext): string {
  const url = new URL(`${pypiEndpoint(ctx)}simple/`);
  url.username = TOKEN_USER;
  url.password = encodeURIComponent(ctx.token);
  return url.toString();
}

async function looksLikePythonProject(workspace: string): Promise<boolean> {
  const names = await listNames(workspace);
  return names.some(
    (n) => /^requirements.*\.txt$/.test(n) || ['pyproject.toml', 'setup.py', 'setup.cfg'].includes(n)
  );
}

function result(
  tool: ToolResult['tool'],
  env: Record<string, string>,
  description: string,
  secrets: string[] = []
): ToolResult {
  return { tool, env, secrets, changes: noChanges(), description, warnings: [] };
}

/** pip reads no environment references in pip.conf, so the URL with the token goes in an env variable (masked), never a file. */
export const pip: ToolModule = {
  name: 'pip',
  format: 'pypi',
  async configure(ctx) {
    const url = pypiIndexUrlWithToken(ctx);
    const variable = ctx.pipMode === 'index-url' ? 'PIP_INDEX_URL' : 'PIP_EXTRA_INDEX_URL';
    const how = ctx.pipMode === 'index-url' ? 'as the only index' : 'beside PyPI';
    return result('pip', { [variable]: url }, `pip: ${pypiEndpoint(ctx)}simple/ ${how} (${variable})`, [url]);
  },
  detect: looksLikePythonProject
};

/** uv takes a named index and its credentials from UV_INDEX_<NAME>_USERNAME/PASSWORD. */
export const uv: ToolModule = {
  name: 'uv',
  format: 'pypi',
  async configure(ctx) {
    const index = `codeartifact=${pypiEndpoint(ctx)}simple/`;
    const variable = ctx.pipMode === 'index-url' ? 'UV_DEFAULT_INDEX' : 'UV_INDEX';
    return result(
      'uv',
      {
        [variable]: index,
        UV_INDEX_CODEARTIFACT_USERNAME: TOKEN_USER,
        UV_INDEX_CODEARTIFACT_PASSWORD: ctx.token
      },
      `uv: index "codeartifact" = ${pypiEndpoint(ctx)}simple/ (${variable})`
    );
  },
  async detect(workspace) {
    return exists(join(workspace, 'uv.lock'));
  }
};

/** Poetry finds credentials for a source or repository named "codeartifact" in POETRY_HTTP_BASIC_CODEARTIFACT_*. */
export const poetry: ToolModule = {
  name: 'poetry',
  format: 'pypi',
  async configure(ctx) {
    return result(
      'poetry',
      {
        POETRY_REPOSITORIES_CODEARTIFACT_URL: pypiEndpoint(ctx),
        POETRY_HTTP_BASIC_CODEARTIFACT_USERNAME: TOKEN_USER,
        POETRY_HTTP_BASIC_CODEARTIFACT_PASSWORD: ctx.token
      },
      `poetry: repository "codeartifact" = ${pypiEndpoint(ctx)} (publish with -r codeartifact; a source named codeartifact gets the credentials)`
    );
  },
  async detect(workspace) {
    if (await exists(join(workspace, 'poetry.lock'))) return true;
    return /^\[tool\.poetry\]/m.test((await readTextIfExists(join(workspace, 'pyproject.toml'))) ?? '');
  }
};

/** twine uploads to the endpoint itself (no simple/). */
export const twine: ToolModule = {
  name: 'twine',
  format: 'pypi',
  async configure(ctx) {
    return result(
      'twine',
      { TWINE_REPOSITORY_URL: pypiEndpoint(ctx), TWINE_USERNAME: TOKEN_USER, TWINE_PASSWORD: ctx.token },
      `twine: uploads to ${pypiEndpoint(ctx)} (TWINE_REPOSITORY_URL)`
    );
  },
  async detect(workspace) {
    const names = await listNames(workspace);
    return names.includes('setup.py') || names.includes('pyproject.toml');
  }
};

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import {
  TOOLS,
  configureTools,
  detectTools,
  formatsFor,
  mergeMavenSettings,
  undoFileChanges,
  type ToolContext
} from './index.js';

const TOKEN = 'eyJ2ZXIiOjEs+/=token';
let root: string;
let ctx: ToolContext;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tools-test-'));
  await mkdir(join(root, 'home'));
  await mkdir(join(root, 'temp', 'ca'), { recursive: true, mode: 0o700 });
  ctx = {
    token: TOKEN,
    domain: 'acme',
    domainOwner: '111122223333',
    repository: 'shared',
    endpoints: {
      pypi: 'https://acme-111122223333.d.codeartifact.us-east-1.amazonaws.com/pypi/shared/',
      npm: 'https://acme-111122223333.d.codeartifact.us-east-1.amazonaws.com/npm/shared/',
      maven: 'https://acme-111122223333.d.codeartifact.us-east-1.amazonaws.com/maven/shared/'
    },
    configDir: join(root, 'temp', 'ca'),
    home: join(root, 'home'),
    pipMode: 'index-url',
    npmScopes: [],
    mavenServerId: 'codeartifact',
    mavenMirrorOf: '*'
  };
});
afterEach(async () => rm(root, { recursive: true, force: true }));

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

describe('python tools', () => {
  it('pip replaces PyPI through PIP_INDEX_URL with the token URL-encoded, reported as a secret', async () => {
    const result = await TOOLS.pip.configure(ctx);
    const url = new URL(result.env.PIP_INDEX_URL);
    expect(url.pathname).toBe('/pypi/shared/simple/');
    expect(url.username).toBe('aws');
    expect(decodeURIComponent(url.password)).toBe(TOKEN);
    expect(result.secrets).toEqual([result.env.PIP_INDEX_URL]);
    expect(result.changes.created).toEqual([]);
  });

  it('pip adds the repository beside PyPI in extra-index-url mode', async () => {
    const result = await TOOLS.pip.configure({ ...ctx, pipMode: 'extra-index-url' });
    expect(Object.keys(result.env)).toEqual(['PIP_EXTRA_INDEX_URL']);
  });

  it('uv, poetry and twine get the token through their own variables', async () => {
    expect((await TOOLS.uv.configure(ctx)).env).toEqual({
      UV_DEFAULT_INDEX: `codeartifact=${ctx.endpoints.pypi}simple/`,
      UV_INDEX_CODEARTIFACT_USERNAME: 'aws',
      UV_INDEX_CODEARTIFACT_PASSWORD: TOKEN
    });
    expect((await TOOLS.poetry.configure(ctx)).env).toMatchObject({
      POETRY_REPOSITORIES_CODEARTIFACT_URL: ctx.endpoints.pypi,
      POETRY_HTTP_BASIC_CODEARTIFACT_PASSWORD: TOKEN
    });
    expect((await TOOLS.twine.configure(ctx)).env).toEqual({
      TWINE_REPOSITORY_URL: ctx.endpoints.pypi,
      TWINE_USERNAME: 'aws',
      TWINE_PASSWORD: TOKEN
    });
  });
});

describe('npm family', () => {
  it('writes a 0600 .npmrc under the config folder with an env reference, never the token', async () => {
    const result = await TOOLS.npm.configure(ctx);
    const path = result.env.NPM_CONFIG_USERCONFIG;
    expect(path.startsWith(ctx.configDir)).toBe(true);
    const text = await readFile(path, 'utf8');
    expect(text).toBe(
      `registry=${ctx.endpoints.npm}\n//acme-111122223333.d.codeartifact.us-east-1.amazonaws.com/npm/shared/:_authToken=\${CODEARTIFACT_AUTH_TOKEN}\n`
    );
    expect(text).not.toContain(TOKEN);
    expect(await modeOf(path)).toBe(0o600);
  });

  it('routes only the given scopes and keeps the user own .npmrc', async () => {
    await writeFile(join(ctx.home, '.npmrc'), 'fund=false\n');
    const result = await TOOLS.pnpm.configure({ ...ctx, npmScopes: ['@acme', '@tools'] });
    const text = await readFile(result.env.NPM_CONFIG_USERCONFIG, 'utf8');
    expect(text).toMatch(/^fund=false\n/);
    expect(text).toContain(`@acme:registry=${ctx.endpoints.npm}`);
    expect(text).toContain(`@tools:registry=${ctx.endpoints.npm}`);
    expect(text).not.toMatch(/^registry=/m);
  });

  it('yarn 2+ gets the registry and token through YARN_NPM_*, but not when only scopes go to the repository', async () => {
    const whole = await TOOLS.yarn.configure(ctx);
    expect(whole.env).toMatchObject({
      YARN_NPM_REGISTRY_SERVER: ctx.endpoints.npm,
      YARN_NPM_AUTH_TOKEN: TOKEN
    });
    const scoped = await TOOLS.yarn.configure({ ...ctx, npmScopes: ['@acme'] });
    expect(scoped.env.YARN_NPM_AUTH_TOKEN).toBeUndefined();
    expect(scoped.warnings[0]).toContain('npmScopes');
  });

  it("warns, naming file and line, when the project's .npmrc would send npm elsewhere", async () => {
    const workspace = join(root, 'work');
    await mkdir(workspace);
    await writeFile(
      join(workspace, '.npmrc'),
      `# pinned\nengine-strict=true\nregistry=https://registry.npmjs.org/\n@acme:registry=${ctx.endpoints.npm}\n`
    );
    const whole = await TOOLS.npm.configure({ ...ctx, workspace });
    expect(whole.warnings).toEqual([
      expect.stringMatching(
        /work\/\.npmrc:3 sets registry=https:\/\/registry\.npmjs\.org\/, and npm reads the project's \.npmrc .* Remove that line, or set it to https:\/\/acme-.*\/npm\/shared\/\.$/
      )
    ]);
    // npm itself agrees: the project's line wins over the user config written here.
    const seen = execFileSync('npm', ['config', 'get', 'registry'], {
      cwd: workspace,
      env: {
        ...process.env,
        NPM_CONFIG_USERCONFIG: whole.env.NPM_CONFIG_USERCONFIG,
        NPM_CONFIG_REGISTRY: ''
      },
      encoding: 'utf8'
    });
    expect(seen.trim()).toBe('https://registry.npmjs.org/');

    // Scoped routing: the scope's line already points here, and the whole-registry line is not ours.
    expect((await TOOLS.pnpm.configure({ ...ctx, workspace, npmScopes: ['@acme'] })).warnings).toEqual([]);
    expect((await TOOLS.npm.configure(ctx)).warnings).toEqual([]);
  });
});

describe('maven', () => {
  const parse = (xml: string) => new XMLParser({ parseTagValue: false }).parse(xml);

  it('writes ~/.m2/settings.xml with a server env reference, mirror and active profile, and the post step removes it', async () => {
    const { results, changes } = await configureTools(['maven'], ctx);
    const path = join(ctx.home, '.m2', 'settings.xml');
    const xml = await readFile(path, 'utf8');
    expect(xml).not.toContain(TOKEN);
    const settings = parse(xml).settings;
    expect(settings.servers.server).toEqual({
      id: 'codeartifact',
      username: 'aws',
      password: '${env.CODEARTIFACT_AUTH_TOKEN}'
    });
    expect(settings.mirrors.mirror).toMatchObject({
      id: 'codeartifact',
      mirrorOf: '*',
      url: ctx.endpoints.maven
    });
    expect(settings.activeProfiles.activeProfile).toBe('codeartifact');
    expect(settings.profiles.profile.repositories.repository.url).toBe(ctx.endpoints.maven);
    expect(results[0].description).toContain('wrote');
    await undoFileChanges(changes, ctx.configDir);
    await expect(stat(join(ctx.home, '.m2'))).rejects.toThrow();
  });

  it('merges into an existing settings.xml, keeping other entries, and restores it byte for byte', async () => {
    const original =
      '<?xml version="1.0"?>\r\n<!-- mine -->\n<settings>\n  <localRepository>/cache/m2</localRepository>\n' +
      '  <servers><server><id>corp</id><password>${env.CORP}</password></server>' +
      '<server><id>codeartifact</id><password>old</password></server></servers>\n' +
      '  <activeProfiles><activeProfile>corp</activeProfile></activeProfiles>\n</settings>';
    await mkdir(join(ctx.home, '.m2'));
    const path = join(ctx.home, '.m2', 'settings.xml');
    await writeFile(path, original, { mode: 0o644 });
    const { changes } = await configureTools(['maven'], { ...ctx, mavenMirrorOf: 'external:*,!corp' });
    const settings = parse(await readFile(path, 'utf8')).settings;
    expect(settings.localRepository).toBe('/cache/m2');
    expect(settings.servers.server.map((s: { id: string }) => s.id)).toEqual(['corp', 'codeartifact']);
    expect(settings.servers.server[1].password).toBe('${env.CODEARTIFACT_AUTH_TOKEN}');
    expect(settings.activeProfiles.activeProfile).toEqual(['corp', 'codeartifact']);
    expect(settings.mirrors.mirror.mirrorOf).toBe('external:*,!corp');
    await undoFileChanges(changes, ctx.configDir);
    expect(await readFile(path, 'utf8')).toBe(original);
    expect(await modeOf(path)).toBe(0o644);
  });

  it('XML-escapes values', () => {
    const xml = mergeMavenSettings(undefined, { ...ctx, mavenServerId: 'a&b<c' });
    expect(xml).toContain('<id>a&amp;b&lt;c</id>');
    expect(parse(xml).settings.servers.server.id).toBe('a&b<c');
  });

  it('refuses to merge a settings.xml that is not XML, naming it', () => {
    expect(() => mergeMavenSettings('<settings><servers>', ctx, '/home/u/.m2/settings.xml')).toThrow(
      '/home/u/.m2/settings.xml'
    );
  });
});

describe('gradle', () => {
  it('passes the repository as project properties', async () => {
    expect((await TOOLS.gradle.configure(ctx)).env).toEqual({
      ORG_GRADLE_PROJECT_codeartifactUrl: ctx.endpoints.maven,
      ORG_GRADLE_PROJECT_codeartifactUsername: 'aws',
      ORG_GRADLE_PROJECT_codeartifactPassword: TOKEN
    });
  });
});

describe('detectTools', () => {
  it('finds the tools a workspace uses from its files', async () => {
    const ws = join(root, 'ws');
    await mkdir(ws);
    for (const f of ['requirements-dev.txt', 'package.json', 'yarn.lock', 'pom.xml', 'build.gradle.kts'])
      await writeFile(join(ws, f), '');
    expect((await detectTools(ws)).map((f) => f.tool)).toEqual(['pip', 'yarn', 'maven', 'gradle']);
    expect(formatsFor(['pip', 'yarn', 'maven', 'gradle'])).toEqual(['pypi', 'npm', 'maven']);
  });

  it('finds poetry from pyproject.toml and uv from uv.lock', async () => {
    const ws = join(root, 'ws');
    await mkdir(ws);
    await writeFile(join(ws, 'pyproject.toml'), '[tool.poetry]\nname = "x"\n');
    await writeFile(join(ws, 'uv.lock'), '');
    expect((await detectTools(ws)).map((f) => f.tool)).toEqual(['pip', 'uv', 'poetry', 'twine']);
  });

  it("finds a monorepo's projects one level down, naming the folder, and skips dependencies and output", async () => {
    const ws = join(root, 'ws');
    for (const dir of ['backend', 'web', 'node_modules/lib', '.github', 'target', 'docs/deep/api']) {
      await mkdir(join(ws, dir), { recursive: true });
    }
    await writeFile(join(ws, 'backend', 'pom.xml'), '<project/>');
    await writeFile(join(ws, 'web', 'package.json'), '{}');
    await writeFile(join(ws, 'web', 'pnpm-lock.yaml'), '');
    // Not projects of this workspace: a dependency, build output, a hidden folder, two levels down.
    await writeFile(join(ws, 'node_modules', 'package.json'), '{}');
    await writeFile(join(ws, 'target', 'requirements.txt'), '');
    await writeFile(join(ws, '.github', 'requirements.txt'), '');
    await writeFile(join(ws, 'docs', 'deep', 'api', 'build.gradle'), '');
    expect(await detectTools(ws)).toEqual([
      { tool: 'pnpm', folder: 'web' },
      { tool: 'maven', folder: 'backend' }
    ]);
    // The root wins when it shows the tool too.
    await writeFile(join(ws, 'pom.xml'), '<project/>');
    expect((await detectTools(ws)).find((f) => f.tool === 'maven')).toEqual({ tool: 'maven', folder: '.' });
  });
});

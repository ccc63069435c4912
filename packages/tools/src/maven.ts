import { join } from 'node:path';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { exists, readTextIfExists, replaceFileRecorded } from './files.js';
import { TOKEN_USER } from './python.js';
import { noChanges, type ToolContext, type ToolModule } from './types.js';

/** The profile setup-codeartifact adds to settings.xml and activates. */
export const MAVEN_PROFILE_ID = 'codeartifact';

const LISTS = new Set([
  'settings.servers.server',
  'settings.mirrors.mirror',
  'settings.profiles.profile',
  'settings.activeProfiles.activeProfile',
  'settings.pluginGroups.pluginGroup',
  'settings.proxies.proxy'
]);

const XML_OPTIONS = { ignoreAttributes: false, commentPropName: '#comment', parseTagValue: false } as const;

type XmlObject = Record<string, unknown>;

function emptySettings(): XmlObject {
  return {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    settings: {
      '@_xmlns': 'http://maven.apache.org/SETTINGS/1.0.0',
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      '@_xsi:schemaLocation':
        'http://maven.apache.org/SETTINGS/1.0.0 https://maven.apache.org/xsd/settings-1.0.0.xsd'
    }
  };
}

function parseSettings(xml: string | undefined, path: string): XmlObject {
  if (!xml?.trim()) return emptySettings();
  let doc: XmlObject;
  try {
    doc = new XMLParser({ ...XML_OPTIONS, isArray: (_name, jpath) => LISTS.has(String(jpath)) }).parse(
      xml,
      true
    ) as XmlObject;
  } catch (error) {
    throw new Error(`${path} is not valid XML, so it cannot be merged: ${(error as Error).message}`);
  }
  if (typeof doc.settings !== 'object' || doc.settings === null) {
    if (doc.settings === '' || doc.settings === undefined) return { ...doc, settings: {} };
    throw new Error(`${path} has no <settings> element, so it cannot be merged.`);
  }
  return doc;
}

/** Replaces the item with the same id in a settings list (or adds it), leaving the others as they were. */
function upsert(parent: XmlObject, container: string, item: string, entry: XmlObject): void {
  const holder = (
    typeof parent[container] === 'object' && parent[container] !== null ? parent[container] : {}
  ) as XmlObject;
  const list = (Array.isArray(holder[item]) ? holder[item] : []) as XmlObject[];
  holder[item] = [...list.filter((e) => String(e.id) !== String(entry.id)), entry];
  parent[container] = holder;
}

function repositoryEntry(ctx: ToolContext, url: string): XmlObject {
  return { id: ctx.mavenServerId, url, releases: { enabled: 'true' }, snapshots: { enabled: 'true' } };
}

/** Which entries mergeMavenSettings adds; by default all of them. */
export interface MavenSettingsParts {
  /** Only the server (credentials for a deploy), leaving how dependencies resolve as it was. */
  serverOnly?: boolean;
}

/**
 * Merges the repository into a settings.xml: a server whose password is the env reference
 * ${env.CODEARTIFACT_AUTH_TOKEN}, a mirror (mirrorOf from the input), and an active profile with
 * the repository for dependencies and plugins. Entries with other ids are kept; values are XML-escaped.
 */
export function mergeMavenSettings(
  existing: string | undefined,
  ctx: ToolContext,
  path = 'settings.xml',
  options: MavenSettingsParts = {}
): string {
  const url = ctx.endpoints.maven;
  if (!url) throw new Error('The maven endpoint of the repository is missing.');
  const doc = parseSettings(existing, path);
  const settings = doc.settings as XmlObject;
  upsert(settings, 'servers', 'server', {
    id: ctx.mavenServerId,
    username: TOKEN_USER,
    password: '${env.CODEARTIFACT_AUTH_TOKEN}'
  });
  if (!options.serverOnly) addRepositoryRoutes(settings, ctx, url);
  return (
    `${new XMLBuilder({ ...XML_OPTIONS, format: true, indentBy: '  ', suppressEmptyNode: true }).build(doc)}`.trimEnd() +
    '\n'
  );
}

/** The mirror and the active profile that send dependency and plugin downloads to the repository. */
function addRepositoryRoutes(settings: XmlObject, ctx: ToolContext, url: string): void {
  upsert(settings, 'mirrors', 'mirror', {
    id: ctx.mavenServerId,
    name: 'CodeArtifact',
    url,
    mirrorOf: ctx.mavenMirrorOf
  });
  upsert(settings, 'profiles', 'profile', {
    id: MAVEN_PROFILE_ID,
    repositories: { repository: [repositoryEntry(ctx, url)] },
    pluginRepositories: { pluginRepository: [repositoryEntry(ctx, url)] }
  });
  const active = settings.activeProfiles as XmlObject | undefined;
  const names = (Array.isArray(active?.activeProfile) ? active.activeProfile : []) as unknown[];
  // activeProfiles, not activeByDefault: the latter switches off as soon as a pom activates any profile.
  settings.activeProfiles = {
    activeProfile: [...names.filter((n) => String(n) !== MAVEN_PROFILE_ID), MAVEN_PROFILE_ID]
  };
}

/** Maven before 3.9 has no variable for a settings file, so ~/.m2/settings.xml is merged; the original is kept for the post step. */
export const maven: ToolModule = {
  name: 'maven',
  format: 'maven',
  async configure(ctx) {
    const path = join(ctx.home, '.m2', 'settings.xml');
    const merged = mergeMavenSettings(await readTextIfExists(path), ctx, path);
    const changes = noChanges();
    await replaceFileRecorded(path, merged, ctx.configDir, changes);
    const action = changes.replaced.length ? 'merged into' : 'wrote';
    return {
      tool: 'maven',
      env: {},
      secrets: [],
      changes,
      description: `maven: ${action} ${path} (server/mirror "${ctx.mavenServerId}" for ${ctx.mavenMirrorOf}, profile "${MAVEN_PROFILE_ID}", token as \${env.CODEARTIFACT_AUTH_TOKEN})`,
      warnings: []
    };
  },
  async detect(workspace) {
    return exists(join(workspace, 'pom.xml'));
  }
};

import { readFile } from 'node:fs/promises';
import { XMLParser } from 'fast-xml-parser';
import { ConfigurationError } from '@codeartifact-actions/kit';

/** A Maven artifact's coordinates; `version` may still hold an unresolved ${property}. */
export interface MavenCoordinates {
  groupId: string;
  artifactId: string;
  version: string;
  packaging: string;
}

/** What the action reads from a pom.xml without starting Maven. */
export interface PomInfo {
  groupId?: string;
  artifactId?: string;
  /** Undefined when a ${property} in it cannot be resolved from the POM and -D arguments. */
  version?: string;
  /** The version as written, for messages. */
  rawVersion?: string;
  packaging: string;
  /** The maven-deploy-plugin version the POM pins (build plugins or pluginManagement), if any. */
  deployPluginVersion?: string;
  /** `<modules>`: folders (relative to this POM's) of the projects a reactor build also builds. */
  modules: string[];
  /** Properties a module inherits: the inherited ones, then this POM's own `<properties>`. */
  properties: Record<string, string>;
  /** `maven.deploy.skip` is true: mvn deploy leaves this project out. */
  deploySkip: boolean;
}

type XmlNode = Record<string, unknown>;

const LISTS = new Set([
  'project.build.plugins.plugin',
  'project.build.pluginManagement.plugins.plugin',
  'project.modules.module'
]);

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function node(value: unknown): XmlNode {
  return typeof value === 'object' && value !== null ? (value as XmlNode) : {};
}

/** Replaces ${name} references; undefined when one of them is unknown. Nested references resolve up to a few levels. */
export function resolveProperties(value: string, properties: Record<string, string>): string | undefined {
  let current = value;
  for (let depth = 0; depth < 5 && current.includes('${'); depth++) {
    let missing = false;
    current = current.replace(/\$\{([^}]+)\}/g, (_all, name: string) => {
      const found = properties[name];
      if (found === undefined) missing = true;
      return found ?? '';
    });
    if (missing) return undefined;
  }
  return current.includes('${') ? undefined : current;
}

function pluginVersion(plugins: unknown): string | undefined {
  const list = Array.isArray(plugins) ? (plugins as XmlNode[]) : [];
  const deploy = list.find((p) => text(p.artifactId) === 'maven-deploy-plugin');
  return deploy ? text(deploy.version) : undefined;
}

/**
 * Reads coordinates from pom.xml text: properties (and `-Dname=value` overrides, as CI-friendly
 * ${revision} versions use) are resolved; groupId and version fall back to the parent's. A module
 * gets its parent's properties as `inherited`; its own properties and the overrides win over them.
 */
export function parsePom(
  xml: string,
  overrides: Record<string, string> = {},
  path = 'pom.xml',
  inherited: Record<string, string> = {}
): PomInfo {
  let doc: XmlNode;
  try {
    doc = new XMLParser({
      ignoreAttributes: true,
      parseTagValue: false,
      isArray: (_name, jpath) => LISTS.has(String(jpath))
    }).parse(xml, true) as XmlNode;
  } catch (error) {
    throw new ConfigurationError(`${path} is not valid XML: ${(error as Error).message}`);
  }
  const project = node(doc.project);
  if (!doc.project) throw new ConfigurationError(`${path} has no <project> element.`);
  const parent = node(project.parent);
  const properties: Record<string, string> = { ...inherited };
  for (const [key, value] of Object.entries(node(project.properties))) {
    const v = text(value);
    if (v !== undefined) properties[key] = v;
  }
  const rawGroup = text(project.groupId) ?? text(parent.groupId);
  const rawVersion = text(project.version) ?? text(parent.version);
  const artifactId = text(project.artifactId);
  const known: Record<string, string> = { ...properties, ...overrides };
  const builtIns = (version?: string, group?: string): Record<string, string> => ({
    ...(artifactId ? { 'project.artifactId': artifactId } : {}),
    ...(version ? { 'project.version': version } : {}),
    ...(group ? { 'project.groupId': group } : {}),
    ...(text(parent.version) ? { 'project.parent.version': text(parent.version) as string } : {}),
    ...known
  });
  const version = rawVersion ? resolveProperties(rawVersion, builtIns()) : undefined;
  const groupId = rawGroup ? resolveProperties(rawGroup, builtIns(version)) : undefined;
  const build = node(project.build);
  const pinned =
    pluginVersion(node(build.plugins).plugin) ??
    pluginVersion(node(node(build.pluginManagement).plugins).plugin);
  return {
    groupId,
    artifactId,
    version,
    rawVersion,
    packaging: text(project.packaging) ?? 'jar',
    deployPluginVersion: pinned ? resolveProperties(pinned, builtIns(version, groupId)) : undefined,
    modules: (Array.isArray(node(project.modules).module) ? (node(project.modules).module as unknown[]) : [])
      .map(text)
      .filter((m): m is string => m !== undefined),
    properties,
    deploySkip:
      resolveProperties(known['maven.deploy.skip'] ?? 'false', builtIns(version, groupId)) === 'true'
  };
}

/** Reads and parses a pom.xml file; a missing file is a ConfigurationError naming `input`. */
export async function readPom(
  path: string,
  input: string,
  overrides: Record<string, string> = {},
  inherited: Record<string, string> = {}
): Promise<PomInfo> {
  let xml: string;
  try {
    xml = await readFile(path, 'utf8');
  } catch {
    throw new ConfigurationError(
      `Input "${input}": there is no ${path}. Point "${input}" at the folder holding the project's pom.xml (or use "file" for a prebuilt artifact).`
    );
  }
  return parsePom(xml, overrides, path, inherited);
}

/** `-Dname=value` pairs among Maven arguments: the user properties a build would see. */
export function userProperties(args: readonly string[]): Record<string, string> {
  const found: Record<string, string> = {};
  for (const arg of args) {
    const match = /^-D([^=]+)=(.*)$/s.exec(arg);
    if (match) found[match[1]] = match[2];
  }
  return found;
}

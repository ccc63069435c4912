import * as exec from '@actions/exec';
import { stat } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { DescribePackageVersionCommand } from '@aws-sdk/client-codeartifact';
import { rethrowAwsError } from '@codeartifact-actions/aws';
import { ConfigurationError } from '@codeartifact-actions/kit';
import type { RepositoryAccess } from '../access.js';
import { altDeploymentRepository, describeDeployFailure, runMaven, writeDeploySettings } from './deploy.js';
import { readPom, userProperties, type MavenCoordinates, type PomInfo } from './pom.js';
import type { PublishMavenSettings } from './settings.js';

/** What will be deployed, known before any network call. */
export interface MavenTarget {
  /** The root project's (or the prebuilt artifact's) coordinates: the outputs and the tag check. */
  coordinates: MavenCoordinates;
  /**
   * Every project the deploy publishes: the root and the modules of a reactor build (recursively),
   * without those that set maven.deploy.skip. One entry for deploy-file.
   */
  deployed: MavenCoordinates[];
  /** The folder mvn runs in. */
  projectDir: string;
  /** `project`: the project's own deploy; `deploy-file`: a prebuilt artifact. */
  mode: 'project' | 'deploy-file';
  /** The maven-deploy-plugin version the project pins, when it does. */
  deployPluginVersion?: string;
  file?: string;
  pomFile?: string;
  classifier?: string;
}

/** One deployed project and its status in the repository before the step. */
export interface MavenModuleOutcome {
  coordinates: MavenCoordinates;
  previousStatus?: string;
}

/** What the step did. */
export interface MavenPublishOutcome {
  /** `deployed`, or `skipped` when the release was already Published and if-exists is skip. */
  status: 'deployed' | 'skipped';
  coordinates: MavenCoordinates;
  /** Every project of the deploy (the root first). */
  modules: MavenModuleOutcome[];
  /** The version's status in the repository before the step, when it was there. */
  previousStatus?: string;
  /** Wall time of the mvn run in milliseconds (0 when skipped). */
  mavenMillis: number;
}

function sameCoordinates(a: MavenCoordinates, b: MavenCoordinates): boolean {
  return a.groupId === b.groupId && a.artifactId === b.artifactId && a.version === b.version;
}

export function isSnapshot(version: string): boolean {
  return version.endsWith('-SNAPSHOT');
}

export function coordinatesLabel(c: MavenCoordinates): string {
  return `${c.groupId}:${c.artifactId}:${c.version}`;
}

async function fileExists(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false
  );
}

/** `mvn help:evaluate` offline: the slow way, only when the POM's version cannot be resolved by reading it. */
async function evaluateProjectVersion(
  projectDir: string,
  mavenArgs: string[],
  raw?: string
): Promise<string> {
  const args = [
    '-B',
    '-q',
    '-o',
    ...mavenArgs,
    'help:evaluate',
    '-Dexpression=project.version',
    '-DforceStdout'
  ];
  const run = await exec.getExecOutput('mvn', args, {
    cwd: projectDir,
    ignoreReturnCode: true,
    silent: true
  });
  const version = run.stdout.trim().split('\n').pop()?.trim();
  if (run.exitCode !== 0 || !version || version.includes('${')) {
    throw new ConfigurationError(
      `The project version "${raw ?? '(none)'}" in ${join(projectDir, 'pom.xml')} could not be resolved from the POM, and mvn help:evaluate failed. ` +
        'Give the property in "maven-args" (such as -Drevision=1.2.3) or in <properties>.'
    );
  }
  return version;
}

function checkExpectedVersion(version: string, expected: string | undefined, source: string): void {
  if (expected === undefined || version === expected) return;
  throw new ConfigurationError(
    `The tag names version ${expected} but ${source} says ${version}: nothing was built. ` +
      'Tag the commit whose version matches, fix the version, or set "version-check: false".'
  );
}

async function projectTarget(settings: PublishMavenSettings, projectDir: string): Promise<MavenTarget> {
  const pomPath = join(projectDir, 'pom.xml');
  const overrides = userProperties(settings.mavenArgs);
  const pom = await readPom(pomPath, 'working-directory', overrides);
  const version =
    pom.version ?? (await evaluateProjectVersion(projectDir, settings.mavenArgs, pom.rawVersion));
  if (!pom.groupId || !pom.artifactId) {
    throw new ConfigurationError(`${pomPath} has no groupId or artifactId (nor a parent groupId).`);
  }
  checkExpectedVersion(version, settings.expectedVersion, pomPath);
  const coordinates = { groupId: pom.groupId, artifactId: pom.artifactId, version, packaging: pom.packaging };
  const modules = await reactorModules(projectDir, pom, overrides, new Set([projectDir]));
  return {
    coordinates,
    deployed: [...(pom.deploySkip ? [] : [coordinates]), ...modules],
    projectDir,
    mode: 'project',
    deployPluginVersion: pom.deployPluginVersion
  };
}

/** The most projects read from one reactor: a guard against a <modules> cycle through symbolic links. */
const MAX_MODULES = 500;

/**
 * The coordinates of the modules under a POM, depth first as the reactor lists them, read without
 * Maven: each inherits its parent's properties; one that sets maven.deploy.skip is left out, but
 * its own modules are not.
 */
async function reactorModules(
  dir: string,
  pom: PomInfo,
  overrides: Record<string, string>,
  seen: Set<string>
): Promise<MavenCoordinates[]> {
  const found: MavenCoordinates[] = [];
  for (const module of pom.modules) {
    const moduleDir = resolve(dir, module);
    if (seen.has(moduleDir) || seen.size >= MAX_MODULES) continue;
    seen.add(moduleDir);
    const modulePom = module.endsWith('.xml') ? moduleDir : join(moduleDir, 'pom.xml');
    if (!(await fileExists(modulePom))) {
      throw new ConfigurationError(
        `${join(dir, 'pom.xml')} lists module "${module}", but there is no ${modulePom}. Fix <modules>, or check the module out.`
      );
    }
    const child = await readPom(modulePom, 'working-directory', overrides, pom.properties);
    if (!child.groupId || !child.artifactId || !child.version) {
      throw new ConfigurationError(
        `${modulePom}: its groupId, artifactId or version (${child.rawVersion ?? 'none'}) could not be read from the POM and its parent's properties. ` +
          'Give the property in "maven-args" (such as -Drevision=1.2.3).'
      );
    }
    if (!child.deploySkip) {
      found.push({
        groupId: child.groupId,
        artifactId: child.artifactId,
        version: child.version,
        packaging: child.packaging
      });
    }
    const childDir = module.endsWith('.xml') ? dirname(moduleDir) : moduleDir;
    found.push(...(await reactorModules(childDir, child, overrides, seen)));
  }
  return found;
}

async function deployFileTarget(settings: PublishMavenSettings, projectDir: string): Promise<MavenTarget> {
  const inputs = settings.deployFile!;
  const file = resolve(projectDir, inputs.file);
  if (!(await fileExists(file))) {
    throw new ConfigurationError(`Input "file": there is no file ${file} to deploy.`);
  }
  let pom: Partial<PomInfo> = {};
  const pomFile = inputs.pomFile ? resolve(projectDir, inputs.pomFile) : undefined;
  if (pomFile) pom = await readPom(pomFile, 'pom-file');
  const coordinates = {
    groupId: inputs.groupId ?? pom.groupId,
    artifactId: inputs.artifactId ?? pom.artifactId,
    version: inputs.version ?? pom.version,
    packaging: inputs.packaging ?? (pomFile ? pom.packaging : undefined) ?? (extname(file).slice(1) || 'jar')
  };
  const missing = (['groupId', 'artifactId', 'version'] as const).find((key) => !coordinates[key]);
  if (missing) throw new ConfigurationError(`Input "pom-file": ${pomFile} gives no ${missing}.`);
  checkExpectedVersion(coordinates.version as string, settings.expectedVersion, 'the "version" input');
  return {
    coordinates: coordinates as MavenCoordinates,
    deployed: [coordinates as MavenCoordinates],
    projectDir,
    mode: 'deploy-file',
    file,
    pomFile,
    classifier: inputs.classifier
  };
}

/** Reads the coordinates (POM or deploy-file inputs) and checks the tag against the version, before any network call. */
export async function resolveMavenTarget(
  settings: PublishMavenSettings,
  workspace: string
): Promise<MavenTarget> {
  const projectDir = resolve(workspace, settings.workingDirectory);
  return settings.deployFile ? deployFileTarget(settings, projectDir) : projectTarget(settings, projectDir);
}

/** The version's status in the repository, or undefined when it is not there. */
export async function mavenVersionStatus(
  access: RepositoryAccess,
  coordinates: MavenCoordinates
): Promise<string | undefined> {
  const context = {
    operation: 'DescribePackageVersion',
    domain: access.domain,
    domainOwner: access.domainOwner,
    repository: access.repository,
    namespace: coordinates.groupId,
    packageName: coordinates.artifactId,
    version: coordinates.version
  };
  try {
    const answer = await access.client.send(
      new DescribePackageVersionCommand({
        domain: access.domain,
        domainOwner: access.domainOwner,
        repository: access.repository,
        format: 'maven',
        namespace: coordinates.groupId,
        package: coordinates.artifactId,
        packageVersion: coordinates.version
      })
    );
    return answer.packageVersion?.status;
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
    rethrowAwsError(error, context);
  }
}

/** The mvn arguments for the target; the token is not among them (settings.xml refers to the environment). */
export function mavenArguments(
  settings: PublishMavenSettings,
  target: MavenTarget,
  settingsPath: string,
  endpoint: string
): string[] {
  const common = ['-B', '-ntp', '-s', settingsPath, ...settings.mavenArgs];
  if (target.mode === 'deploy-file') {
    const c = target.coordinates;
    return [
      ...common,
      `org.apache.maven.plugins:maven-deploy-plugin:${settings.deployPluginVersion}:deploy-file`,
      `-Dfile=${target.file}`,
      `-DrepositoryId=${settings.serverId}`,
      `-Durl=${endpoint}`,
      `-DgroupId=${c.groupId}`,
      `-DartifactId=${c.artifactId}`,
      `-Dversion=${c.version}`,
      `-Dpackaging=${c.packaging}`,
      ...(target.pomFile ? [`-DpomFile=${target.pomFile}`] : []),
      ...(target.classifier ? [`-Dclassifier=${target.classifier}`] : [])
    ];
  }
  return [
    ...common,
    ...(settings.skipTests ? ['-DskipTests'] : []),
    `-DaltDeploymentRepository=${altDeploymentRepository(settings.serverId, endpoint, target.deployPluginVersion)}`,
    ...settings.goals
  ];
}

/**
 * Deploys the target: a release already Published is skipped or refused (if-exists) before anything
 * is built; SNAPSHOTs always deploy. settings.xml goes in `tempDir` (under RUNNER_TEMP).
 */
export async function publishMaven(
  access: RepositoryAccess,
  settings: PublishMavenSettings,
  target: MavenTarget,
  options: { home: string; tempDir: string; log: (message: string) => void }
): Promise<MavenPublishOutcome> {
  const { coordinates } = target;
  const label = coordinatesLabel(coordinates);
  const modules: MavenModuleOutcome[] = await Promise.all(
    target.deployed.map(async (module) => ({
      coordinates: module,
      previousStatus: isSnapshot(module.version) ? undefined : await mavenVersionStatus(access, module)
    }))
  );
  const previousStatus = modules.find((m) => sameCoordinates(m.coordinates, coordinates))?.previousStatus;
  const published = modules.filter((m) => m.previousStatus === 'Published');
  const names = (list: MavenModuleOutcome[]) => list.map((m) => coordinatesLabel(m.coordinates)).join(', ');
  if (published.length > 0 && (published.length === modules.length || settings.ifExists === 'fail')) {
    const what =
      modules.length > 1
        ? `${names(published)} (${published.length} of ${modules.length} projects) are`
        : `${label} is`;
    if (settings.ifExists === 'fail') {
      throw new Error(
        `${what} already Published in repository "${access.repository}", and a release version cannot be replaced (if-exists: fail). Raise the version to publish again.`
      );
    }
    options.log(`${what} already Published in repository "${access.repository}": skipped (if-exists: skip).`);
    return { status: 'skipped', coordinates, modules, previousStatus, mavenMillis: 0 };
  }
  if (published.length > 0) {
    const missing = modules.filter((m) => m.previousStatus !== 'Published');
    options.log(
      `A previous deploy stopped part-way: ${names(published)} already Published, ${names(missing)} not. ` +
        'Deploying all of them: the Published ones are accepted again only with identical bytes (a reproducible build, project.build.outputTimestamp).'
    );
  }
  const settingsPath = await writeDeploySettings(
    options.tempDir,
    options.home,
    settings.serverId,
    access.endpoint
  );
  const args = mavenArguments(settings, target, settingsPath, access.endpoint);
  const started = Date.now();
  const run = await runMaven(args, target.projectDir, { CODEARTIFACT_AUTH_TOKEN: access.token });
  const mavenMillis = Date.now() - started;
  options.log(`mvn finished in ${mavenMillis} ms (exit code ${run.exitCode}).`);
  if (run.exitCode !== 0) {
    throw new Error(
      describeDeployFailure(run, {
        repository: access.repository,
        coordinates: label,
        version: coordinates.version
      })
    );
  }
  return { status: 'deployed', coordinates, modules, previousStatus, mavenMillis };
}

/** Rows for the job summary table: one per deployed project. */
export function mavenSummaryRows(
  outcome: MavenPublishOutcome,
  access: { repository: string; endpoint: string }
) {
  const rows = outcome.modules.length > 0 ? outcome.modules : [{ coordinates: outcome.coordinates }];
  return [
    [
      { data: 'groupId', header: true },
      { data: 'artifactId', header: true },
      { data: 'version', header: true },
      { data: 'packaging', header: true },
      { data: 'status', header: true },
      { data: 'repository', header: true }
    ],
    ...rows.map(({ coordinates: c }) => [
      c.groupId,
      c.artifactId,
      c.version,
      c.packaging,
      outcome.status,
      `${access.repository} (${access.endpoint})`
    ])
  ];
}

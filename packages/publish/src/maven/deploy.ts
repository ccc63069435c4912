import * as core from '@actions/core';
import * as exec from '@actions/exec';
import { join } from 'node:path';
import { fileContext, mergeMavenSettings, writePrivateFile } from '@codeartifact-actions/tools';
import { readFile } from 'node:fs/promises';

/** How many lines of Maven's output are kept to explain a failure. */
const KEPT_LINES = 400;

/**
 * The -DaltDeploymentRepository value: `id::url` for maven-deploy-plugin 3.x; `id::default::url`
 * when the plugin is 2.x or unknown (2.x needs the layout, 3.x still accepts it with a warning).
 */
export function altDeploymentRepository(serverId: string, url: string, pluginVersion?: string): string {
  const major = pluginVersion ? Number.parseInt(pluginVersion, 10) : NaN;
  return major >= 3 ? `${serverId}::${url}` : `${serverId}::default::${url}`;
}

/**
 * Writes settings.xml for the deploy into `dir` (mode 0600): the user's ~/.m2/settings.xml with its
 * mirrors, profiles and servers, plus the server `serverId` whose password is ${env.CODEARTIFACT_AUTH_TOKEN}.
 */
export async function writeDeploySettings(
  dir: string,
  home: string,
  serverId: string,
  endpoint: string
): Promise<string> {
  const userSettings = join(home, '.m2', 'settings.xml');
  const existing = await readFile(userSettings, 'utf8').catch(() => undefined);
  const ctx = fileContext({ configDir: dir, home, endpoints: { maven: endpoint }, mavenServerId: serverId });
  const path = join(dir, 'settings.xml');
  await writePrivateFile(path, mergeMavenSettings(existing, ctx, userSettings, { serverOnly: true }));
  return path;
}

/** What a Maven run left: its exit code and the last lines of its output. */
export interface MavenRun {
  exitCode: number;
  output: string[];
}

/** Runs mvn in `cwd` inside a log group; the token reaches it only through the environment. */
export async function runMaven(args: string[], cwd: string, env: Record<string, string>): Promise<MavenRun> {
  const output: string[] = [];
  const keep = (line: string) => {
    output.push(line);
    if (output.length > KEPT_LINES) output.shift();
  };
  const exitCode = await core.group(`mvn ${args.join(' ')}`, () =>
    exec.exec('mvn', args, {
      cwd,
      env: { ...(process.env as Record<string, string>), ...env },
      ignoreReturnCode: true,
      listeners: { stdline: keep, errline: keep }
    })
  );
  return { exitCode, output };
}

/** The HTTP status a failed deploy reported, from Maven's wagon/resolver messages. */
export function deployStatusCode(output: readonly string[]): number | undefined {
  const patterns = [
    /status(?: code)?:?\s*(\d{3})/i,
    /return code is:?\s*(\d{3})/i,
    /\b(40[0-9])\s+(Unauthorized|Forbidden|Conflict|Not Found|Bad Request)\b/i,
    /\((40[0-9])\)/
  ];
  for (const line of [...output].reverse()) {
    if (!/ERROR|FAILURE|Failed/i.test(line)) continue;
    for (const pattern of patterns) {
      const match = pattern.exec(line);
      if (match) return Number(match[1]);
    }
  }
  return undefined;
}

/** What a deploy failure means and what to do about it, from the status mvn reported. */
export function describeDeployFailure(
  run: MavenRun,
  target: { repository: string; coordinates: string; version: string }
): string {
  const status = deployStatusCode(run.output);
  const where = `repository "${target.repository}"`;
  const last = run.output.filter((line) => /\[ERROR\]/.test(line))[0]?.replace(/^\[ERROR\]\s*/, '');
  const detail = last ? ` mvn said: ${last}` : '';
  switch (status) {
    case 401:
      return `The deploy of ${target.coordinates} was refused with 401: the CodeArtifact token was not accepted (expired, or for another domain). Fetch a new one (re-run setup-codeartifact, or give this step the auth inputs).${detail}`;
    case 403:
      return `The deploy of ${target.coordinates} was refused with 403: the role may not publish to ${where}. Allow "codeartifact:PublishPackageVersion" and "codeartifact:PutPackageMetadata" on the package in the role's permissions policy.${detail}`;
    case 409:
      return (
        `The deploy of ${target.coordinates} was refused with 409: release ${target.version} is already in ${where} with different bytes, and a release version cannot be replaced. ` +
        'Raise the version, or make the build reproducible (set project.build.outputTimestamp) so a re-run uploads identical files.' +
        detail
      );
    default:
      return `mvn failed with exit code ${run.exitCode}${status ? ` (HTTP ${status})` : ''}.${detail}`;
  }
}

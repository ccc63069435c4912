/**
 * What the package-endpoint tests share: an emulator with a domain, repositories and external
 * connection folders, tokens from GetAuthorizationToken, and a way to run the real tools.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CodeartifactClient,
  GetAuthorizationTokenCommand,
  GetRepositoryEndpointCommand,
  ListPackagesCommand,
  ListPackageVersionsCommand,
  type PackageFormat
} from '@aws-sdk/client-codeartifact';
import { parseConfig, startEmulator, type RunningEmulator } from '@codeartifact-actions/emulator';

export const DOMAIN = 'acme';

export interface RepositorySpec {
  name: string;
  upstreams?: string[];
  externalConnections?: string[];
}

export interface FormatsWorld {
  emulator: RunningEmulator;
  client: CodeartifactClient;
  /** A scratch folder removed by close(). */
  scratch: string;
  token(durationSeconds?: number): Promise<string>;
  endpoint(format: PackageFormat, repository: string): Promise<string>;
  /** `format/namespace/package` of each package in the repository, with its versions' origin types. */
  packages(repository: string, format: PackageFormat): Promise<Record<string, string[]>>;
  close(): Promise<void>;
}

/** Starts an emulator; `externalConnections` maps connection names to folders under the scratch folder. */
export async function startWorld(
  repositories: RepositorySpec[],
  externalConnections: Record<string, string> = {},
  options: { clock?: () => number } = {}
): Promise<FormatsWorld> {
  const scratch = await mkdtemp(join(tmpdir(), 'formats-test-'));
  const config = parseConfig({ externalConnections }, 'formats test', scratch);
  const emulator = await startEmulator({ config, clock: options.clock });
  await emulator.createDomain(DOMAIN);
  for (const repository of repositories) {
    await emulator.createRepository(DOMAIN, repository.name, {
      upstreams: repository.upstreams,
      externalConnections: repository.externalConnections
    });
  }
  const client = new CodeartifactClient({
    endpoint: emulator.info.endpoint,
    region: emulator.info.region,
    credentials: emulator.info.credentials
  });
  return {
    emulator,
    client,
    scratch,
    token: async (durationSeconds) => {
      const answer = await client.send(new GetAuthorizationTokenCommand({ domain: DOMAIN, durationSeconds }));
      return answer.authorizationToken as string;
    },
    endpoint: async (format, repository) => {
      const answer = await client.send(
        new GetRepositoryEndpointCommand({ domain: DOMAIN, repository, format })
      );
      return answer.repositoryEndpoint as string;
    },
    packages: async (repository, format) => {
      const listed = await client.send(new ListPackagesCommand({ domain: DOMAIN, repository, format }));
      const result: Record<string, string[]> = {};
      for (const summary of listed.packages ?? []) {
        const versions = await client.send(
          new ListPackageVersionsCommand({
            domain: DOMAIN,
            repository,
            format,
            namespace: summary.namespace,
            package: summary.package
          })
        );
        const name = summary.namespace
          ? `${summary.namespace}/${summary.package}`
          : (summary.package as string);
        result[name] = (versions.versions ?? []).map(
          (version) => `${version.version}:${version.origin?.originType}`
        );
      }
      return result;
    },
    close: async () => {
      client.destroy();
      await emulator.close();
      await rm(scratch, { recursive: true, force: true });
    }
  };
}

export interface ToolRun {
  code: number;
  /** stdout, then stderr. */
  output: string;
  stdout: string;
}

/** Runs a tool to completion; never throws for a non-zero exit (tests check the code and output). */
export function runTool(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {}
): Promise<ToolRun> {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env,
        timeout: options.timeoutMs ?? 180_000,
        maxBuffer: 64 * 1024 * 1024
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}\n${stderr}`, stdout });
      }
    );
  });
}

/** The request log's operations for requests whose path contains `fragment`. */
export function loggedOperations(emulator: RunningEmulator, fragment: string): string[] {
  return emulator
    .requestLog()
    .filter((entry) => entry.path.includes(fragment))
    .map((entry) => `${entry.operation} ${entry.status}`);
}

/** `http://aws:<token>@host/...` for tools that take credentials in the URL. */
export function withCredentials(url: string, token: string): string {
  const parsed = new URL(url);
  parsed.username = 'aws';
  parsed.password = token;
  return parsed.toString();
}

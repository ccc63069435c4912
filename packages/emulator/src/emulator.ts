/** Starting and stopping the local CodeArtifact in-process: what tests and the CLI call. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveAdmin } from './admin.js';
import { loadConfig, defaultConfig, type EmulatorConfig } from './config.js';
import type { Format, FormatHandler, RepositoryStore } from './contracts.js';
import { Observer, type ActiveFault, type FaultSpec, type RequestLogEntry } from './faults.js';
import { defaultFormats } from './formats/index.js';
import { createIdentity } from './identity/index.js';
import type { TokenClaims, Credentials } from './identity/index.js';
import { createRequestListener, type EmulatorServices } from './server.js';
import { Catalog } from './storage/catalog.js';

export interface StartOptions {
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Port; default 0 (a free port, reported in `info.endpoint`). */
  port?: number;
  /** Keep domains, repositories, versions and assets here across restarts; in memory when omitted. */
  dataDir?: string;
  /** The configuration, or the path of its JSON file; the defaults when omitted. */
  config?: EmulatorConfig | string;
  /** Package endpoint handlers by format, over the built-in ones. */
  formats?: Partial<Record<Format, FormatHandler>>;
  /**
   * The identity side's clock (epoch milliseconds): tests move it forward to expire authorization
   * tokens, OIDC tokens and role sessions. SigV4's 15-minute skew check reads it too.
   */
  clock?: () => number;
}

/** The ready line the CLI prints: everything a client needs to talk to the emulator. */
export interface ReadyInfo {
  endpoint: string;
  region: string;
  accountId: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  oidc: { issuer: string; requestUrl: string; requestToken: string };
  roles: string[];
  /** The admin API's base URL. */
  admin: string;
  /** The data directory, when the emulator keeps its state on disk. */
  dataDir?: string;
}

export interface RunningEmulator {
  readonly info: ReadyInfo;
  /** Stops listening, drops open connections and (in memory mode) deletes the stored assets. */
  close(): Promise<void>;
  /** Requests served so far, oldest first. */
  requestLog(): RequestLogEntry[];
  clearRequestLog(): void;
  /** Makes the next `count` matching requests fail, wait or lose their connection. */
  injectFault(fault: FaultSpec): void;
  faults(): ActiveFault[];
  clearFaults(): void;
  /** A GitHub OIDC token from the emulator's issuer, with these claims over the configured ones. */
  issueOidcToken(claims?: TokenClaims): Promise<string>;
  /** Credentials of a session of a configured role, without the OIDC round trip. */
  assumeRole(
    roleArn: string,
    options?: { sessionName?: string; durationSeconds?: number }
  ): Required<Credentials>;
  createDomain(name: string, options?: { owner?: string }): Promise<void>;
  createRepository(
    domain: string,
    name: string,
    options?: { owner?: string; description?: string; upstreams?: string[]; externalConnections?: string[] }
  ): Promise<void>;
  /** A repository's store, for checking what a tool published. */
  repository(domain: string, name: string, owner?: string): RepositoryStore | undefined;
}

export async function startEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const config =
    typeof options.config === 'string' ? loadConfig(options.config) : (options.config ?? defaultConfig());
  const catalog = await Catalog.open(options.dataDir);
  const observer = new Observer();
  let baseUrl = '';
  const identity = await createIdentity({
    baseUrl: () => baseUrl,
    config,
    region: config.region,
    now: options.clock
  });
  await createConfiguredDomains(catalog, config);

  const info = (): ReadyInfo => ({
    endpoint: baseUrl,
    region: config.region,
    ...identity.readyInfo(),
    admin: `${baseUrl}/_emulator`,
    ...(options.dataDir ? { dataDir: options.dataDir } : {})
  });
  const services: EmulatorServices = {
    catalog,
    identity,
    observer,
    formats: { ...defaultFormats, ...options.formats },
    externalConnections: config.externalConnections,
    region: config.region,
    baseUrl,
    admin: (req, res, path) =>
      serveAdmin(
        {
          catalog,
          observer,
          accountId: config.accountId,
          info,
          issueOidcToken: (claims) => identity.issueOidcToken(claims as TokenClaims)
        },
        req,
        res,
        path
      )
  };
  // No whole-request deadline: a large asset upload may take longer than Node's default 5 minutes.
  const server = createServer({ requestTimeout: 0 }, createRequestListener(services));
  const address = await listen(server, options.host ?? '127.0.0.1', options.port ?? 0);
  baseUrl = `http://${formatHost(address.address)}:${address.port}`;
  services.baseUrl = baseUrl;
  const ready = info();

  return {
    info: ready,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await catalog.close();
    },
    requestLog: () => observer.requests(),
    clearRequestLog: () => observer.clearRequests(),
    injectFault: (fault) => observer.addFault(fault),
    faults: () => observer.listFaults(),
    clearFaults: () => observer.clearFaults(),
    issueOidcToken: (claims = {}) => identity.issueOidcToken(claims),
    assumeRole: (roleArn, roleOptions) => identity.assumeRole(roleArn, roleOptions),
    createDomain: async (name, { owner = config.accountId } = {}) => {
      await catalog.createDomain(owner, name);
    },
    createRepository: async (
      domain,
      name,
      { owner = config.accountId, externalConnections = [], ...rest } = {}
    ) => {
      const store = await catalog.createRepository(owner, domain, name, rest);
      store.record.externalConnections.push(...externalConnections);
      await catalog.save();
    },
    repository: (domain, name, owner = config.accountId) => catalog.repository(owner, domain, name)
  };
}

/** Creates the configuration's domains and repositories that do not exist yet (a data dir may hold them). */
async function createConfiguredDomains(catalog: Catalog, config: EmulatorConfig): Promise<void> {
  const owner = config.accountId;
  for (const domain of config.domains) {
    if (!catalog.getDomain(owner, domain.name)) await catalog.createDomain(owner, domain.name);
    let pending = domain.repositories.filter((repo) => !catalog.repository(owner, domain.name, repo.name));
    while (pending.length > 0) {
      // Upstreams first: a repository is created once every repository it names exists.
      const ready = pending.filter((repo) =>
        repo.upstreams.every((up) => catalog.repository(owner, domain.name, up))
      );
      if (ready.length === 0)
        throw new Error(
          `The upstreams of domain ${domain.name} form a cycle: ${pending.map((r) => r.name).join(', ')}`
        );
      for (const repo of ready) {
        const store = await catalog.createRepository(owner, domain.name, repo.name, {
          description: repo.description,
          upstreams: repo.upstreams
        });
        store.record.externalConnections.push(...repo.externalConnections);
      }
      pending = pending.filter((repo) => !ready.includes(repo));
    }
    await catalog.save();
  }
}

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function formatHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

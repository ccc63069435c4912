/**
 * Domains, repositories, packages and versions: the emulator's records. In memory, written as one
 * JSON file under the data directory after every change when there is one, so a restart keeps them.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobStore } from './blobs.js';
import { StoredRepository } from './repository.js';
import { conflict, notFound, type DomainRecord, type RepositoryRecord, type Tag } from './records.js';

interface CatalogData {
  domains: Record<string, DomainRecord>;
  repositories: Record<string, RepositoryRecord>;
}

const CATALOG_FILE = 'catalog.json';

function domainId(owner: string, domain: string): string {
  return `${owner}/${domain}`;
}

function repositoryId(owner: string, domain: string, repository: string): string {
  return `${owner}/${domain}/${repository}`;
}

export class Catalog {
  private saving: Promise<void> = Promise.resolve();
  private readonly stores = new Map<string, StoredRepository>();

  private constructor(
    private readonly data: CatalogData,
    readonly blobs: BlobStore,
    /** Where the catalog is written; undefined in memory mode. */
    private readonly dataDir: string | undefined,
    /** A private folder removed on close (memory mode). */
    private readonly scratchDir: string | undefined
  ) {}

  /** Opens the catalog in `dataDir`, or a fresh in-memory one whose blobs live in a temp folder. */
  static async open(dataDir?: string): Promise<Catalog> {
    if (!dataDir) {
      const scratch = await mkdtemp(join(tmpdir(), 'codeartifact-local-'));
      return new Catalog(
        { domains: {}, repositories: {} },
        await BlobStore.open(scratch),
        undefined,
        scratch
      );
    }
    await mkdir(dataDir, { recursive: true });
    const data = await readCatalog(join(dataDir, CATALOG_FILE));
    return new Catalog(data, await BlobStore.open(join(dataDir, 'blobs')), dataDir, undefined);
  }

  /** Writes the catalog (on disk mode); writes are serialized so the file is never half new. */
  save(): Promise<void> {
    if (!this.dataDir) return Promise.resolve();
    const dir = this.dataDir;
    const write = this.saving.then(async () => {
      const temp = join(dir, `${CATALOG_FILE}.${process.pid}.tmp`);
      await writeFile(temp, JSON.stringify(this.data));
      await rename(temp, join(dir, CATALOG_FILE));
    });
    // A failed write fails its caller's request; the next write starts afresh with the whole catalog.
    this.saving = write.catch(() => undefined);
    return write;
  }

  async close(): Promise<void> {
    await this.saving;
    if (this.scratchDir) await rm(this.scratchDir, { recursive: true, force: true });
  }

  getDomain(owner: string, name: string): DomainRecord | undefined {
    return this.data.domains[domainId(owner, name)];
  }

  /** The domain, or ResourceNotFoundException naming it. */
  requireDomain(owner: string, name: string): DomainRecord {
    const domain = this.getDomain(owner, name);
    if (!domain) throw notFound('domain', name, `Domain '${name}' owned by account ${owner} does not exist`);
    return domain;
  }

  async createDomain(
    owner: string,
    name: string,
    options: { encryptionKey?: string; tags?: Tag[] } = {}
  ): Promise<DomainRecord> {
    if (this.getDomain(owner, name))
      throw conflict('domain', name, `Domain '${name}' already exists in account ${owner}`);
    const record: DomainRecord = {
      name,
      owner,
      createdTime: Date.now() / 1000,
      encryptionKey: options.encryptionKey,
      tags: options.tags ?? []
    };
    this.data.domains[domainId(owner, name)] = record;
    await this.save();
    return record;
  }

  listRepositories(owner: string, domain: string): RepositoryRecord[] {
    return Object.values(this.data.repositories)
      .filter((r) => r.owner === owner && r.domain === domain)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The repository's store, or undefined when the domain or repository does not exist. */
  repository(owner: string, domain: string, name: string): StoredRepository | undefined {
    const id = repositoryId(owner, domain, name);
    const record = this.data.repositories[id];
    if (!record) return undefined;
    let store = this.stores.get(id);
    if (!store) {
      store = new StoredRepository(record, this.blobs, () => this.save());
      this.stores.set(id, store);
    }
    return store;
  }

  /** The repository's store, or ResourceNotFoundException naming the domain or the repository. */
  requireRepository(owner: string, domain: string, name: string): StoredRepository {
    this.requireDomain(owner, domain);
    const store = this.repository(owner, domain, name);
    if (!store)
      throw notFound('repository', name, `Repository '${name}' does not exist in domain '${domain}'`);
    return store;
  }

  async createRepository(
    owner: string,
    domain: string,
    name: string,
    options: { description?: string; upstreams?: string[]; tags?: Tag[] } = {}
  ): Promise<StoredRepository> {
    this.requireDomain(owner, domain);
    if (this.repository(owner, domain, name)) {
      throw conflict('repository', name, `Repository '${name}' already exists in domain '${domain}'`);
    }
    const upstreams = options.upstreams ?? [];
    for (const upstream of upstreams) this.requireRepository(owner, domain, upstream);
    const record: RepositoryRecord = {
      domain,
      owner,
      name,
      description: options.description,
      upstreams,
      externalConnections: [],
      createdTime: Date.now() / 1000,
      tags: options.tags ?? [],
      packages: {}
    };
    this.data.repositories[repositoryId(owner, domain, name)] = record;
    await this.save();
    return this.repository(owner, domain, name)!;
  }

  /** Total bytes of the domain's assets, counting each asset where it is listed. */
  domainAssetBytes(owner: string, domain: string): number {
    let total = 0;
    for (const repository of this.listRepositories(owner, domain)) {
      for (const pkg of Object.values(repository.packages)) {
        for (const version of Object.values(pkg.versions)) {
          for (const asset of version.assets) total += asset.size;
        }
      }
    }
    return total;
  }
}

async function readCatalog(path: string): Promise<CatalogData> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as CatalogData;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { domains: {}, repositories: {} };
    throw new Error(`Cannot read ${path}: ${(error as Error).message}`);
  }
}

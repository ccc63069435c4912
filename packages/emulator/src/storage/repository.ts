/** One repository's packages and versions, as the format handlers and the control plane see them. */
import type { Readable } from 'node:stream';
import {
  ServiceError,
  type Format,
  type PackageKey,
  type RepositoryStore,
  type StoredAsset,
  type StoredVersion,
  type VersionStatus
} from '../contracts.js';
import type { BlobStore, StagedBlob } from './blobs.js';
import {
  conflict,
  newRevision,
  notFound,
  packageId,
  type PackageRecord,
  type RepositoryRecord
} from './records.js';

export interface PutAssetOptions {
  expectedSha256?: string;
  replace?: boolean;
  originType?: 'INTERNAL' | 'EXTERNAL';
  origin?: string;
}

export function describeKey(key: PackageKey): string {
  return key.namespace ? `${key.namespace}/${key.package}` : key.package;
}

export class StoredRepository implements RepositoryStore {
  constructor(
    readonly record: RepositoryRecord,
    private readonly blobs: BlobStore,
    private readonly save: () => Promise<void>
  ) {}

  get domain(): string {
    return this.record.domain;
  }
  get domainOwner(): string {
    return this.record.owner;
  }
  get name(): string {
    return this.record.name;
  }
  get upstreams(): string[] {
    return this.record.upstreams;
  }
  get externalConnections(): string[] {
    return this.record.externalConnections;
  }

  async listPackages(format?: Format): Promise<PackageKey[]> {
    return Object.values(this.record.packages)
      .filter((p) => !format || p.key.format === format)
      .map((p) => ({ ...p.key }));
  }

  async listVersions(key: PackageKey): Promise<StoredVersion[]> {
    const pkg = this.record.packages[packageId(key)];
    return pkg ? Object.values(pkg.versions).map(copyVersion) : [];
  }

  async getVersion(key: PackageKey, version: string): Promise<StoredVersion | undefined> {
    const found = this.record.packages[packageId(key)]?.versions[version];
    return found ? copyVersion(found) : undefined;
  }

  /** The package's record, or ResourceNotFoundException naming the package. */
  requirePackage(key: PackageKey): PackageRecord {
    const pkg = this.record.packages[packageId(key)];
    if (!pkg) {
      throw notFound(
        'package',
        describeKey(key),
        `Package '${describeKey(key)}' (${key.format}) does not exist in repository '${this.name}'`
      );
    }
    return pkg;
  }

  /** The version's record, or ResourceNotFoundException naming the package or the version. */
  requireVersion(key: PackageKey, version: string): StoredVersion {
    const found = this.requirePackage(key).versions[version];
    if (!found) {
      throw notFound(
        'package-version',
        version,
        `Version '${version}' of package '${describeKey(key)}' (${key.format}) does not exist in repository '${this.name}'`
      );
    }
    return found;
  }

  async putAsset(
    key: PackageKey,
    version: string,
    asset: string,
    body: Readable,
    options: PutAssetOptions = {}
  ): Promise<StoredAsset> {
    const staged = await this.blobs.stage(body);
    try {
      this.checkStaged(key, version, asset, staged, options);
    } catch (error) {
      await this.blobs.discard(staged);
      throw error;
    }
    await this.blobs.commit(staged);
    // Checked again: another upload of the same asset may have finished while this one was moved.
    this.checkStaged(key, version, asset, staged, options);
    const stored: StoredAsset = { name: asset, size: staged.size, hashes: staged.hashes };
    const target = this.versionForWrite(key, version, options);
    const index = target.assets.findIndex((a) => a.name === asset);
    if (index === -1) target.assets.push(stored);
    else target.assets[index] = stored;
    target.revision = newRevision();
    await this.save();
    return { ...stored, hashes: { ...stored.hashes } };
  }

  async openAsset(
    key: PackageKey,
    version: string,
    asset: string
  ): Promise<{ asset: StoredAsset; stream: Readable } | undefined> {
    const found = this.record.packages[packageId(key)]?.versions[version]?.assets.find(
      (a) => a.name === asset
    );
    if (!found) return undefined;
    return {
      asset: { ...found, hashes: { ...found.hashes } },
      stream: this.blobs.open(found.hashes['SHA-256'])
    };
  }

  async setStatus(key: PackageKey, version: string, status: VersionStatus): Promise<void> {
    const target = this.requireVersion(key, version);
    if (target.status === status) return;
    if (status === 'Unfinished') {
      throw conflict(
        'package-version',
        version,
        `Version '${version}' is ${target.status} and cannot become Unfinished again`
      );
    }
    target.status = status;
    target.revision = newRevision();
    await this.save();
  }

  async setMetadata(key: PackageKey, version: string, metadata: Record<string, unknown>): Promise<void> {
    this.requireVersion(key, version).metadata = metadata;
    await this.save();
  }

  /** Removes a version, and its package when it was the last one. */
  async deleteVersion(key: PackageKey, version: string): Promise<void> {
    const pkg = this.requirePackage(key);
    delete pkg.versions[version];
    if (Object.keys(pkg.versions).length === 0) delete this.record.packages[packageId(key)];
    await this.save();
  }

  private checkStaged(
    key: PackageKey,
    version: string,
    asset: string,
    staged: StagedBlob,
    options: PutAssetOptions
  ): void {
    const actual = staged.hashes['SHA-256'];
    if (options.expectedSha256 !== undefined && options.expectedSha256 !== actual) {
      throw new ServiceError(
        400,
        'ValidationException',
        `The SHA-256 hash of the asset content (${actual}) does not match the provided hash (${options.expectedSha256})`,
        { reason: 'FIELD_VALIDATION_FAILED' }
      );
    }
    const existing = this.record.packages[packageId(key)]?.versions[version]?.assets.find(
      (a) => a.name === asset
    );
    if (existing && existing.hashes['SHA-256'] !== actual && !options.replace) {
      throw conflict(
        'asset',
        asset,
        `Asset '${asset}' of version '${version}' of package '${describeKey(key)}' already exists with different content`
      );
    }
  }

  private versionForWrite(key: PackageKey, version: string, options: PutAssetOptions): StoredVersion {
    const id = packageId(key);
    const pkg = (this.record.packages[id] ??= { key: { ...key }, versions: {} });
    return (pkg.versions[version] ??= {
      version,
      status: 'Unfinished',
      revision: newRevision(),
      publishedTime: Date.now() / 1000,
      originType: options.originType ?? 'INTERNAL',
      origin: options.origin,
      assets: []
    });
  }
}

function copyVersion(version: StoredVersion): StoredVersion {
  return structuredClone(version);
}

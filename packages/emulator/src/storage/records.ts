/** The records the catalog keeps, and the errors that name them. */
import { randomBytes } from 'node:crypto';
import { ServiceError, type PackageKey, type StoredVersion } from '../contracts.js';

export interface Tag {
  key: string;
  value: string;
}

export interface DomainRecord {
  name: string;
  owner: string;
  /** Epoch seconds. */
  createdTime: number;
  encryptionKey?: string;
  tags: Tag[];
}

export interface PackageRecord {
  key: PackageKey;
  /** By version string, in publishing order. */
  versions: Record<string, StoredVersion>;
}

export interface RepositoryRecord {
  domain: string;
  owner: string;
  name: string;
  description?: string;
  upstreams: string[];
  externalConnections: string[];
  createdTime: number;
  tags: Tag[];
  /** By packageId(). */
  packages: Record<string, PackageRecord>;
}

export function packageId(key: PackageKey): string {
  return `${key.format}/${key.namespace ?? ''}/${key.package}`;
}

export function notFound(resourceType: string, resourceId: string, message: string): ServiceError {
  return new ServiceError(404, 'ResourceNotFoundException', message, { resourceId, resourceType });
}

export function conflict(resourceType: string, resourceId: string, message: string): ServiceError {
  return new ServiceError(409, 'ConflictException', message, { resourceId, resourceType });
}

export function newRevision(): string {
  return randomBytes(16).toString('base64url');
}

/** What every control-plane operation gets: the request, its parameters, the caller and the catalog. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ACCOUNT_ID,
  DOMAIN,
  FORMATS,
  NAMESPACE,
  PACKAGE,
  REPOSITORY,
  VERSION,
  checkName,
  normalizePypiName,
  type NameRule
} from '@codeartifact-actions/model';
import { ServiceError, type Format, type Identity, type PackageKey, type Principal } from '../contracts.js';
import type { Catalog } from '../storage/catalog.js';
import type { StoredRepository } from '../storage/repository.js';

export interface ControlPlane {
  catalog: Catalog;
  identity: Identity;
  region: string;
  /** The emulator's base URL, without a trailing slash. */
  baseUrl: string;
}

export interface OperationContext extends ControlPlane {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  principal: Principal;
  /** The JSON body, read before the operation runs (not for PublishPackageVersion, which streams it). */
  body: Record<string, unknown>;
}

export function validation(message: string): ServiceError {
  return new ServiceError(400, 'ValidationException', message, { reason: 'FIELD_VALIDATION_FAILED' });
}

/** A query parameter; ValidationException naming the member when it is required and missing. */
export function queryValue(ctx: OperationContext, name: string, member: string, required: true): string;
export function queryValue(
  ctx: OperationContext,
  name: string,
  member: string,
  required?: false
): string | undefined;
export function queryValue(
  ctx: OperationContext,
  name: string,
  member: string,
  required = false
): string | undefined {
  const value = ctx.query.get(name) ?? undefined;
  if (required && (value === undefined || value === '')) {
    throw validation(
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`
    );
  }
  return value;
}

/** A name checked against the model's rule. */
export function checkedName(value: string | undefined, rule: NameRule, member: string): string | undefined {
  if (value === undefined) return undefined;
  const problem = checkName(rule, value);
  if (problem) throw validation(`1 validation error detected at '${member}': ${problem}`);
  return value;
}

/** An integer query parameter within [min, max]. */
export function queryInteger(
  ctx: OperationContext,
  name: string,
  member: string,
  min: number,
  max: number
): number | undefined {
  const text = ctx.query.get(name);
  if (text === null) return undefined;
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || value < min || value > max) {
    throw validation(
      `1 validation error detected: Value '${text}' at '${member}' failed to satisfy constraint: Member must be between ${min} and ${max}`
    );
  }
  return value;
}

export function queryEnum<T extends string>(
  ctx: OperationContext,
  name: string,
  member: string,
  allowed: readonly T[]
): T | undefined {
  const value = ctx.query.get(name);
  if (value === null) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw validation(
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`
    );
  }
  return value as T;
}

export interface DomainTarget {
  domain: string;
  owner: string;
}

/** domain and domain-owner (the caller's account by default). */
export function domainTarget(ctx: OperationContext): DomainTarget {
  const domain = checkedName(queryValue(ctx, 'domain', 'domain', true), DOMAIN, 'domain')!;
  const owner =
    checkedName(queryValue(ctx, 'domain-owner', 'domainOwner'), ACCOUNT_ID, 'domainOwner') ??
    ctx.principal.accountId;
  return { domain, owner };
}

export interface RepositoryTarget extends DomainTarget {
  repository: string;
}

export function repositoryTarget(ctx: OperationContext): RepositoryTarget {
  const target = domainTarget(ctx);
  const repository = checkedName(
    queryValue(ctx, 'repository', 'repository', true),
    REPOSITORY,
    'repository'
  )!;
  return { ...target, repository };
}

export function formatParameter(ctx: OperationContext, required: boolean): Format | undefined {
  if (required) queryValue(ctx, 'format', 'format', true);
  return queryEnum(ctx, 'format', 'format', FORMATS);
}

export interface PackageTarget extends RepositoryTarget {
  key: PackageKey;
}

/** repository + format, namespace, package; generic packages need a namespace, PyPI names are normalized. */
export function packageTarget(ctx: OperationContext): PackageTarget {
  const target = repositoryTarget(ctx);
  const format = formatParameter(ctx, true)!;
  const namespace = checkedName(queryValue(ctx, 'namespace', 'namespace'), NAMESPACE, 'namespace');
  let name = checkedName(queryValue(ctx, 'package', 'package', true), PACKAGE, 'package')!;
  if (format === 'generic' && namespace === undefined)
    throw validation('A namespace is required for generic packages');
  if (format === 'pypi') name = normalizePypiName(name);
  return { ...target, key: { format, namespace, package: name } };
}

export function versionParameter(ctx: OperationContext): string {
  return checkedName(queryValue(ctx, 'version', 'packageVersion', true), VERSION, 'packageVersion')!;
}

export function domainArn(ctx: ControlPlane, t: DomainTarget): string {
  return `arn:aws:codeartifact:${ctx.region}:${t.owner}:domain/${t.domain}`;
}

export function repositoryArn(ctx: ControlPlane, t: RepositoryTarget): string {
  return `arn:aws:codeartifact:${ctx.region}:${t.owner}:repository/${t.domain}/${t.repository}`;
}

export function packageArn(ctx: ControlPlane, t: PackageTarget): string {
  return `${repositoryArn(ctx, t).replace(':repository/', ':package/')}/${t.key.format}/${t.key.namespace ?? ''}/${t.key.package}`;
}

/** AccessDeniedException, worded as IAM words it, unless the caller may perform `action`. */
export function authorize(principal: Principal, action: string, resource: string): void {
  if (principal.allows(action)) return;
  throw new ServiceError(
    403,
    'AccessDeniedException',
    `User: ${principal.arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`
  );
}

/** The repository, after checking the caller may perform `action` on it. */
export function authorizedRepository(
  ctx: OperationContext,
  action: string,
  target: RepositoryTarget
): StoredRepository {
  authorize(ctx.principal, action, repositoryArn(ctx, target));
  return ctx.catalog.requireRepository(target.owner, target.domain, target.repository);
}

/** The first page of `items` after `nextToken`, and the token for the next page. */
export function paginate<T>(
  ctx: OperationContext,
  items: T[],
  defaultPageSize = 100
): { page: T[]; nextToken?: string } {
  const maxResults = queryInteger(ctx, 'max-results', 'maxResults', 1, 1000) ?? defaultPageSize;
  const token = ctx.query.get('next-token');
  let offset = 0;
  if (token !== null) {
    const decoded = /^o(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!decoded) throw validation(`The pagination token '${token}' is not valid`);
    offset = Number(decoded[1]);
  }
  const page = items.slice(offset, offset + maxResults);
  const next =
    offset + maxResults < items.length
      ? Buffer.from(`o${offset + maxResults}`).toString('base64url')
      : undefined;
  return { page, nextToken: next };
}

import {
  DescribePackageVersionCommand,
  ListPackageVersionAssetsCommand,
  type CodeartifactClient
} from '@aws-sdk/client-codeartifact';
import { describeAwsError } from '@codeartifact-actions/aws';
import { errorMessage } from '@codeartifact-actions/kit';

/** Which generic package a step works on. */
export interface GenericPackageRef {
  domain: string;
  domainOwner?: string;
  repository: string;
  namespace: string;
  package: string;
}

/** An asset as CodeArtifact lists it. */
export interface RemoteAsset {
  name: string;
  size: number;
  sha256: string;
}

/** A version as it stands in the repository. */
export interface RemoteVersion {
  status: string;
  revision?: string;
  assets: Map<string, RemoteAsset>;
}

/** An AWS call that failed, with the operation named so the action can say what to do. */
export class AwsCallError extends Error {
  constructor(
    readonly operation: string,
    override readonly cause: unknown
  ) {
    super(`${operation} failed: ${(cause as Error)?.message ?? String(cause)}`);
  }
  override readonly name = 'AwsCallError';
}

/** Runs one SDK call, naming its operation when it fails. */
export async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AwsCallError) throw error;
    throw new AwsCallError(operation, error);
  }
}

/** The request fields every generic call shares. */
export function packageFields(ref: GenericPackageRef) {
  return {
    domain: ref.domain,
    domainOwner: ref.domainOwner,
    repository: ref.repository,
    format: 'generic' as const,
    namespace: ref.namespace,
    package: ref.package
  };
}

/** The version's status, revision and assets, or undefined when it does not exist yet. */
export async function readRemoteVersion(
  client: CodeartifactClient,
  ref: GenericPackageRef,
  version: string
): Promise<RemoteVersion | undefined> {
  const description = await describeVersion(client, ref, version);
  if (!description) return undefined;
  return { ...description, assets: await listRemoteAssets(client, ref, version) };
}

async function describeVersion(
  client: CodeartifactClient,
  ref: GenericPackageRef,
  version: string
): Promise<{ status: string; revision?: string } | undefined> {
  try {
    const answer = await client.send(
      new DescribePackageVersionCommand({ ...packageFields(ref), packageVersion: version })
    );
    return { status: answer.packageVersion?.status ?? 'Unknown', revision: answer.packageVersion?.revision };
  } catch (error) {
    if (isMissingVersion(error)) return undefined;
    throw new AwsCallError('DescribePackageVersion', error);
  }
}

/** Every asset of the version, all pages. */
export async function listRemoteAssets(
  client: CodeartifactClient,
  ref: GenericPackageRef,
  version: string
): Promise<Map<string, RemoteAsset>> {
  const assets = new Map<string, RemoteAsset>();
  let nextToken: string | undefined;
  do {
    const page = await call('ListPackageVersionAssets', () =>
      client.send(
        new ListPackageVersionAssetsCommand({
          ...packageFields(ref),
          packageVersion: version,
          nextToken,
          maxResults: 1000
        })
      )
    );
    for (const a of page.assets ?? []) {
      if (a.name)
        assets.set(a.name, { name: a.name, size: a.size ?? 0, sha256: a.hashes?.['SHA-256'] ?? '' });
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return assets;
}

/** A missing package or version (not a missing repository or domain, which is the user's mistake). */
function isMissingVersion(error: unknown): boolean {
  const e = error as { name?: string; resourceType?: string };
  if (e?.name !== 'ResourceNotFoundException') return false;
  return e.resourceType === undefined || ['package', 'package-version', 'asset'].includes(e.resourceType);
}

/**
 * What a failed generic step should say: AWS errors translated into what to do (which permission,
 * which name does not exist), anything else as it is.
 */
export function describeGenericFailure(
  error: unknown,
  ref: Partial<GenericPackageRef> & { version?: string }
): string {
  if (!(error instanceof AwsCallError)) return errorMessage(error);
  return describeAwsError(error.cause, {
    operation: error.operation,
    domain: ref.domain,
    domainOwner: ref.domainOwner,
    repository: ref.repository,
    namespace: ref.namespace,
    packageName: ref.package,
    version: ref.version
  });
}

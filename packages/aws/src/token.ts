import * as core from '@actions/core';
import {
  GetAuthorizationTokenCommand,
  GetRepositoryEndpointCommand,
  type PackageFormat
} from '@aws-sdk/client-codeartifact';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsActionError, rethrowAwsError } from './errors.js';
import { sessionOfClient, type CodeArtifactClient } from './client.js';
import type { AwsSession } from './session.js';

/** The domain and its owner, as much of AwsAuthSettings as the token and endpoint calls need. */
export interface DomainRef {
  domain: string;
  domainOwner?: string;
}

/** A CodeArtifact authorization token, masked in the log. */
export interface AuthorizationToken {
  token: string;
  expiration: Date;
  /** The domain owner given, else the caller's account; empty when neither could be learnt. */
  domainOwner: string;
}

async function callerAccount(session: AwsSession | undefined): Promise<string> {
  if (!session) return '';
  if (session.accountId) return session.accountId;
  const sts = new STSClient({ region: session.region, credentials: session.credentials });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
  } catch (error) {
    core.debug(`GetCallerIdentity failed, domain owner unknown: ${(error as Error).message}`);
    return '';
  } finally {
    sts.destroy();
  }
}

/** GetAuthorizationToken for the domain; the token is masked before this returns. */
export async function getAuthorizationToken(
  client: CodeArtifactClient,
  settings: DomainRef,
  durationSeconds?: number
): Promise<AuthorizationToken> {
  const session = sessionOfClient(client);
  // Only when the owner is unknown, and in parallel: no extra sequential round trip.
  const owner = settings.domainOwner ? Promise.resolve(settings.domainOwner) : callerAccount(session);
  try {
    const out = await client.send(
      new GetAuthorizationTokenCommand({
        domain: settings.domain,
        domainOwner: settings.domainOwner,
        durationSeconds
      })
    );
    if (!out.authorizationToken)
      throw new AwsActionError('GetAuthorizationToken returned no token.', undefined);
    core.setSecret(out.authorizationToken);
    const lifetime = (durationSeconds || 43200) * 1000;
    return {
      token: out.authorizationToken,
      expiration: out.expiration ?? new Date(Date.now() + lifetime),
      domainOwner: await owner
    };
  } catch (error) {
    rethrowAwsError(error, {
      operation: 'GetAuthorizationToken',
      domain: settings.domain,
      domainOwner: settings.domainOwner,
      roleArn: session?.roleArn,
      subject: session?.subject
    });
  }
}

/** GetRepositoryEndpoint: the repository's URL for `format` (it ends in "/"). */
export async function getRepositoryEndpoint(
  client: CodeArtifactClient,
  settings: DomainRef,
  repository: string,
  format: PackageFormat | `${PackageFormat}`
): Promise<string> {
  try {
    const out = await client.send(
      new GetRepositoryEndpointCommand({
        domain: settings.domain,
        domainOwner: settings.domainOwner,
        repository,
        format: format as PackageFormat
      })
    );
    if (!out.repositoryEndpoint)
      throw new AwsActionError(`GetRepositoryEndpoint returned no ${format} endpoint.`, undefined);
    return out.repositoryEndpoint.endsWith('/') ? out.repositoryEndpoint : `${out.repositoryEndpoint}/`;
  } catch (error) {
    rethrowAwsError(error, {
      operation: 'GetRepositoryEndpoint',
      domain: settings.domain,
      domainOwner: settings.domainOwner,
      repository,
      roleArn: sessionOfClient(client)?.roleArn
    });
  }
}

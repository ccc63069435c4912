import * as core from '@actions/core';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { ConfigurationError, errorMessage, maskSecrets } from '@codeartifact-actions/kit';
import { AwsActionError, rethrowAwsError } from './errors.js';
import { decodeJwtClaims } from './jwt.js';
import { BoundedRetryStrategy } from './retry.js';
import type { AwsAuthSettings } from './settings.js';

/** Credentials to call AWS with, and who they belong to. */
export interface AwsSession {
  region: string;
  credentials: AwsCredentialIdentity;
  accountId?: string;
  /** The assumed role, when the session came from role-to-assume. */
  roleArn?: string;
  /** The `sub` claim of the GitHub OIDC token the role was assumed with. */
  subject?: string;
}

/** GitHub's OIDC token for `audience`; says which permission is missing when the job has none. */
export async function fetchGitHubIdToken(audience: string): Promise<string> {
  if (!process.env.ACTIONS_ID_TOKEN_REQUEST_URL || !process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
    throw new ConfigurationError(
      'This job cannot request a GitHub OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL is not set), which "role-to-assume" needs. ' +
        'Add `permissions: id-token: write` to the job (or the workflow); pull requests from forks never get it.'
    );
  }
  try {
    const token = await core.getIDToken(audience);
    core.setSecret(token);
    return token;
  } catch (error) {
    throw new AwsActionError(
      `Could not get a GitHub OIDC token for audience "${audience}": ${errorMessage(error)}`,
      undefined,
      {
        cause: error
      }
    );
  }
}

function accountOfArn(arn: string | undefined): string | undefined {
  return arn?.split(':')[4] || undefined;
}

async function assumeRoleWithOidc(settings: AwsAuthSettings, roleArn: string): Promise<AwsSession> {
  const idToken = await fetchGitHubIdToken(settings.audience);
  const sub = decodeJwtClaims(idToken).sub;
  const subject = typeof sub === 'string' ? sub : undefined;
  const sts = new STSClient({ region: settings.region, retryStrategy: new BoundedRetryStrategy('STS') });
  try {
    const started = Date.now();
    const out = await sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: roleArn,
        RoleSessionName: settings.roleSessionName,
        WebIdentityToken: idToken,
        DurationSeconds: settings.roleDurationSeconds
      })
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey)
      throw new Error('AssumeRoleWithWebIdentity returned no credentials');
    maskSecrets(c.SecretAccessKey, c.SessionToken);
    core.debug(`Assumed ${roleArn} in ${Date.now() - started} ms`);
    return {
      region: settings.region,
      credentials: {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: c.Expiration
      },
      accountId: accountOfArn(out.AssumedRoleUser?.Arn) ?? accountOfArn(roleArn),
      roleArn,
      subject: out.SubjectFromWebIdentityToken ?? subject
    };
  } catch (error) {
    rethrowAwsError(error, { operation: 'AssumeRoleWithWebIdentity', roleArn, subject });
  } finally {
    sts.destroy();
  }
}

async function ambientSession(settings: AwsAuthSettings): Promise<AwsSession> {
  // The SDK's default chain: env keys (configure-aws-credentials, or an earlier setup step), profiles, web identity, IMDS.
  const sts = new STSClient({ region: settings.region });
  try {
    const credentials = await sts.config.credentials();
    maskSecrets(credentials.secretAccessKey, credentials.sessionToken);
    const accountId = (credentials as { accountId?: string }).accountId;
    return { region: settings.region, credentials, accountId: accountId || undefined };
  } catch (error) {
    rethrowAwsError(error, { operation: 'resolving AWS credentials' });
  } finally {
    sts.destroy();
  }
}

/**
 * Credentials for the action: GitHub OIDC -> STS AssumeRoleWithWebIdentity when `roleToAssume` is
 * set, else the default credential chain. Secrets are masked before they are returned.
 */
export async function resolveAwsSession(settings: AwsAuthSettings): Promise<AwsSession> {
  return settings.roleToAssume
    ? assumeRoleWithOidc(settings, settings.roleToAssume)
    : ambientSession(settings);
}

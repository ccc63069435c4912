import { ConfigurationError, errorMessage } from '@codeartifact-actions/kit';

/** What was being done when an AWS call failed, so the message can say what to fix. */
export interface AwsErrorContext {
  operation: string;
  domain?: string;
  domainOwner?: string;
  repository?: string;
  namespace?: string;
  packageName?: string;
  version?: string;
  roleArn?: string;
  /** The `sub` claim of the GitHub OIDC token, which the role's trust policy must match. */
  subject?: string;
}

/** An AWS failure already translated into what to do; describeAwsError passes it through unchanged. */
export class AwsActionError extends Error {
  override readonly name = 'AwsActionError';
  constructor(
    message: string,
    /** The AWS error code (AccessDeniedException, ResourceNotFoundException...), when there was one. */
    readonly code: string | undefined,
    options?: { cause?: unknown }
  ) {
    super(message, options);
  }
}

interface AwsErrorShape {
  name?: string;
  code?: string;
  message?: string;
  resourceType?: string;
  resourceId?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number; totalRetryDelay?: number };
}

function shapeOf(error: unknown): AwsErrorShape {
  return error !== null && typeof error === 'object' ? (error as AwsErrorShape) : {};
}

function awsCode(error: unknown): string | undefined {
  const shape = shapeOf(error);
  return shape.name && shape.name !== 'Error' ? shape.name : shape.code;
}

function packagePath(ctx: AwsErrorContext): string {
  const name = ctx.namespace ? `${ctx.namespace}/${ctx.packageName ?? ''}` : (ctx.packageName ?? '');
  return ctx.version ? `${name} ${ctx.version}` : name;
}

function domainLabel(ctx: AwsErrorContext): string {
  return `domain "${ctx.domain ?? '?'}"${ctx.domainOwner ? ` (owner ${ctx.domainOwner})` : ''}`;
}

function describeAccessDenied(ctx: AwsErrorContext, detail: string): string {
  const who = ctx.roleArn ? `role ${ctx.roleArn}` : 'the credentials in use';
  if (ctx.operation === 'GetAuthorizationToken') {
    return (
      `${who} may not get a CodeArtifact authorization token for ${domainLabel(ctx)}: ${detail} ` +
      'Allow "codeartifact:GetAuthorizationToken" on the domain and "sts:GetServiceBearerToken" ' +
      "(condition sts:AWSServiceName = codeartifact.amazonaws.com) in the role's permissions policy."
    );
  }
  const permission = `codeartifact:${ctx.operation === 'GetPackageVersionAsset' ? 'ReadFromRepository' : ctx.operation}`;
  const target = ctx.repository ? `repository "${ctx.repository}" in ${domainLabel(ctx)}` : domainLabel(ctx);
  return `${who} may not call ${ctx.operation} on ${target}: ${detail} Allow "${permission}" in the role's permissions policy.`;
}

function describeTrustFailure(ctx: AwsErrorContext, code: string, detail: string): string {
  const subject = ctx.subject ? `"${ctx.subject}"` : '(unknown)';
  if (code === 'InvalidIdentityToken') {
    return (
      `AWS STS rejected GitHub's OIDC token for ${ctx.roleArn ?? 'the role'}: ${detail} ` +
      'Check that the account has an IAM OIDC identity provider for token.actions.githubusercontent.com ' +
      'whose audience matches the "audience" input.'
    );
  }
  return (
    `Could not assume ${ctx.roleArn ?? 'the role'} with GitHub's OIDC token (${code}: ${detail}). ` +
    `The token's sub claim is ${subject}; the role's trust policy must allow sts:AssumeRoleWithWebIdentity ` +
    `for the federated principal token.actions.githubusercontent.com with a "token.actions.githubusercontent.com:sub" ` +
    `condition that matches it (and ":aud" = the audience input).`
  );
}

function describeNotFound(ctx: AwsErrorContext, error: AwsErrorShape, detail: string): string {
  const type = error.resourceType?.toLowerCase() ?? '';
  if (type.includes('domain') || (!ctx.repository && !ctx.packageName)) {
    return `${domainLabel(ctx)} does not exist (or is in another region or account): ${detail} Check the "domain", "domain-owner" and "aws-region" inputs.`;
  }
  if (type.includes('repository') || !ctx.packageName) {
    return `Repository "${ctx.repository ?? error.resourceId ?? '?'}" does not exist in ${domainLabel(ctx)}: ${detail} Check the "repository" input.`;
  }
  return `Package ${packagePath(ctx)} was not found in repository "${ctx.repository ?? '?'}" of ${domainLabel(ctx)}: ${detail}`;
}

/**
 * Turns an AWS SDK error into a message that says what to do: which permission is missing, which
 * trust condition failed (with the token's sub claim), which domain, repository or package does not exist.
 */
export function describeAwsError(error: unknown, context: AwsErrorContext): string {
  if (error instanceof AwsActionError || error instanceof ConfigurationError) return error.message;
  const shape = shapeOf(error);
  const code = awsCode(error) ?? 'Error';
  const detail = `${code}: ${errorMessage(error)}`.replace(/\s*$/, '.').replace(/\.\.$/, '.');
  const { operation } = context;
  if (
    operation === 'AssumeRoleWithWebIdentity' &&
    /AccessDenied|IDPRejectedClaim|InvalidIdentityToken/.test(code)
  ) {
    return describeTrustFailure(context, code, errorMessage(error));
  }
  if (operation === 'AssumeRoleWithWebIdentity' && code === 'ExpiredTokenException') {
    return `GitHub's OIDC token expired before AWS STS accepted it (${detail}) Re-run the job; if it repeats, check the runner's clock.`;
  }
  if (/CredentialsProviderError/.test(code)) {
    // setup-codeartifact ran (its token is in the environment) but left no AWS keys behind.
    const keptKeys = process.env.CODEARTIFACT_AUTH_TOKEN
      ? ' setup-codeartifact ran in an earlier step with "export-credentials: false", which keeps the AWS keys from later steps: give this step "role-to-assume" as well.'
      : ' Set "role-to-assume", or run aws-actions/configure-aws-credentials (or setup-codeartifact) in an earlier step.';
    return `No AWS credentials were found for ${operation} (${detail})${keptKeys}`;
  }
  if (/AccessDenied|UnrecognizedClient|InvalidSignature/.test(code))
    return describeAccessDenied(context, detail);
  if (code === 'ExpiredTokenException') {
    return `The AWS session credentials expired during ${operation} (${detail}) Raise "role-duration-seconds" or run the step sooner.`;
  }
  if (code === 'ResourceNotFoundException') return describeNotFound(context, shape, detail);
  if (code === 'ValidationException') return `AWS rejected the ${operation} request as invalid: ${detail}`;
  const attempts = shape.$metadata?.attempts;
  const retried = attempts && attempts > 1 ? ` after ${attempts} attempts` : '';
  return `${operation} failed${retried}: ${detail}`;
}

/** Throws what describeAwsError says, keeping the original error as the cause. */
export function rethrowAwsError(error: unknown, context: AwsErrorContext): never {
  if (error instanceof AwsActionError || error instanceof ConfigurationError) throw error;
  throw new AwsActionError(describeAwsError(error, context), awsCode(error), { cause: error });
}

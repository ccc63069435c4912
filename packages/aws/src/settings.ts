import * as core from '@actions/core';
import { ACCOUNT_ID, DOMAIN } from '@codeartifact-actions/model';
import {
  ConfigurationError,
  checkNamedInput,
  getIntegerInput,
  getOptionalInput
} from '@codeartifact-actions/kit';

/** How an action reaches AWS and which CodeArtifact domain it works in. */
export interface AwsAuthSettings {
  region: string;
  /** IAM role assumed with GitHub's OIDC token; without it, the default credential chain is used. */
  roleToAssume?: string;
  audience: string;
  roleSessionName: string;
  roleDurationSeconds?: number;
  /** Empty when the action does not need a domain (readAwsAuthInputs({ domainRequired: false })). */
  domain: string;
  domainOwner?: string;
}

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const SESSION_NAME_PATTERN = /^[\w+=,.@-]{2,64}$/;
const AUDIENCE_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The default session name configure-aws-credentials uses too, so trust policies and CloudTrail read alike. */
export const DEFAULT_ROLE_SESSION_NAME = 'GitHubActions';
export const DEFAULT_AUDIENCE = 'sts.amazonaws.com';

/** Checks an AWS region name such as us-east-1. */
export function checkRegion(input: string, value: string): string {
  if (!REGION_PATTERN.test(value)) {
    throw new ConfigurationError(
      `Input "${input}": "${value}" is not an AWS region (a name such as us-east-1 or eu-west-2).`
    );
  }
  return value;
}

/** Checks an IAM role ARN (arn:aws:iam::123456789012:role/name). */
export function checkRoleArn(input: string, value: string): string {
  if (!ROLE_ARN_PATTERN.test(value)) {
    throw new ConfigurationError(
      `Input "${input}": "${value}" is not an IAM role ARN (the form is arn:aws:iam::123456789012:role/ROLE-NAME).`
    );
  }
  return value;
}

function checkSessionName(input: string, value: string): string {
  if (!SESSION_NAME_PATTERN.test(value)) {
    throw new ConfigurationError(
      `Input "${input}": "${value}" is not a valid role session name (2-64 characters: letters, digits and + = , . @ _ -).`
    );
  }
  return value;
}

function checkAudience(input: string, value: string): string {
  if (!AUDIENCE_PATTERN.test(value)) {
    throw new ConfigurationError(
      `Input "${input}": "${value}" is not a valid OIDC audience (1-255 printable characters without spaces, such as ${DEFAULT_AUDIENCE}).`
    );
  }
  return value;
}

function readRegion(): string {
  const fromInput = getOptionalInput('aws-region');
  if (fromInput) return checkRegion('aws-region', fromInput);
  const fromEnv = process.env.AWS_REGION?.trim() || process.env.AWS_DEFAULT_REGION?.trim();
  if (fromEnv) return checkRegion('aws-region', fromEnv);
  throw new ConfigurationError(
    'Input "aws-region" is required when neither AWS_REGION nor AWS_DEFAULT_REGION is set (a name such as us-east-1).'
  );
}

function readDomain(required: boolean): string {
  const value = getOptionalInput('domain') ?? process.env.CODEARTIFACT_DOMAIN?.trim();
  if (!value) {
    if (!required) return '';
    throw new ConfigurationError(
      'Input "domain" is required (or set CODEARTIFACT_DOMAIN, as setup-codeartifact does): the CodeArtifact domain name.'
    );
  }
  return checkNamedInput('domain', DOMAIN, value);
}

function readDomainOwner(): string | undefined {
  const value =
    getOptionalInput('domain-owner') ?? (process.env.CODEARTIFACT_DOMAIN_OWNER?.trim() || undefined);
  return value === undefined ? undefined : checkNamedInput('domain-owner', ACCOUNT_ID, value);
}

/**
 * Reads and validates the AWS inputs every CodeArtifact action shares: aws-region, role-to-assume,
 * audience, role-session-name, role-duration-seconds, domain and domain-owner.
 * Throws ConfigurationError naming the input; makes no network call.
 */
export function readAwsAuthInputs(options: { domainRequired?: boolean } = {}): AwsAuthSettings {
  const role = getOptionalInput('role-to-assume');
  const settings: AwsAuthSettings = {
    region: readRegion(),
    roleToAssume: role === undefined ? undefined : checkRoleArn('role-to-assume', role),
    audience: checkAudience('audience', getOptionalInput('audience') ?? DEFAULT_AUDIENCE),
    roleSessionName: checkSessionName(
      'role-session-name',
      getOptionalInput('role-session-name') ?? DEFAULT_ROLE_SESSION_NAME
    ),
    roleDurationSeconds: getIntegerInput('role-duration-seconds', 900, 43200),
    domain: readDomain(options.domainRequired ?? true),
    domainOwner: readDomainOwner()
  };
  core.debug(
    `AWS settings: region ${settings.region}, role ${settings.roleToAssume ?? '(default credential chain)'}`
  );
  return settings;
}

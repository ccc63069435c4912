/**
 * CodeArtifact's name rules and limits, as the service model (codeartifact 2018-09-22) states them.
 * The emulator answers ValidationException with these, and the actions check inputs against them
 * before any network call.
 */

export interface NameRule {
  /** What the value is, for messages: "domain name". */
  readonly what: string;
  readonly pattern: RegExp;
  readonly min: number;
  readonly max: number;
  /** The allowed form, in words, for messages. */
  readonly form: string;
}

export const DOMAIN: NameRule = {
  what: 'domain name',
  pattern: /^[a-z][a-z0-9-]{0,48}[a-z0-9]$/,
  min: 2,
  max: 50,
  form: '2-50 characters: lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen'
};

export const REPOSITORY: NameRule = {
  what: 'repository name',
  pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{1,99}$/,
  min: 2,
  max: 100,
  form: '2-100 characters: letters, digits, ".", "_" and "-", starting with a letter or digit'
};

export const ACCOUNT_ID: NameRule = {
  what: 'AWS account ID',
  pattern: /^[0-9]{12}$/,
  min: 12,
  max: 12,
  form: 'exactly 12 digits'
};

export const PACKAGE: NameRule = {
  what: 'package name',
  pattern: /^[^#/\s]+$/,
  min: 1,
  max: 255,
  form: '1-255 characters without "#", "/" or whitespace'
};

export const NAMESPACE: NameRule = { ...PACKAGE, what: 'namespace' };
export const VERSION: NameRule = { ...PACKAGE, what: 'package version' };

export const SHA256: NameRule = {
  what: 'SHA-256',
  pattern: /^[0-9a-f]{64}$/,
  min: 64,
  max: 64,
  form: '64 lowercase hexadecimal digits'
};

/** Returns the problem with `value` under `rule`, or undefined when it is valid. */
export function checkName(rule: NameRule, value: string): string | undefined {
  if (value.length < rule.min || value.length > rule.max || !rule.pattern.test(value)) {
    return `"${value}" is not a valid ${rule.what} (${rule.form})`;
  }
  return undefined;
}

/**
 * Asset names: printable characters, not "." or "..", no whitespace except single interior spaces,
 * 1-255 characters.
 */
export function checkAssetName(value: string): string | undefined {
  const form = '1-255 printable characters, not "." or "..", no leading, trailing or repeated whitespace';
  if (value.length < 1 || value.length > 255) return `asset name "${value}" must be ${form}`;
  if (value === '.' || value === '..') return `asset name "${value}" is reserved (${form})`;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(value)) return `asset name "${value}" holds a control character (${form})`;
  if (/^\s|\s$|\s\s|[\t\n\r\v\f]/.test(value))
    return `asset name "${value}" has whitespace at its ends or in a run (${form})`;
  return undefined;
}

export const FORMATS = ['npm', 'pypi', 'maven', 'nuget', 'generic', 'ruby', 'swift', 'cargo'] as const;
export type PackageFormat = (typeof FORMATS)[number];

export const STATUSES = ['Published', 'Unfinished', 'Unlisted', 'Archived', 'Disposed', 'Deleted'] as const;
export type PackageVersionStatus = (typeof STATUSES)[number];

/** Authorization token lifetime: 0 (the caller's session) or 900-43200 seconds; 43200 by default. */
export const TOKEN_DURATION = { min: 900, max: 43200, default: 43200 } as const;

/** Generic package limits. */
export const GENERIC_MAX_ASSETS = 150;

/** PEP 503 name normalisation: lowercase, runs of "-", "_" and "." become "-". */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

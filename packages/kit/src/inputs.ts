import * as core from '@actions/core';
import { checkName, type NameRule } from '@codeartifact-actions/model';
import { ConfigurationError } from './errors.js';

/** An input's value, trimmed; undefined when it is empty or unset. */
export function getOptionalInput(name: string): string | undefined {
  const value = core.getInput(name).trim();
  return value === '' ? undefined : value;
}

/** An input that must be set. */
export function getRequiredInput(name: string, hint?: string): string {
  const value = getOptionalInput(name);
  if (value === undefined) {
    throw new ConfigurationError(`Input "${name}" is required${hint ? `: ${hint}` : '.'}`);
  }
  return value;
}

/** true/false/yes/no/1/0 (any case); `fallback` when unset. */
export function getBooleanInput(name: string, fallback: boolean): boolean {
  const value = getOptionalInput(name);
  if (value === undefined) return fallback;
  const lower = value.toLowerCase();
  if (['true', 'yes', '1', 'on'].includes(lower)) return true;
  if (['false', 'no', '0', 'off'].includes(lower)) return false;
  throw new ConfigurationError(`Input "${name}" must be true or false, not "${value}".`);
}

/** A list given one item a line, or separated by commas or spaces; empty items dropped. */
export function getListInput(name: string, separators: RegExp = /[\n,\s]+/): string[] {
  const value = getOptionalInput(name);
  if (value === undefined) return [];
  return value
    .split(separators)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A list given one item a line (items may contain spaces and commas). */
export function getMultilineInput(name: string): string[] {
  return getListInput(name, /\r?\n/);
}

/** One of `allowed`; `fallback` when unset. */
export function getChoiceInput<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const value = getOptionalInput(name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigurationError(
      `Input "${name}" must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, not "${value}".`
    );
  }
  return value as T;
}

/** A whole number within [min, max]; undefined when unset. */
export function getIntegerInput(
  name: string,
  min: number,
  max: number,
  extra?: number[]
): number | undefined {
  const value = getOptionalInput(name);
  if (value === undefined) return undefined;
  const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (Number.isSafeInteger(n) && ((n >= min && n <= max) || extra?.includes(n))) return n;
  const also = extra?.length ? ` (or ${extra.join(', ')})` : '';
  throw new ConfigurationError(
    `Input "${name}" must be a whole number from ${min} to ${max}${also}, not "${value}".`
  );
}

/** Checks `value` against a CodeArtifact name rule and names the input when it fails. */
export function checkNamedInput(input: string, rule: NameRule, value: string): string {
  const problem = checkName(rule, value);
  if (problem) throw new ConfigurationError(`Input "${input}": ${problem}.`);
  return value;
}

import * as core from '@actions/core';

/** Masks every non-empty value in the job log; call before anything could print them. */
export function maskSecrets(...values: Array<string | undefined>): void {
  for (const value of values) {
    if (value) core.setSecret(value);
  }
}

/**
 * A URL fit for a log line: any user name and password in it (`https://user:token@host/`) are
 * dropped. Undefined when the text is not a URL.
 */
export function urlForLog(text: string): string | undefined {
  try {
    const parsed = new URL(text);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return undefined;
  }
}

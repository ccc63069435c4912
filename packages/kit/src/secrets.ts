import * as core from '@actions/core';

/** Masks every non-empty value in the job log; call before anything could print them. */
export function maskSecrets(...values: Array<string | undefined>): void {
  for (const value of values) {
    if (value) core.setSecret(value);
  }
}

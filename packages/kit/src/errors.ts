/**
 * A mistake in the user's workflow (a bad input, a missing permission in the workflow file).
 * Actions report it as is; anything else is a failure of AWS, a tool, or this project.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** The message of anything thrown, whatever it is. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

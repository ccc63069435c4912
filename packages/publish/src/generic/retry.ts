/** How often and how long a whole-asset transfer is retried after a transient failure. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** First backoff ceiling, milliseconds; doubles per attempt (full jitter). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Replaced in tests so they do not wait. */
  sleep: (ms: number) => Promise<void>;
  /** Told about each retry (the action logs it at debug level). */
  onRetry?: (attempt: number, error: unknown, delayMs: number) => void;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 15000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms))
};

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'ECONNREFUSED',
  'EAI_AGAIN',
  'UND_ERR_SOCKET'
]);
const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'InternalServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError'
]);

interface ErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
  retryAfterSeconds?: number;
}

/** Throttling, 5xx and cut connections are worth another try; a 4xx answer is not. */
export function isTransientError(error: unknown): boolean {
  const wrapped = error as { name?: string; cause?: unknown };
  if (wrapped?.name === 'AwsCallError') return isTransientError(wrapped.cause);
  const e = (error ?? {}) as ErrorShape;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status === 429 || status >= 500)) return true;
  if (e.$retryable) return true;
  if (e.name && TRANSIENT_NAMES.has(e.name)) return true;
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  return /socket hang up|ECONNRESET|EPIPE|premature close|aborted/i.test(e.message ?? '');
}

/**
 * Runs `attempt` until it succeeds, a non-transient error occurs, or the attempts run out. Each
 * attempt starts from scratch (a fresh file stream), which the SDK cannot do for streamed bodies.
 */
export async function withRetries<T>(policy: RetryPolicy, attempt: (n: number) => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= policy.attempts || !isTransientError(error)) throw error;
      const delay = backoffDelay(policy, n, error);
      policy.onRetry?.(n, error, delay);
      await policy.sleep(delay);
    }
  }
}

function backoffDelay(policy: RetryPolicy, attempt: number, error: unknown): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.random() * ceiling;
  const cause = (error as { cause?: ErrorShape }).cause ?? (error as ErrorShape);
  const retryAfter = cause.retryAfterSeconds;
  return typeof retryAfter === 'number'
    ? Math.min(policy.maxDelayMs, Math.max(jittered, retryAfter * 1000))
    : jittered;
}

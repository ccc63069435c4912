import * as core from '@actions/core';
import { StandardRetryStrategy } from '@smithy/util-retry';
import type {
  RetryErrorInfo,
  RetryStrategyV2,
  StandardRetryBackoffStrategy,
  StandardRetryToken
} from '@smithy/types';

/** How long and how often an AWS call is retried on throttling, 5xx and network errors. */
export interface RetryPolicy {
  maxAttempts: number;
  /** Base of the exponential backoff, in milliseconds (throttling uses five times this). */
  baseDelayMs: number;
  /** No single wait is longer than this. */
  maxDelayMs: number;
  /** No retry starts after this much time has passed since the first attempt. */
  totalTimeMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 100,
  maxDelayMs: 5000,
  totalTimeMs: 30000
};

/** Full jitter: a random wait up to base * 2^attempt, capped. */
class FullJitterBackoff implements StandardRetryBackoffStrategy {
  private base: number;
  constructor(private readonly policy: RetryPolicy) {
    this.base = policy.baseDelayMs;
  }
  computeNextBackoffDelay(retryAttempt: number): number {
    return Math.floor(Math.random() * Math.min(this.policy.maxDelayMs, this.base * 2 ** retryAttempt));
  }
  setDelayBase(delayBase: number): void {
    // The SDK passes its own throttling base (500 ms); keep the ratio but scale to the policy.
    this.base = delayBase >= 500 ? this.policy.baseDelayMs * 5 : this.policy.baseDelayMs;
  }
}

/**
 * The SDK's standard retry strategy (retry quota, error classification) with full-jitter backoff,
 * a bound on the total time spent, and a debug line per failed attempt.
 */
export class BoundedRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard';
  private readonly inner: StandardRetryStrategy;
  private readonly startedAt = new WeakMap<StandardRetryToken, number>();

  constructor(
    private readonly label: string,
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY
  ) {
    this.inner = new StandardRetryStrategy({
      maxAttempts: policy.maxAttempts,
      backoff: new FullJitterBackoff(policy)
    });
  }

  async acquireInitialRetryToken(scope: string): Promise<StandardRetryToken> {
    const token = await this.inner.acquireInitialRetryToken(scope);
    this.startedAt.set(token, Date.now());
    return token;
  }

  async refreshRetryTokenForRetry(
    token: StandardRetryToken,
    info: RetryErrorInfo
  ): Promise<StandardRetryToken> {
    const attempt = token.getRetryCount() + 1;
    const started = this.startedAt.get(token) ?? Date.now();
    const elapsed = Date.now() - started;
    const reason = `${info.error?.name ?? 'error'}${info.error?.$metadata?.httpStatusCode ? ` (HTTP ${info.error.$metadata.httpStatusCode})` : ''}`;
    if (elapsed >= this.policy.totalTimeMs) {
      core.debug(`${this.label}: attempt ${attempt} failed with ${reason}; giving up after ${elapsed} ms`);
      throw new Error('Retry time bound reached');
    }
    core.debug(`${this.label}: attempt ${attempt} failed with ${reason} [${info.errorType}]`);
    const next = await this.inner.refreshRetryTokenForRetry(token, info);
    core.debug(`${this.label}: retrying (attempt ${attempt + 1}) after ${Date.now() - started - elapsed} ms`);
    this.startedAt.set(next, started);
    return next;
  }

  recordSuccess(token: StandardRetryToken): void {
    this.inner.recordSuccess(token);
  }
}

import * as core from '@actions/core';
import { CodeartifactClient } from '@aws-sdk/client-codeartifact';
import { BoundedRetryStrategy, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
import type { AwsSession } from './session.js';

export type CodeArtifactClient = CodeartifactClient;

const sessions = new WeakMap<CodeartifactClient, AwsSession>();

/** The session a client was created with (for the account ID and role in messages). */
export function sessionOfClient(client: CodeartifactClient): AwsSession | undefined {
  return sessions.get(client);
}

/**
 * A CodeArtifact client for the session: jittered retries of throttling, 5xx and network errors
 * within a total time bound, and a debug line per attempt. AWS_ENDPOINT_URL(_CODEARTIFACT) is honoured.
 */
export function createCodeArtifactClient(
  session: AwsSession,
  retry: Partial<RetryPolicy> = {}
): CodeArtifactClient {
  const client = new CodeartifactClient({
    region: session.region,
    credentials: session.credentials,
    retryStrategy: new BoundedRetryStrategy('CodeArtifact', { ...DEFAULT_RETRY_POLICY, ...retry }),
    requestHandler: { connectionTimeout: 10000 }
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      const attempt = request.headers?.['amz-sdk-request'] ?? '';
      const started = Date.now();
      try {
        const result = await next(args);
        const status = (result.response as { statusCode?: number }).statusCode;
        core.debug(
          `CodeArtifact ${context.commandName} ${attempt}: HTTP ${status} in ${Date.now() - started} ms`
        );
        return result;
      } catch (error) {
        core.debug(
          `CodeArtifact ${context.commandName} ${attempt}: ${(error as Error).name} after ${Date.now() - started} ms`
        );
        throw error;
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'codeartifactAttemptLog' }
  );
  sessions.set(client, session);
  return client;
}

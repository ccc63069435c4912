/** Where twine uploads and with which token: the environment setup-codeartifact left, or AWS calls. */
import {
  createCodeArtifactClient,
  getAuthorizationToken,
  getRepositoryEndpoint,
  resolveAwsSession,
  type AwsAuthSettings
} from '@codeartifact-actions/aws';
import { ConfigurationError, maskSecrets } from '@codeartifact-actions/kit';

/** The PyPI endpoint of the repository (ends in "/") and a token for it. */
export interface PypiRepositoryAccess {
  endpoint: string;
  token: string;
  /** How they were found, for the log. */
  source: string;
}

/** How the action will reach the repository, decided from inputs and environment before any network call. */
export type RepositoryAccessPlan =
  { kind: 'environment'; access: PypiRepositoryAccess } | { kind: 'aws'; repository: string };

/**
 * The token and twine URL an earlier setup-codeartifact step exported, when no role is to be assumed and
 * they are for the repository asked for; else the AWS calls are planned (which need a repository).
 */
export function planRepositoryAccess(
  repository: string | undefined,
  roleToAssume: string | undefined,
  env: NodeJS.ProcessEnv = process.env
): RepositoryAccessPlan {
  const token = env.CODEARTIFACT_AUTH_TOKEN?.trim();
  const endpoint = env.TWINE_REPOSITORY_URL?.trim();
  const sameRepository = repository === undefined || repository === env.CODEARTIFACT_REPOSITORY?.trim();
  if (!roleToAssume && token && endpoint && sameRepository) {
    maskSecrets(token);
    return {
      kind: 'environment',
      access: {
        endpoint: endpoint.endsWith('/') ? endpoint : `${endpoint}/`,
        token,
        source: 'the token and twine URL left by setup-codeartifact'
      }
    };
  }
  if (!repository) {
    throw new ConfigurationError(
      'Input "repository" is required (or CODEARTIFACT_REPOSITORY, as setup-codeartifact leaves it): the repository to publish into.'
    );
  }
  return { kind: 'aws', repository };
}

/** GetAuthorizationToken and GetRepositoryEndpoint (pypi), in parallel. */
export async function fetchPypiRepositoryAccess(
  auth: AwsAuthSettings,
  repository: string
): Promise<PypiRepositoryAccess> {
  const client = createCodeArtifactClient(await resolveAwsSession(auth));
  try {
    const [token, endpoint] = await Promise.all([
      getAuthorizationToken(client, auth),
      getRepositoryEndpoint(client, auth, repository, 'pypi')
    ]);
    return {
      endpoint,
      token: token.token,
      source: `GetAuthorizationToken and GetRepositoryEndpoint for ${auth.domain}/${repository}`
    };
  } finally {
    client.destroy();
  }
}

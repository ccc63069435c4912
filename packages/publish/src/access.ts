import {
  createCodeArtifactClient,
  getAuthorizationToken,
  getRepositoryEndpoint,
  resolveAwsSession,
  type AwsAuthSettings,
  type CodeArtifactClient
} from '@codeartifact-actions/aws';
import { ConfigurationError, checkNamedInput, getOptionalInput } from '@codeartifact-actions/kit';
import { REPOSITORY } from '@codeartifact-actions/model';

/** What a package tool needs to reach the repository: an SDK client, a masked token and the format's endpoint. */
export interface RepositoryAccess {
  client: CodeArtifactClient;
  token: string;
  /** The repository's endpoint for the format; it ends in "/". */
  endpoint: string;
  domain: string;
  domainOwner?: string;
  repository: string;
}

/** The `repository` input, or CODEARTIFACT_REPOSITORY left by setup-codeartifact; `role` says what it is for. */
export function readRepositoryInput(
  env: NodeJS.ProcessEnv = process.env,
  role = 'the repository to publish into'
): string {
  const repository = getOptionalInput('repository') ?? (env.CODEARTIFACT_REPOSITORY?.trim() || undefined);
  if (!repository) {
    throw new ConfigurationError(
      `Input "repository" is required (or CODEARTIFACT_REPOSITORY left by setup-codeartifact): ${role}.`
    );
  }
  return checkNamedInput('repository', REPOSITORY, repository);
}

/** Credentials, then GetAuthorizationToken and GetRepositoryEndpoint in parallel; the token is masked. */
export async function openRepositoryAccess(
  auth: AwsAuthSettings,
  repository: string,
  format: 'maven' | 'npm'
): Promise<RepositoryAccess> {
  const client = createCodeArtifactClient(await resolveAwsSession(auth));
  try {
    const [token, endpoint] = await Promise.all([
      getAuthorizationToken(client, auth),
      getRepositoryEndpoint(client, auth, repository, format)
    ]);
    return {
      client,
      token: token.token,
      endpoint,
      domain: auth.domain,
      domainOwner: auth.domainOwner ?? (token.domainOwner || undefined),
      repository
    };
  } catch (error) {
    client.destroy();
    throw error;
  }
}

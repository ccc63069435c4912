import * as core from '@actions/core';
import { mkdtemp } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createCodeArtifactClient,
  getAuthorizationToken,
  getRepositoryEndpoint,
  resolveAwsSession,
  type AuthorizationToken,
  type AwsSession,
  type CodeArtifactClient
} from '@codeartifact-actions/aws';
import { errorMessage, maskSecrets } from '@codeartifact-actions/kit';
import {
  TOOLS,
  detectTools,
  formatsFor,
  type FileChanges,
  type ToolContext,
  type ToolFormat,
  type ToolName,
  type ToolResult
} from '@codeartifact-actions/tools';
import { readSetupSettings, type SetupSettings } from './settings.js';
import { STATE_CHANGES, STATE_CLEANUP, STATE_CONFIG_DIR } from './state.js';
import { writeSetupSummary } from './summary.js';

type Endpoints = Partial<Record<ToolFormat, string>>;

async function chooseTools(settings: SetupSettings): Promise<ToolName[]> {
  if (settings.tools !== 'auto') return settings.tools;
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  const found = await detectTools(workspace);
  if (found.length === 0)
    core.warning(
      `tools: auto found no package tool files in ${workspace} or the folders one level down; only the token is set up. Name the tools instead, such as "tools: pip, npm".`
    );
  else core.info(`tools: auto detected ${found.map((f) => `${f.tool} (${f.folder})`).join(', ')}`);
  return found.map((f) => f.tool);
}

async function fetchEndpoints(
  client: CodeArtifactClient,
  settings: SetupSettings,
  formats: ToolFormat[]
): Promise<Endpoints> {
  const { repository } = settings;
  if (!repository) return {};
  const urls = await Promise.all(
    formats.map((format) => getRepositoryEndpoint(client, settings.aws, repository, format))
  );
  return Object.fromEntries(formats.map((format, i) => [format, urls[i]]));
}

/** The domain owner from an endpoint host (<domain>-<owner>.d.codeartifact...), when nothing else said it. */
function ownerFromEndpoints(endpoints: Endpoints): string {
  const host = Object.values(endpoints)[0];
  return host ? (/-(\d{12})\.d\.codeartifact\./.exec(new URL(host).host)?.[1] ?? '') : '';
}

function exportEnvironment(
  settings: SetupSettings,
  session: AwsSession,
  token: AuthorizationToken,
  owner: string
): void {
  core.exportVariable('CODEARTIFACT_AUTH_TOKEN', token.token);
  core.exportVariable('CODEARTIFACT_DOMAIN', settings.aws.domain);
  if (owner) core.exportVariable('CODEARTIFACT_DOMAIN_OWNER', owner);
  if (settings.repository) core.exportVariable('CODEARTIFACT_REPOSITORY', settings.repository);
  core.exportVariable('AWS_REGION', settings.aws.region);
  core.exportVariable('AWS_DEFAULT_REGION', settings.aws.region);
  // Only credentials this action obtained; ambient ones are already where later steps find them.
  if (settings.exportCredentials && session.roleArn) {
    const { accessKeyId, secretAccessKey, sessionToken } = session.credentials;
    core.exportVariable('AWS_ACCESS_KEY_ID', accessKeyId);
    core.exportVariable('AWS_SECRET_ACCESS_KEY', secretAccessKey);
    if (sessionToken) core.exportVariable('AWS_SESSION_TOKEN', sessionToken);
  }
}

async function configureEach(tools: ToolName[], ctx: ToolContext): Promise<ToolResult[]> {
  const changes: FileChanges = { created: [], replaced: [], createdDirs: [] };
  const results: ToolResult[] = [];
  for (const name of tools) {
    const result = await TOOLS[name].configure(ctx);
    maskSecrets(...result.secrets);
    for (const [key, value] of Object.entries(result.env)) core.exportVariable(key, value);
    changes.created.push(...result.changes.created.filter((p) => !changes.created.includes(p)));
    changes.replaced.push(...result.changes.replaced);
    changes.createdDirs.push(...result.changes.createdDirs);
    // Saved after every tool, so a failure half-way still leaves the post step a full record.
    core.saveState(STATE_CHANGES, JSON.stringify(changes));
    core.info(result.description);
    for (const warning of result.warnings) core.warning(warning);
    results.push(result);
  }
  return results;
}

function setOutputs(token: AuthorizationToken, owner: string, endpoints: Endpoints, tools: ToolName[]): void {
  core.setOutput('token', token.token);
  core.setOutput('expiration', token.expiration.toISOString());
  core.setOutput('domain-owner', owner);
  core.setOutput('tools', tools.join(','));
  for (const [format, url] of Object.entries(endpoints)) core.setOutput(`${format}-endpoint`, url);
}

/** setup-codeartifact: inputs -> credentials -> token and endpoints in parallel -> tools -> outputs, env, summary, state. */
export async function run(): Promise<void> {
  try {
    const settings = readSetupSettings();
    const tools = await chooseTools(settings);
    const started = Date.now();
    const session = await resolveAwsSession(settings.aws);
    const client = createCodeArtifactClient(session);
    const formats = formatsFor(tools);
    const [token, endpoints] = await Promise.all([
      getAuthorizationToken(client, settings.aws, settings.durationSeconds),
      fetchEndpoints(client, settings, formats)
    ]);
    client.destroy();
    const owner = settings.aws.domainOwner || token.domainOwner || ownerFromEndpoints(endpoints);
    core.info(
      `Authorized for domain ${settings.aws.domain} in ${Date.now() - started} ms; token expires ${token.expiration.toISOString()}`
    );
    exportEnvironment(settings, session, token, owner);

    core.saveState(STATE_CLEANUP, String(settings.cleanup));
    const configDir = await mkdtemp(join(process.env.RUNNER_TEMP || tmpdir(), 'codeartifact-'));
    core.saveState(STATE_CONFIG_DIR, configDir);
    const ctx: ToolContext = {
      token: token.token,
      domain: settings.aws.domain,
      domainOwner: owner,
      repository: settings.repository ?? '',
      endpoints,
      configDir,
      home: process.env.HOME || homedir(),
      workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
      pipMode: settings.pipMode,
      npmScopes: settings.npmScopes,
      mavenServerId: settings.mavenServerId,
      mavenMirrorOf: settings.mavenMirrorOf
    };
    const results = await configureEach(tools, ctx);
    setOutputs(token, owner, endpoints, tools);
    await writeSetupSummary(settings, owner, token, endpoints, results);
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}

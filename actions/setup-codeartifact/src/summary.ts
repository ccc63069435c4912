import * as core from '@actions/core';
import type { AuthorizationToken } from '@codeartifact-actions/aws';
import type { ToolResult } from '@codeartifact-actions/tools';
import type { SetupSettings } from './settings.js';

/** The job summary: where the tools point and until when the token works. */
export async function writeSetupSummary(
  settings: SetupSettings,
  owner: string,
  token: AuthorizationToken,
  endpoints: Record<string, string | undefined>,
  results: ToolResult[]
): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  const rows = [
    ['Domain', `${settings.aws.domain}${owner ? ` (${owner})` : ''}`],
    ['Repository', settings.repository ?? '(none)'],
    ['Region', settings.aws.region],
    ['Tools', results.map((r) => r.tool).join(', ') || '(none)'],
    ...Object.entries(endpoints).map(([format, url]) => [`${format} endpoint`, url ?? '']),
    ['Token expires', token.expiration.toISOString()]
  ];
  await core.summary
    .addHeading('CodeArtifact', 3)
    .addTable([
      [
        { data: 'Setting', header: true },
        { data: 'Value', header: true }
      ],
      ...rows
    ])
    .addList(results.map((r) => r.description))
    .write();
}

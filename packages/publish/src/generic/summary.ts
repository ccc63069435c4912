import type { RemoteAsset } from './remote.js';
import type { PublishOutcome } from './publish.js';

/** The `assets` output: name, size and SHA-256 of each asset, as JSON. */
export function assetsJson(assets: readonly RemoteAsset[]): string {
  return JSON.stringify(assets.map((a) => ({ name: a.name, size: a.size, sha256: a.sha256 })));
}

/** One line saying what the run did, for the log and the summary heading. */
export function describeOutcome(where: string, outcome: PublishOutcome): string {
  if (outcome.alreadyPublished) return `${where} is already published, identical: nothing was uploaded.`;
  const parts = [`${where} is ${outcome.status} (revision ${outcome.revision ?? 'unknown'})`];
  if (outcome.uploaded.length > 0) parts.push(`uploaded ${outcome.uploaded.length}`);
  if (outcome.skipped.length > 0) parts.push(`skipped ${outcome.skipped.length} already there`);
  return `${parts.join('; ')}.`;
}

/** Rows of the job summary table: a header, then each asset with what happened to it. */
export function assetTableRows(assets: readonly RemoteAsset[], outcome?: PublishOutcome): string[][] {
  const rows = [['Asset', 'Size (bytes)', 'SHA-256', 'This run']];
  for (const a of assets) {
    const action = outcome?.uploaded.includes(a.name)
      ? 'uploaded'
      : outcome?.skipped.includes(a.name)
        ? 'identical, skipped'
        : '';
    rows.push([a.name, String(a.size), a.sha256, outcome ? action || 'already there' : 'downloaded']);
  }
  return rows;
}

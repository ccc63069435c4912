/** What publish-python reports: the files output, the job summary table and the headline. */
import type { DistributionFile } from './distributions.js';
import type { UploadPlan } from './plan.js';

/** The `files` output: name, sha256 and size of each file, as JSON. */
export function distributionsJson(files: readonly DistributionFile[]): string {
  return JSON.stringify(files.map((f) => ({ name: f.name, sha256: f.sha256, size: f.size })));
}

/** One line saying what the run did. */
export function describeUpload(project: string, version: string, plan: UploadPlan): string {
  const where = `${project} ${version}`;
  if (plan.upload.length === 0) {
    return `${where}: all ${plan.alreadyPublished.length} files are already published, identical; nothing was uploaded.`;
  }
  const skipped =
    plan.alreadyPublished.length > 0 ? `; ${plan.alreadyPublished.length} already published, identical` : '';
  return `${where}: uploaded ${plan.upload.length} file${plan.upload.length === 1 ? '' : 's'}${skipped}.`;
}

/** Rows of the job summary table: a header, then each file with what this run did with it. */
export function distributionTableRows(plan: UploadPlan): string[][] {
  const rows = [['File', 'Size (bytes)', 'SHA-256', 'This run']];
  for (const f of plan.upload) rows.push([f.name, String(f.size), f.sha256, 'uploaded']);
  for (const f of plan.alreadyPublished)
    rows.push([f.name, String(f.size), f.sha256, 'already published, identical']);
  return rows;
}

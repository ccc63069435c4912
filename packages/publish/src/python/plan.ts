/** Which files to upload, given what the repository already holds under the same names. */
import type { DistributionFile } from './distributions.js';
import type { PublishedFiles } from './index-page.js';

/** The files this run uploads, and those already there byte for byte. */
export interface UploadPlan {
  upload: DistributionFile[];
  alreadyPublished: DistributionFile[];
}

/** The repository holds a file of the same name with other bytes, or if-exists is fail; nothing was uploaded. */
export class PublishedFileConflict extends Error {
  override readonly name = 'PublishedFileConflict';
}

/**
 * Same name and SHA-256: already published (skipped, unless if-exists is fail). Same name, other SHA-256:
 * fails naming the file and both hashes, before anything is uploaded (twine's --skip-existing would hide it).
 */
export function planUpload(
  files: DistributionFile[],
  published: PublishedFiles,
  ifExists: 'skip-identical' | 'fail'
): UploadPlan {
  const plan: UploadPlan = { upload: [], alreadyPublished: [] };
  const conflicts: string[] = [];
  for (const file of files) {
    const remote = published.get(file.name);
    if (remote === undefined) plan.upload.push(file);
    else if (remote !== file.sha256)
      conflicts.push(
        `${file.name}: the repository has sha256 ${remote || '(not given)'}, this build has ${file.sha256}`
      );
    else plan.alreadyPublished.push(file);
  }
  if (conflicts.length > 0) {
    throw new PublishedFileConflict(
      `The repository already holds ${conflicts.length === 1 ? 'a file' : 'files'} of this version with different content; nothing was uploaded or replaced. ` +
        `A published file cannot change: release a new version.\n${conflicts.join('\n')}`
    );
  }
  if (ifExists === 'fail' && plan.alreadyPublished.length > 0) {
    throw new PublishedFileConflict(
      `Input "if-exists" is fail, and the repository already holds ${plan.alreadyPublished.map((f) => f.name).join(', ')} (identical). Nothing was uploaded.`
    );
  }
  return plan;
}

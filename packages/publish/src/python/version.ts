/** PEP 440 versions: the normal form of a version, and the version a release tag names. */
import { ConfigurationError } from '@codeartifact-actions/kit';

// PEP 440's permissive grammar: epoch, release, pre, post (or implicit "-N"), dev, local.
const PEP440 =
  /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/i;

const PRE_LABELS: Record<string, string> = {
  a: 'a',
  alpha: 'a',
  b: 'b',
  beta: 'b',
  c: 'rc',
  rc: 'rc',
  pre: 'rc',
  preview: 'rc'
};

/** A version in PEP 440's normal form ("V1.2.3-RC.1" -> "1.2.3rc1"), or undefined when it is not one. */
export function normalizePep440(version: string): string | undefined {
  const m = PEP440.exec(version.trim());
  if (!m) return undefined;
  const [, epoch, release, preLabel, preNumber, implicitPost, postLabel, postNumber, dev, devNumber, local] =
    m;
  let normal = epoch && Number(epoch) !== 0 ? `${Number(epoch)}!` : '';
  normal += (release as string)
    .split('.')
    .map((part) => String(Number(part)))
    .join('.');
  if (preLabel) normal += `${PRE_LABELS[preLabel.toLowerCase()]}${Number(preNumber ?? 0)}`;
  if (implicitPost !== undefined) normal += `.post${Number(implicitPost)}`;
  else if (postLabel) normal += `.post${Number(postNumber ?? 0)}`;
  if (dev) normal += `.dev${Number(devNumber ?? 0)}`;
  if (local) normal += `+${local.toLowerCase().replace(/[-_]/g, '.')}`;
  return normal;
}

/** True when two versions are equal under PEP 440 (so 1.2 equals 1.2.0, and v1.2.3 equals 1.2.3). */
export function samePep440Version(a: string, b: string): boolean {
  const left = normalizePep440(a);
  const right = normalizePep440(b);
  return (
    left !== undefined && right !== undefined && withoutTrailingZeros(left) === withoutTrailingZeros(right)
  );
}

function withoutTrailingZeros(normal: string): string {
  return normal.replace(/^((?:\d+!)?)(\d+(?:\.\d+)*)/, (_all, epoch: string, release: string) => {
    const parts = release.split('.');
    while (parts.length > 1 && parts[parts.length - 1] === '0') parts.pop();
    return `${epoch}${parts.join('.')}`;
  });
}

/** The tag's name for a `refs/tags/...` ref, else undefined. */
export function tagOfRef(ref: string | undefined): string | undefined {
  return ref?.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
}

/**
 * Fails when the version to publish is not the one the tag names; `source` says where the version was read.
 * Called before building when the project's files tell the version, else right after.
 */
export function checkTagVersion(
  expected: { tag: string; version: string },
  actual: string,
  source: string
): void {
  if (samePep440Version(expected.version, actual)) return;
  throw new ConfigurationError(
    `Tag "${expected.tag}" is version ${expected.version}, but the project is at ${normalizePep440(actual) ?? actual} (${source}). ` +
      'Bump the project version to match, or tag the right commit (version-check: false turns this check off).'
  );
}

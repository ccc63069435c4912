/**
 * Whether a push triggers a workflow: `on.push` branch and tag filters, matched the way GitHub
 * documents its filter patterns (`*` within a path segment, `**` across them, `?` and `+` on the
 * character before, `[...]` ranges, `!` to exclude again; later patterns win).
 */

/** A filter pattern as a regular expression over the whole branch or tag name. */
export function filterPatternRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        source += '.*';
        i++;
      } else source += '[^/]*';
    } else if (c === '?' || c === '+') {
      source += c;
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) source += '\\[';
      else {
        source += `[${pattern.slice(i + 1, end).replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < pattern.length) {
      source += escapeRegExp(pattern[i + 1] as string);
      i++;
    } else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A filter list: a name is in when the last pattern that matches it is not a `!` one. */
export function matchesFilters(name: string, patterns: readonly string[]): boolean {
  let matched = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (filterPatternRegExp(negated ? pattern.slice(1) : pattern).test(name)) matched = !negated;
  }
  return matched;
}

function list(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  return (Array.isArray(value) ? value : [value]).map(String);
}

/**
 * Why a push of `ref` does not trigger a workflow with these `on.push` settings, or undefined when
 * it does. Path filters are not evaluated (there is no commit diff here).
 */
export function pushNotTriggered(
  push: Record<string, unknown> | null | undefined,
  ref: string
): string | undefined {
  const settings = push ?? {};
  const kinds = [
    { kind: 'tag', plural: 'tags', name: /^refs\/tags\/(.+)$/.exec(ref)?.[1] },
    { kind: 'branch', plural: 'branches', name: /^refs\/heads\/(.+)$/.exec(ref)?.[1] }
  ] as const;
  const filtered = (plural: string) =>
    settings[plural] !== undefined || settings[`${plural}-ignore`] !== undefined;
  for (const { kind, plural, name } of kinds) {
    if (name === undefined) continue;
    const other = kinds.find((k) => k.kind !== kind)!.plural;
    // With filters for the other kind only, a push of this kind does not run the workflow.
    if (!filtered(plural))
      return filtered(other) ? `on.push filters ${other} only, and ${ref} is a ${kind}` : undefined;
    const include = list(settings[plural]);
    const ignore = list(settings[`${plural}-ignore`]);
    if (include && !matchesFilters(name, include))
      return `${kind} "${name}" matches none of on.push.${plural} [${include.join(', ')}]`;
    if (ignore && matchesFilters(name, ignore))
      return `${kind} "${name}" matches on.push.${plural}-ignore [${ignore.join(', ')}]`;
  }
  return undefined;
}

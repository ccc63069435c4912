/** IAM's wildcard matching: `*` any run of characters, `?` any one character, everything else literal. */

function wildcardToRegExp(pattern: string, flags: string): RegExp {
  const body = [...pattern]
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, flags);
}

/** A trust policy's StringLike: case-sensitive, `*` and `?` wildcards. */
export function stringLike(pattern: string, value: string): boolean {
  return wildcardToRegExp(pattern, 's').test(value);
}

/** An IAM policy's Action element: case-insensitive, `*` and `?` wildcards. */
export function actionMatches(pattern: string, action: string): boolean {
  return wildcardToRegExp(pattern, 'is').test(action);
}

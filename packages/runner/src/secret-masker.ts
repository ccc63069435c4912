/** Replaces registered secret values with *** in log lines, as the runner's secret masker does. */
export class SecretMasker {
  private readonly values = new Set<string>();
  private ordered: string[] = [];

  /** Registers a value and, for multi-line values, each of its lines, since the log is masked per line. */
  add(secret: string): void {
    const candidates = [secret, ...secret.split(/\r?\n/)];
    for (const candidate of candidates) {
      const value = candidate.trim();
      if (value === '' || this.values.has(value)) continue;
      this.values.add(value);
      // URL-encoded copies leak through query strings; the runner masks them too.
      const encoded = encodeURIComponent(value);
      if (encoded !== value) this.values.add(encoded);
    }
    this.ordered = [...this.values].sort((a, b) => b.length - a.length);
  }

  mask(line: string): string {
    let masked = line;
    for (const value of this.ordered) {
      if (masked.includes(value)) masked = masked.split(value).join('***');
    }
    return masked;
  }
}

import { SecretMasker } from './secret-masker.js';

/** The job's log: every line masked as it is written, kept per step and for the whole job. */
export class JobLog {
  readonly masker = new SecretMasker();
  private readonly jobLines: string[] = [];
  private stepLines: string[] = [];
  private raw = '';

  constructor(private readonly echo: boolean) {}

  /** Starts collecting a new step's part of the log. */
  beginStep(): void {
    this.stepLines = [];
  }

  /** The current step's log so far. */
  stepLog(): string {
    return this.stepLines.join('\n');
  }

  write(line: string): void {
    const masked = this.masker.mask(line);
    this.stepLines.push(masked);
    this.jobLines.push(masked);
    if (this.echo) process.stderr.write(`${masked}\n`);
  }

  /** Keeps process output exactly as printed, for tests that check what masking hid. */
  recordRaw(text: string): void {
    this.raw += text;
  }

  text(): string {
    return this.jobLines.join('\n');
  }

  rawOutput(): string {
    return this.raw;
  }
}

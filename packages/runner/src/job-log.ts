import { SecretMasker } from './secret-masker.js';

/** The job's log: every line masked as it is written, kept per step and for the whole job. */
export class JobLog {
  readonly masker = new SecretMasker();
  private readonly jobLines: string[] = [];
  private stepLines: string[] = [];
  /** Where the current step starts in jobLines. */
  private stepStart = 0;
  private raw = '';

  constructor(private readonly echo: boolean) {}

  /** Starts collecting a new step's part of the log. */
  beginStep(): void {
    this.stepLines = [];
    this.stepStart = this.jobLines.length;
  }

  /**
   * Registers a secret and hides it in the current step's lines already written too: a process may
   * write stderr ahead of the stdout line holding its add-mask when the pipe is full.
   */
  addSecret(value: string): void {
    this.masker.add(value);
    this.stepLines = this.stepLines.map((line) => this.masker.mask(line));
    for (let index = this.stepStart; index < this.jobLines.length; index++)
      this.jobLines[index] = this.masker.mask(this.jobLines[index]);
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

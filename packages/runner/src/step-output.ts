import type { JobLog } from './job-log.js';
import type { Annotation } from './types.js';
import { parseWorkflowCommand, type WorkflowCommand } from './workflow-commands.js';

const DEPRECATION_NOTE =
  'https://github.blog/changelog/2022-10-11-github-actions-deprecating-save-state-and-set-output-commands/';
const UNSECURE_NOTE =
  'https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/';

/** Turns a step's printed lines into log lines, applying workflow commands the way the runner does. */
export class StepOutputHandler {
  /** Outputs and state from the deprecated `::set-output` / `::save-state` commands. */
  readonly outputs: Record<string, string> = {};
  readonly state: Record<string, string> = {};
  readonly annotations: Annotation[] = [];
  /** Set when a command made the step fail (e.g. the disabled `::set-env`). */
  failed = false;
  private stopToken: string | undefined;

  constructor(
    private readonly log: JobLog,
    private readonly stepName: string,
    private readonly debug: boolean,
    /** The step's GITHUB_ACTION value. */
    readonly actionId: string
  ) {}

  handleLine(line: string): void {
    if (this.stopToken !== undefined) {
      if (line === `::${this.stopToken}::`) this.stopToken = undefined;
      else this.log.write(line);
      return;
    }
    const command = parseWorkflowCommand(line);
    if (!command || !this.apply(command, line)) this.log.write(line);
  }

  /** The runner's own error line, kept as an annotation too. */
  error(message: string): void {
    this.annotate('error', message, {});
  }

  warning(message: string): void {
    this.annotate('warning', message, {});
  }

  private annotate(level: Annotation['level'], message: string, properties: Record<string, string>): void {
    this.annotations.push({ level, message: this.log.masker.mask(message), properties, step: this.stepName });
    const lines = message.split('\n');
    this.log.write(`##[${level}]${lines[0]}`);
    for (const rest of lines.slice(1)) this.log.write(rest);
  }

  /** Applies a known command; false when the line should be printed as it is. */
  private apply(command: WorkflowCommand, line: string): boolean {
    switch (command.name) {
      case 'add-mask':
        this.log.addSecret(command.data);
        return true;
      case 'group':
        this.log.write(`##[group]${command.data}`);
        return true;
      case 'endgroup':
        this.log.write('##[endgroup]');
        return true;
      case 'debug':
        if (this.debug) this.log.write(`##[debug]${command.data}`);
        return true;
      case 'error':
      case 'warning':
      case 'notice':
        this.annotate(command.name, command.data, command.properties);
        return true;
      case 'stop-commands':
        this.stopToken = command.data;
        return true;
      case 'echo':
        return true;
      default:
        return this.applyDeprecated(command, line);
    }
  }

  private applyDeprecated(command: WorkflowCommand, line: string): boolean {
    if (command.name === 'set-output' || command.name === 'save-state') {
      const target = command.name === 'set-output' ? this.outputs : this.state;
      if (command.properties.name) target[command.properties.name] = command.data;
      this.warning(
        `The \`${command.name}\` command is deprecated and will be disabled soon. Please upgrade to using Environment Files. For more information see: ${DEPRECATION_NOTE}`
      );
      return true;
    }
    if (command.name === 'set-env' || command.name === 'add-path') {
      this.failed = true;
      this.error(
        `Unable to process command '${line}' successfully.\nThe \`${command.name}\` command is disabled. Please upgrade to using Environment Files or opt into unsecure command execution by setting the \`ACTIONS_ALLOW_UNSECURE_COMMANDS\` environment variable to \`true\`. For more information see: ${UNSECURE_NOTE}`
      );
      return true;
    }
    return false;
  }
}

/**
 * `codeartifact-local [--host H] [--port N] [--data-dir DIR] [--config FILE]`: starts the emulator,
 * prints one JSON ready line on stdout, logs to stderr, and exits 0 on SIGTERM or SIGINT.
 */
import { parseArgs } from 'node:util';
import { startEmulator } from './emulator.js';

const USAGE = 'usage: codeartifact-local [--host 127.0.0.1] [--port 0] [--data-dir DIR] [--config FILE]';

export interface CliOptions {
  host: string;
  port: number;
  dataDir?: string;
  config?: string;
}

/** The command line's options; throws with the usage on anything else. */
export function parseCliArgs(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      'data-dir': { type: 'string' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    },
    strict: true
  });
  if (values.help) throw new Error(USAGE);
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port ?? '') || port > 65535)
    throw new Error(`--port must be 0-65535 (0 picks a free port)\n${USAGE}`);
  return { host: values.host!, port, dataDir: values['data-dir'], config: values.config };
}

export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let options: CliOptions;
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    const message = (error as Error).message;
    process.stderr.write(message.includes(USAGE) ? `${message}\n` : `${message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const emulator = await startEmulator(options);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`codeartifact-local: ${signal}, stopping\n`);
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`codeartifact-local: ${(error as Error).message}\n`);
        process.exit(1);
      }
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.stdout.write(`${JSON.stringify(emulator.info)}\n`);
  process.stderr.write(`codeartifact-local: listening on ${emulator.info.endpoint}\n`);
}

import { spawn } from 'node:child_process';

/** How a step's process ended. */
export interface ProcessExit {
  exitCode: number | null;
  timedOut: boolean;
  error?: string;
}

export interface ProcessRequest {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** Called with each complete line from stdout or stderr, in arrival order. */
  onLine(line: string, stream: 'stdout' | 'stderr'): void;
  /** Called with every raw chunk, before line splitting. */
  onRaw(text: string): void;
}

// A background child may hold the pipes open after the step's own process exits; wait only this long for them.
const PIPE_DRAIN_MS = 500;
const KILL_GRACE_MS = 2500;
// stderr joins stdout inside the child, so lines keep the order they were written in: an
// `::add-mask::` on stdout always precedes a secret printed to stderr after it. exec keeps the pid;
// bash, unlike dash, passes on variables such as INPUT_WHO-TO-GREET whose names are not identifiers.
const STDERR_INTO_STDOUT = ['/bin/bash', '--noprofile', '--norc', '-c', 'exec "$@" 2>&1', 'bash'];

/** Process groups started for a job; whatever is left in them is killed when the job ends, like GitHub's orphan cleanup. */
export class ProcessGroups {
  private readonly groups = new Set<number>();

  add(pid: number): void {
    this.groups.add(pid);
  }

  signal(pid: number, signal: NodeJS.Signals): void {
    try {
      process.kill(-pid, signal);
    } catch {
      // The group has already ended.
    }
  }

  killAll(): void {
    for (const pid of this.groups) this.signal(pid, 'SIGKILL');
    this.groups.clear();
  }
}

function lineSplitter(onLine: (line: string) => void): { push(text: string): void; flush(): void } {
  let pending = '';
  return {
    push(text: string) {
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    },
    flush() {
      if (pending !== '') onLine(pending);
      pending = '';
    }
  };
}

/** Runs one step's process in its own process group, streaming its lines, killing the group on timeout. */
export function runStepProcess(request: ProcessRequest, groups: ProcessGroups): Promise<ProcessExit> {
  return new Promise((resolve) => {
    const [shell, ...shellArgs] = STDERR_INTO_STDOUT;
    const child = spawn(shell, [...shellArgs, ...request.argv], {
      cwd: request.cwd,
      env: request.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe']
    });
    if (child.pid !== undefined) groups.add(child.pid);
    let timedOut = false;
    const splitters = {
      stdout: lineSplitter((line) => request.onLine(line, 'stdout')),
      stderr: lineSplitter((line) => request.onLine(line, 'stderr'))
    };
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream].setEncoding('utf8');
      child[stream].on('data', (text: string) => {
        request.onRaw(text);
        splitters[stream].push(text);
      });
    }
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid === undefined) return;
      groups.signal(child.pid, 'SIGINT');
      setTimeout(() => child.pid !== undefined && groups.signal(child.pid, 'SIGKILL'), KILL_GRACE_MS).unref();
    }, request.timeoutMs);
    let settled = false;
    let drainTimer: NodeJS.Timeout | undefined;
    const finish = (exit: ProcessExit) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(drainTimer);
      splitters.stdout.flush();
      splitters.stderr.flush();
      resolve({ ...exit, timedOut });
    };
    child.on('error', (error) => finish({ exitCode: null, timedOut, error: error.message }));
    child.on('close', (code) => finish({ exitCode: code, timedOut }));
    child.on('exit', (code) => {
      // What a timed-out step left behind in its process group goes with it.
      if (timedOut && child.pid !== undefined) groups.signal(child.pid, 'SIGKILL');
      drainTimer = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish({ exitCode: code, timedOut });
      }, PIPE_DRAIN_MS);
    });
  });
}

/**
 * Faults tests ask for (failures, latency, cut connections) and the log of requests they read back.
 * Both are bounded so a long-running emulator does not grow.
 */

/** A fault for the next `count` requests of one operation. */
export interface FaultSpec {
  /**
   * What it applies to: a control-plane operation (`PublishPackageVersion`), a package endpoint
   * format (`pypi`) or format and method (`maven:PUT`), `sts`, `oidc`, or `*` for every request.
   */
  operation: string;
  /** How many matching requests it affects; default 1. */
  count?: number;
  /** Answer with this status (429 adds Retry-After, 500 InternalServerException, 503 ServiceUnavailable...). */
  status?: number;
  /** Seconds for the Retry-After header of a 429; default 1. */
  retryAfterSeconds?: number;
  /** Wait this long before handling (or failing) the request. */
  latencyMs?: number;
  /** Read this many bytes of the request body, then drop the connection without answering. */
  cutAfterBytes?: number;
}

export type ActiveFault = FaultSpec & { count: number };

export interface RequestLogEntry {
  /** ISO 8601. */
  time: string;
  method: string;
  path: string;
  operation: string;
  status: number;
  /** The caller, when it was authenticated. */
  principal?: string;
  /** Set when an injected fault answered the request. */
  fault?: string;
}

const LOG_LIMIT = 10_000;

/** Checks a fault given through the admin API or the programmatic API; returns the problem or undefined. */
export function checkFault(spec: FaultSpec): string | undefined {
  if (typeof spec.operation !== 'string' || spec.operation === '')
    return 'operation must name an operation, a format or "*"';
  if (spec.count !== undefined && (!Number.isInteger(spec.count) || spec.count < 1))
    return 'count must be a whole number of at least 1';
  if (
    spec.status !== undefined &&
    (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599)
  ) {
    return 'status must be an HTTP error status (400-599)';
  }
  if (spec.latencyMs !== undefined && !(spec.latencyMs >= 0))
    return 'latencyMs must be a number of milliseconds';
  if (
    spec.cutAfterBytes !== undefined &&
    !(Number.isInteger(spec.cutAfterBytes) && spec.cutAfterBytes >= 0)
  ) {
    return 'cutAfterBytes must be a whole number of bytes';
  }
  if (spec.status === undefined && spec.latencyMs === undefined && spec.cutAfterBytes === undefined) {
    return 'give at least one of status, latencyMs, cutAfterBytes';
  }
  return undefined;
}

export class Observer {
  private faults: ActiveFault[] = [];
  private log: RequestLogEntry[] = [];

  addFault(spec: FaultSpec): void {
    const problem = checkFault(spec);
    if (problem) throw new Error(`Invalid fault: ${problem}`);
    this.faults.push({ ...spec, count: spec.count ?? 1 });
  }

  listFaults(): ActiveFault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Takes one use of the first fault matching any of `names` (most specific first). */
  takeFault(names: string[]): ActiveFault | undefined {
    const fault = this.faults.find((f) => f.operation === '*' || names.includes(f.operation));
    if (!fault) return undefined;
    fault.count -= 1;
    if (fault.count <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return { ...fault };
  }

  record(entry: RequestLogEntry): void {
    this.log.push(entry);
    if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
  }

  requests(): RequestLogEntry[] {
    return this.log.map((entry) => ({ ...entry }));
  }

  clearRequests(): void {
    this.log = [];
  }
}

import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { StepSpec } from './types.js';

/** The events a workflow file can be run with here. */
export type WorkflowEvent = 'workflow_call' | 'push' | 'workflow_dispatch';

/** One input as `on.workflow_call.inputs` or `on.workflow_dispatch.inputs` declares it. */
export interface WorkflowInput {
  type: 'string' | 'boolean' | 'number' | 'choice' | 'environment';
  required: boolean;
  default?: unknown;
  options?: string[];
}

/** A job as the workflow file writes it (only what this runner reads). */
export interface WorkflowJob {
  name?: string;
  needs?: string | string[];
  if?: string;
  permissions?: Permissions;
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  defaults?: { run?: { 'working-directory'?: string; shell?: 'bash' | 'sh' } };
  'timeout-minutes'?: number;
  steps?: Array<StepSpec & { uses?: string }>;
  /** A called workflow: `./.github/workflows/x.yml` or `OWNER/REPO/.github/workflows/x.yml@ref`. */
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: 'inherit' | Record<string, string>;
  strategy?: unknown;
  container?: unknown;
  services?: unknown;
}

export type Permissions = 'read-all' | 'write-all' | Record<string, 'read' | 'write' | 'none'>;

/** A workflow file, its `on:` normalised to a map of event name to its settings. */
export interface WorkflowFile {
  file: string;
  name: string;
  on: Record<string, Record<string, unknown>>;
  permissions?: Permissions;
  env?: Record<string, string>;
  jobs: Record<string, WorkflowJob>;
}

function normaliseOn(raw: unknown): Record<string, Record<string, unknown>> {
  if (typeof raw === 'string') return { [raw]: {} };
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((event) => [String(event), {}]));
  return Object.fromEntries(
    Object.entries((raw ?? {}) as Record<string, unknown>).map(([event, value]) => [
      event,
      (value ?? {}) as Record<string, unknown>
    ])
  );
}

/** Reads a workflow file; a file without `on:` or `jobs:` is refused the way GitHub refuses it. */
export async function loadWorkflowFile(file: string): Promise<WorkflowFile> {
  const raw = (parse(await readFile(file, 'utf8')) ?? {}) as Record<string, unknown>;
  // YAML 1.1 readers turn a bare `on` key into true; the yaml package keeps it a string.
  const on = raw.on ?? raw.true;
  if (on === undefined) throw new Error(`${file}: the workflow has no 'on' (no trigger).`);
  if (!raw.jobs || typeof raw.jobs !== 'object') throw new Error(`${file}: the workflow has no 'jobs'.`);
  return {
    file,
    name: typeof raw.name === 'string' ? raw.name : file.replace(/^.*\//, ''),
    on: normaliseOn(on),
    permissions: raw.permissions as Permissions | undefined,
    env: raw.env as Record<string, string> | undefined,
    jobs: raw.jobs as Record<string, WorkflowJob>
  };
}

/** The inputs an event declares, with their types and defaults. */
export function declaredInputs(workflow: WorkflowFile, event: WorkflowEvent): Record<string, WorkflowInput> {
  const raw = (workflow.on[event]?.inputs ?? {}) as Record<string, Record<string, unknown> | null>;
  return Object.fromEntries(
    Object.entries(raw).map(([name, spec]) => [
      name,
      {
        type: (spec?.type as WorkflowInput['type']) ?? 'string',
        required: spec?.required === true,
        default: spec?.default,
        options: spec?.options as string[] | undefined
      }
    ])
  );
}

function typedValue(name: string, input: WorkflowInput, value: unknown, event: WorkflowEvent): unknown {
  if (input.type === 'boolean') {
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    throw new Error(`Input ${name} must be a boolean (true or false), got '${String(value)}'.`);
  }
  if (input.type === 'number') {
    const number = typeof value === 'number' ? value : Number(value);
    if (String(value).trim() === '' || Number.isNaN(number))
      throw new Error(`Input ${name} must be a number, got '${String(value)}'.`);
    return number;
  }
  if (input.type === 'choice' && event === 'workflow_dispatch' && !input.options?.includes(String(value)))
    throw new Error(
      `Input ${name} must be one of ${JSON.stringify(input.options ?? [])}, got '${String(value)}'.`
    );
  return String(value);
}

/**
 * The `inputs` context for a run: given values checked against the declarations and typed, then
 * defaults. Errors use GitHub's wording for the event.
 */
export function resolveWorkflowInputs(
  workflow: WorkflowFile,
  event: WorkflowEvent,
  given: Record<string, unknown>
): { inputs: Record<string, unknown>; errors: string[] } {
  const declared = declaredInputs(workflow, event);
  const errors: string[] = [];
  const undeclared = Object.keys(given).filter((name) => !(name in declared));
  if (event === 'workflow_call') {
    for (const name of undeclared)
      errors.push(`Invalid input, ${name} is not defined in the referenced workflow.`);
  } else if (undeclared.length > 0) {
    errors.push(`Unexpected inputs provided: ${JSON.stringify(undeclared)}`);
  }
  const inputs: Record<string, unknown> = {};
  for (const [name, input] of Object.entries(declared)) {
    const value = name in given ? given[name] : input.default;
    if (value === undefined) {
      if (input.required) {
        errors.push(
          event === 'workflow_call'
            ? `Input ${name} is required, but not provided while calling.`
            : `Required input '${name}' not provided`
        );
      }
      // An input without value or default reads as its type's empty value, as on GitHub.
      inputs[name] = input.type === 'boolean' ? false : input.type === 'number' ? 0 : '';
      continue;
    }
    try {
      inputs[name] = typedValue(name, input, value, event);
    } catch (error) {
      errors.push((error as Error).message);
    }
  }
  return { inputs, errors };
}

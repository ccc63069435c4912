import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** One input as action.yml declares it. */
export interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string;
}

/** The parts of action.yml a JavaScript action runs by. */
export interface ActionManifest {
  name: string;
  folder: string;
  inputs: Record<string, ActionInput>;
  using: string;
  main: string;
  post?: string;
  postIf?: string;
  pre?: string;
}

const NODE_RUNTIMES = ['node12', 'node16', 'node20', 'node24'];

interface RawManifest {
  name?: string;
  inputs?: Record<string, { description?: string; required?: boolean | string; default?: unknown } | null>;
  runs?: { using?: string; main?: string; post?: string; 'post-if'?: string; pre?: string };
}

function readInputs(raw: RawManifest['inputs']): Record<string, ActionInput> {
  const inputs: Record<string, ActionInput> = {};
  for (const [name, spec] of Object.entries(raw ?? {})) {
    inputs[name] = {
      description: spec?.description,
      required: spec?.required === true || spec?.required === 'true',
      default: spec?.default === undefined || spec?.default === null ? undefined : String(spec.default)
    };
  }
  return inputs;
}

/** Reads `action.yml` (or `action.yaml`) in a folder; only node runtimes are supported. */
export async function loadActionManifest(folder: string): Promise<ActionManifest> {
  const file = ['action.yml', 'action.yaml']
    .map((name) => path.join(folder, name))
    .find((candidate) => existsSync(candidate));
  if (!file) throw new Error(`Can't find 'action.yml' or 'action.yaml' under '${folder}'.`);
  const raw = (parse(await readFile(file, 'utf8')) ?? {}) as RawManifest;
  const runs = raw.runs ?? {};
  if (!runs.using || !NODE_RUNTIMES.includes(runs.using)) {
    throw new Error(
      `${file}: runs.using '${runs.using ?? ''}' is not supported here; use one of ${NODE_RUNTIMES.join(', ')}.`
    );
  }
  if (!runs.main) throw new Error(`${file}: runs.main is required for a JavaScript action.`);
  return {
    name: raw.name ?? path.basename(folder),
    folder,
    inputs: readInputs(raw.inputs),
    using: runs.using,
    main: path.resolve(folder, runs.main),
    post: runs.post ? path.resolve(folder, runs.post) : undefined,
    postIf: runs['post-if'],
    pre: runs.pre ? path.resolve(folder, runs.pre) : undefined
  };
}

/** GitHub's INPUT_ variable name: upper case, spaces to underscores, hyphens kept. */
export function inputVariableName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** The warnings GitHub prints for inputs the action does not declare and required inputs left out. */
export function inputWarnings(manifest: ActionManifest, given: Record<string, string>): string[] {
  const declared = Object.keys(manifest.inputs);
  const declaredLower = new Set(declared.map((name) => name.toLowerCase()));
  const givenLower = new Set(Object.keys(given).map((name) => name.toLowerCase()));
  const warnings: string[] = [];
  const unexpected = Object.keys(given).filter((name) => !declaredLower.has(name.toLowerCase()));
  if (unexpected.length > 0) {
    const list = declared.map((name) => `'${name}'`).join(', ');
    warnings.push(
      `Unexpected input(s) ${unexpected.map((name) => `'${name}'`).join(', ')}, valid inputs are [${list}]`
    );
  }
  for (const [name, input] of Object.entries(manifest.inputs)) {
    if (input.required && input.default === undefined && !givenLower.has(name.toLowerCase())) {
      warnings.push(`Input required and not supplied: ${name}`);
    }
  }
  return warnings;
}

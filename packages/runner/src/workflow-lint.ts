import { readFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { validateAction, validateWorkflow, type ValidationError } from '@action-validator/core';
import { parse } from 'yaml';

/** One problem in a workflow or action.yml file. */
export interface LintProblem {
  file: string;
  message: string;
}

// The validator's schema predates node24; node20 has the same action.yml shape.
const NEWER_NODE_RUNTIME = /^(\s*using:\s*['"]?)node24(['"]?\s*)$/m;
const FULL_SHA = /@[0-9a-f]{40}$/;

function describeError(error: ValidationError): string {
  const where = 'path' in error && error.path ? `${error.path}: ` : '';
  const nested =
    'states' in error && error.states
      ? ` (${error.states.flatMap((state) => state.errors.map(describeError)).join('; ')})`
      : '';
  return `${where}${error.title}${error.detail ? ` - ${error.detail}` : ''}${nested}`;
}

function schemaProblems(file: string, source: string, kind: 'workflow' | 'action'): LintProblem[] {
  const state =
    kind === 'action'
      ? validateAction(source.replace(NEWER_NODE_RUNTIME, '$1node20$2'))
      : validateWorkflow(source);
  return state.errors.map((error) => ({ file, message: describeError(error) }));
}

function everyUses(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) everyUses(item, found);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'uses' && typeof value === 'string') found.push(value);
      else everyUses(value, found);
    }
  }
  return found;
}

/**
 * Checks the schema misses: third-party actions pinned by full commit SHA, and every `inputs.<name>`
 * a workflow reads declared by one of its triggers (a misspelled input reads as '' on GitHub).
 */
function referenceProblems(file: string, source: string, ownRepository: string): LintProblem[] {
  const document = (parse(source) ?? {}) as Record<string, unknown>;
  const problems: LintProblem[] = [];
  for (const uses of everyUses(document)) {
    const local =
      uses.startsWith('./') || uses.startsWith('docker://') || uses.startsWith(`${ownRepository}/`);
    if (!local && !FULL_SHA.test(uses))
      problems.push({ file, message: `'${uses}' is not pinned to a full commit SHA.` });
  }
  const on = (document.on ?? {}) as Record<string, { inputs?: Record<string, unknown> } | null>;
  const declared = new Set(
    typeof on === 'object' && !Array.isArray(on)
      ? Object.values(on).flatMap((event) => Object.keys(event?.inputs ?? {}))
      : []
  );
  const readsInputs = [...source.matchAll(/\binputs\.([A-Za-z_][\w-]*)/g)].map((match) => match[1]);
  // action.yml inputs are checked by the schema; here only workflow files.
  if (document.jobs) {
    problems.push(...wiringProblems(file, document));
    for (const name of new Set(readsInputs)) {
      if (!declared.has(name))
        problems.push({ file, message: `inputs.${name} is read but no trigger declares it.` });
    }
  }
  return problems;
}

interface LintedJob {
  needs?: string | string[];
  steps?: Array<{ id?: string }>;
}

function referencedNames(value: unknown, context: 'steps' | 'needs' | 'jobs'): string[] {
  const text = JSON.stringify(value ?? '');
  return [...text.matchAll(new RegExp(`\\b${context}\\.([A-Za-z_][\\w-]*)`, 'g'))].map((match) => match[1]);
}

/** `steps.X`, `needs.X` and `jobs.X` must name a step of the job, a job it needs, a job of the file. */
function wiringProblems(file: string, document: Record<string, unknown>): LintProblem[] {
  const jobs = (document.jobs ?? {}) as Record<string, LintedJob>;
  const problems: LintProblem[] = [];
  for (const [id, job] of Object.entries(jobs)) {
    const steps = Array.isArray(job.steps) ? job.steps : [];
    const stepIds = new Set(steps.map((step) => step.id).filter(Boolean));
    const needs = new Set([job.needs ?? []].flat());
    for (const name of new Set(referencedNames(job, 'steps')))
      if (!stepIds.has(name))
        problems.push({ file, message: `job '${id}' reads steps.${name}, but has no step with that id.` });
    for (const name of new Set(referencedNames(job, 'needs')))
      if (!needs.has(name))
        problems.push({ file, message: `job '${id}' reads needs.${name}, but does not need it.` });
  }
  const on = (document.on ?? {}) as Record<string, unknown>;
  for (const name of new Set(referencedNames(typeof on === 'object' ? on : {}, 'jobs')))
    if (!(name in jobs))
      problems.push({ file, message: `an output reads jobs.${name}, but there is no such job.` });
  return problems;
}

async function workflowFiles(root: string): Promise<string[]> {
  const folders = ['.github/workflows', 'examples'].map((folder) => path.join(root, folder));
  const files: string[] = [];
  for (const folder of folders.filter((candidate) => existsSync(candidate))) {
    for (const name of (await readdir(folder)).sort())
      if (/\.ya?ml$/.test(name)) files.push(path.join(folder, name));
  }
  return files;
}

async function actionFiles(root: string): Promise<string[]> {
  const folder = path.join(root, 'actions');
  if (!existsSync(folder)) return [];
  const names = (await readdir(folder, { withFileTypes: true })).filter((entry) => entry.isDirectory());
  return names
    .map((entry) => path.join(folder, entry.name, 'action.yml'))
    .filter((file) => existsSync(file))
    .sort();
}

/** Lints every workflow (.github/workflows, examples) and every actions/<name>/action.yml under `root`. */
export async function lintWorkflowFiles(
  root: string,
  ownRepository = 'OWNER/REPO'
): Promise<{ files: string[]; problems: LintProblem[] }> {
  const workflows = await workflowFiles(root);
  const actions = await actionFiles(root);
  const problems: LintProblem[] = [];
  for (const file of workflows) {
    const source = await readFile(file, 'utf8');
    problems.push(
      ...schemaProblems(file, source, 'workflow'),
      ...referenceProblems(file, source, ownRepository)
    );
  }
  for (const file of actions) problems.push(...schemaProblems(file, await readFile(file, 'utf8'), 'action'));
  const relative = (file: string) => path.relative(root, file);
  return {
    files: [...workflows, ...actions].map(relative),
    problems: problems.map((problem) => ({ ...problem, file: relative(problem.file) }))
  };
}

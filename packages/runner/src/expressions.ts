import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';

/** How the job stands, for success() / failure() / cancelled(). */
export interface JobStatus {
  failed: boolean;
  cancelled: boolean;
}

/** What an expression can see: plain JSON-like values per context name. */
export interface ExpressionContext {
  contexts: Record<string, unknown>;
  status: JobStatus;
}

const KNOWN_CONTEXTS = [
  'github',
  'env',
  'vars',
  'secrets',
  'steps',
  'inputs',
  'runner',
  'job',
  'matrix',
  'strategy',
  'needs',
  // Only workflow_call outputs read it; elsewhere it is empty.
  'jobs'
];
const STATUS_FUNCTIONS = ['success', 'failure', 'always', 'cancelled'];

/** Thrown when an expression cannot be parsed; the step using it fails, as on GitHub. */
export class ExpressionSyntaxError extends Error {
  constructor(expression: string, cause: unknown) {
    super(
      `The expression '${expression}' is not valid: ${cause instanceof Error ? cause.message : String(cause)}`
    );
  }
}

function toExpressionData(value: unknown): data.ExpressionData {
  if (value === null || value === undefined) return new data.Null();
  if (typeof value === 'string') return new data.StringData(value);
  if (typeof value === 'number') return new data.NumberData(value);
  if (typeof value === 'boolean') return new data.BooleanData(value);
  if (Array.isArray(value)) return new data.Array(...value.map(toExpressionData));
  const dictionary = new data.Dictionary();
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    dictionary.add(key, toExpressionData(item));
  }
  return dictionary;
}

function statusFunctions(status: JobStatus): Map<string, FunctionDefinition> {
  const results: Record<string, boolean> = {
    success: !status.failed && !status.cancelled,
    failure: status.failed && !status.cancelled,
    always: true,
    cancelled: status.cancelled
  };
  const functions = new Map<string, FunctionDefinition>();
  for (const name of STATUS_FUNCTIONS) {
    functions.set(name, { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(results[name]) });
  }
  return functions;
}

function evaluate(expression: string, context: ExpressionContext): data.ExpressionData {
  let parsed;
  try {
    const lexed = new Lexer(expression).lex();
    const functionInfos = STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 }));
    parsed = new Parser(lexed.tokens, KNOWN_CONTEXTS, functionInfos).parse();
  } catch (error) {
    throw new ExpressionSyntaxError(expression, error);
  }
  const contexts = new data.Dictionary();
  for (const name of KNOWN_CONTEXTS) contexts.add(name, toExpressionData(context.contexts[name] ?? {}));
  return new Evaluator(parsed, contexts, statusFunctions(context.status)).evaluate();
}

function isTruthy(value: data.ExpressionData): boolean {
  switch (value.kind) {
    case data.Kind.Null:
      return false;
    case data.Kind.Boolean:
      return (value as data.BooleanData).value;
    case data.Kind.Number: {
      const number = value.number();
      return number !== 0 && !Number.isNaN(number);
    }
    case data.Kind.String:
      return value.coerceString() !== '';
    default:
      return true;
  }
}

/** Index just past the `}}` closing an expression that starts at `start`, skipping quoted strings. */
function findExpressionEnd(text: string, start: number): number {
  let inString = false;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (char === "'") inString = !inString;
    else if (!inString && char === '}' && text[index + 1] === '}') return index;
  }
  return -1;
}

/** Replaces every `${{ expression }}` in a string with its value, as GitHub does in `with`, `env` and `run`. */
export function interpolate(text: string, context: ExpressionContext): string {
  let result = '';
  let cursor = 0;
  for (;;) {
    const open = text.indexOf('${{', cursor);
    if (open < 0) break;
    const close = findExpressionEnd(text, open + 3);
    if (close < 0) throw new ExpressionSyntaxError(text.slice(open), 'the closing }} is missing');
    result += text.slice(cursor, open) + evaluate(text.slice(open + 3, close).trim(), context).coerceString();
    cursor = close + 2;
  }
  return result + text.slice(cursor);
}

/** Evaluates an `if:` condition; without a status function it is implicitly `success() && (…)`, like GitHub. */
export function evaluateCondition(condition: string | undefined, context: ExpressionContext): boolean {
  let expression = (condition ?? '').trim();
  const wrapped = /^\$\{\{([\s\S]*)\}\}$/.exec(expression);
  if (wrapped && findExpressionEnd(expression, 3) === expression.length - 2) expression = wrapped[1].trim();
  if (expression === '') return evaluateCondition('success()', context);
  const mentionsStatus = new RegExp(`\\b(${STATUS_FUNCTIONS.join('|')})\\s*\\(`, 'i').test(expression);
  const effective = mentionsStatus ? expression : `success() && (${expression})`;
  return isTruthy(evaluate(effective, context));
}

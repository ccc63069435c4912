/** The Python interpreter the action builds and uploads with, and what it has installed. */
import { ConfigurationError } from '@codeartifact-actions/kit';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { runTool, toolMessage } from './tool-run.js';

/** An interpreter that ran, and which of the packaging tools it can import. */
export interface PythonInterpreter {
  /** The command as found (a path). */
  path: string;
  /** sys.executable. */
  executable: string;
  /** Such as 3.11.2. */
  version: string;
  modules: { build: boolean; wheel: boolean; twine: boolean; setuptools: boolean; venv: boolean };
}

const PROBE = `
import importlib.util, json, platform, sys
def has(name):
    try:
        return importlib.util.find_spec(name) is not None
    except Exception:
        return False
print(json.dumps({"executable": sys.executable, "version": platform.python_version(),
  "modules": {m: has(m) for m in ("build", "wheel", "twine", "setuptools", "venv")}}))
`;

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false
  );
}

/** The first executable called `name` on PATH. */
export async function findOnPath(name: string, path = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const dir of path.split(delimiter)) {
    if (dir && (await isExecutable(join(dir, name)))) return join(dir, name);
  }
  return undefined;
}

async function locate(spec: string | undefined, cwd: string): Promise<string> {
  if (spec === undefined) {
    const found = (await findOnPath('python3')) ?? (await findOnPath('python'));
    if (found) return found;
    throw new ConfigurationError(
      'No Python interpreter was found: neither python3 nor python is on PATH. Install one (actions/setup-python) or set the "python" input to its path.'
    );
  }
  if (spec.includes('/') || isAbsolute(spec)) {
    const path = resolve(cwd, spec);
    if (await isExecutable(path)) return path;
    throw new ConfigurationError(
      `Input "python": "${spec}" does not exist or is not executable. Give the path of a Python interpreter, or a command on PATH such as python3.`
    );
  }
  const found = await findOnPath(spec);
  if (found) return found;
  throw new ConfigurationError(
    `Input "python": "${spec}" was not found on PATH. Install it (actions/setup-python) or give the interpreter's path.`
  );
}

/** Finds the interpreter (the "python" input, else python3, else python) and asks it what it can import. */
export async function findPythonInterpreter(
  spec: string | undefined,
  cwd: string
): Promise<PythonInterpreter> {
  const path = await locate(spec, cwd);
  const probe = await runTool(path, ['-c', PROBE]);
  let answer: Omit<PythonInterpreter, 'path'> | undefined;
  try {
    answer = probe.exitCode === 0 ? JSON.parse(probe.stdout.trim().split('\n').pop() ?? '') : undefined;
  } catch {
    answer = undefined;
  }
  if (!answer) {
    throw new ConfigurationError(
      `Input "python": ${path} did not run as a Python 3 interpreter (exit ${probe.exitCode}): ${toolMessage(probe, 5)}`
    );
  }
  return { path, ...answer };
}

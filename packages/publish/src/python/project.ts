/** The Python project in working-directory: how it is built, and its version before building. */
import { ConfigurationError } from '@codeartifact-actions/kit';
import { stat } from 'node:fs/promises';
import type { PythonInterpreter } from './interpreter.js';
import { runTool, toolMessage } from './tool-run.js';

/** What the project's files say, read by its own interpreter (tomllib reads pyproject.toml). */
export interface PythonProject {
  directory: string;
  hasPyproject: boolean;
  hasSetupPy: boolean;
  name?: string;
  /** The version known before building, and where it was read; undefined when only a build tells. */
  version?: { value: string; source: string };
  /** build-system.requires (PEP 518's setuptools + wheel when pyproject.toml names none). */
  buildRequires: string[];
  /** Those of buildRequires not installed in the interpreter. */
  missingBuildRequires: string[];
  buildBackend: string;
}

interface ProjectProbe {
  pyproject: boolean;
  setupPy: boolean;
  setupCfg: boolean;
  tomlError?: string;
  name?: string;
  version?: string;
  cfgVersion?: string;
  dynamic: string[];
  requires: string[];
  missing: string[];
  backend: string;
}

const PROJECT_PROBE = `
import json, os, re
from importlib import metadata
out = {"pyproject": os.path.isfile("pyproject.toml"), "setupPy": os.path.isfile("setup.py"),
       "setupCfg": os.path.isfile("setup.cfg")}
data = {}
if out["pyproject"]:
    reader = None
    for name in ("tomllib", "tomli", "pip._vendor.tomli"):
        try:
            reader = __import__(name, fromlist=["load"])
            break
        except ImportError:
            pass
    if reader is None:
        out["tomlError"] = "this Python has no TOML reader (tomllib is in Python 3.11+; or install tomli)"
    else:
        try:
            with open("pyproject.toml", "rb") as f:
                data = reader.load(f)
        except Exception as e:
            out["tomlError"] = str(e)
project = data.get("project") or {}
system = data.get("build-system")
out["name"] = project.get("name")
if isinstance(project.get("version"), str):
    out["version"] = project["version"]
out["dynamic"] = project.get("dynamic") or []
out["requires"] = (system or {}).get("requires") or (["setuptools>=40.8.0", "wheel"] if system is None else [])
out["backend"] = (system or {}).get("build-backend") or "setuptools.build_meta:__legacy__"
if out["setupCfg"]:
    import configparser
    cfg = configparser.ConfigParser()
    try:
        cfg.read("setup.cfg")
        v = cfg.get("metadata", "version", fallback="").strip()
        if v and not v.startswith(("attr:", "file:")):
            out["cfgVersion"] = v
    except Exception:
        pass
def installed(requirement):
    name = re.split(r"[\\s<>=!~;\\[(@]", requirement.strip(), maxsplit=1)[0]
    try:
        metadata.distribution(name)
        return True
    except Exception:
        return False
out["missing"] = [r for r in out["requires"] if not installed(r)]
print(json.dumps(out))
`;

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false
  );
}

/** Reads the project in `directory`; a folder without pyproject.toml, setup.py or setup.cfg is a ConfigurationError. */
export async function inspectPythonProject(
  directory: string,
  python: PythonInterpreter
): Promise<PythonProject> {
  if (!(await isDirectory(directory))) {
    throw new ConfigurationError(
      `Input "working-directory": ${directory} does not exist or is not a folder. Point it at the folder holding pyproject.toml or setup.py.`
    );
  }
  const run = await runTool(python.path, ['-c', PROJECT_PROBE], { cwd: directory });
  if (run.exitCode !== 0) {
    throw new Error(`Could not read the Python project in ${directory}: ${toolMessage(run, 8)}`);
  }
  const probe = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as ProjectProbe;
  if (!probe.pyproject && !probe.setupPy && !probe.setupCfg) {
    throw new ConfigurationError(
      `Input "working-directory": ${directory} holds no Python project (no pyproject.toml, setup.py or setup.cfg). Point it at the project folder, or use build: false to publish what packages-dir holds.`
    );
  }
  if (probe.tomlError)
    throw new ConfigurationError(`${directory}/pyproject.toml cannot be read: ${probe.tomlError}`);
  return {
    directory,
    hasPyproject: probe.pyproject,
    hasSetupPy: probe.setupPy,
    name: probe.name,
    version: await staticVersion(probe, directory, python),
    buildRequires: probe.requires,
    missingBuildRequires: probe.missing,
    buildBackend: probe.backend
  };
}

async function staticVersion(
  probe: ProjectProbe,
  directory: string,
  python: PythonInterpreter
): Promise<PythonProject['version']> {
  if (probe.version) return { value: probe.version, source: 'pyproject.toml [project] version' };
  if (probe.setupPy) {
    // setup.py computes its version however it likes: ask it, as `setup.py --version` always could.
    const run = await runTool(python.path, ['setup.py', '--version'], { cwd: directory });
    const value = run.stdout.trim().split('\n').pop()?.trim();
    if (run.exitCode === 0 && value) return { value, source: 'setup.py --version' };
    return undefined;
  }
  if (probe.cfgVersion) return { value: probe.cfgVersion, source: 'setup.cfg [metadata] version' };
  return undefined;
}

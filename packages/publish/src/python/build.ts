/** Building sdists and wheels: pypa/build when the interpreter has it, else setup.py for legacy projects. */
import * as core from '@actions/core';
import { ConfigurationError } from '@codeartifact-actions/kit';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { archiveTimestamp } from '../generic/archive.js';
import { listDistributionNames, parseDistributionFilename, readDistributions } from './distributions.js';
import type { DistributionFile } from './distributions.js';
import type { PythonInterpreter } from './interpreter.js';
import type { PythonProject } from './project.js';
import { runTool, toolMessage } from './tool-run.js';

/** What to build and how the user tuned it (a part of PublishPythonSettings). */
export interface BuildRequest {
  sdist: boolean;
  wheel: boolean;
  buildArgs: string[];
}

/** One command of a build, and why it was chosen (said in the log). */
export interface BuildStep {
  title: string;
  args: string[];
  reason: string;
}

/** The commands that build `request` for the project into `outDir`; throws when this interpreter cannot build it. */
export function planBuild(
  project: PythonProject,
  python: PythonInterpreter,
  request: BuildRequest,
  outDir: string
): BuildStep[] {
  if (python.modules.build) return [pypaBuildStep(project, request, outDir)];
  if (!project.hasSetupPy) {
    throw new ConfigurationError(
      `pypa/build is not installed in ${python.path} and the project has no setup.py to fall back on. Install it (pip install build; on Debian apt-get install python3-build) or set "python" to an interpreter that has it.`
    );
  }
  if (!python.modules.setuptools) {
    throw new ConfigurationError(
      `Neither pypa/build nor setuptools is installed in ${python.path}, so setup.py cannot run. Install build (or setuptools) into it.`
    );
  }
  return legacySteps(python, request, outDir);
}

function pypaBuildStep(project: PythonProject, request: BuildRequest, outDir: string): BuildStep {
  const only =
    request.sdist && !request.wheel ? ['--sdist'] : !request.sdist && request.wheel ? ['--wheel'] : [];
  const installed = project.missingBuildRequires.length === 0;
  // An isolated build installs build-system.requires from the package index; offline runners have none.
  const isolation = installed ? ['--no-isolation'] : [];
  const requires = project.buildRequires.join(', ') || 'none';
  const reason = installed
    ? `The build requirements (${requires}) are installed in this Python: building without isolation, so nothing is downloaded.`
    : `Build requirements not installed here (${project.missingBuildRequires.join(', ')}): pypa/build installs them into an isolated environment from the package index.`;
  return {
    title: `python -m build ${[...only, ...isolation].join(' ')}`.trim(),
    args: ['-m', 'build', ...only, ...isolation, '--outdir', outDir, ...request.buildArgs, '.'],
    reason
  };
}

function legacySteps(python: PythonInterpreter, request: BuildRequest, outDir: string): BuildStep[] {
  const why = `pypa/build is not installed in ${python.path}: building with setup.py`;
  const steps: BuildStep[] = [];
  if (request.sdist) {
    steps.push({
      title: 'python setup.py sdist',
      args: ['setup.py', 'sdist', '--dist-dir', outDir, ...request.buildArgs],
      reason: `${why}.`
    });
  }
  if (request.wheel && python.modules.wheel) {
    steps.push({
      title: 'python setup.py bdist_wheel',
      args: ['setup.py', 'bdist_wheel', '--dist-dir', outDir, ...request.buildArgs],
      reason: `${why} (wheel is installed, so a wheel too).`
    });
  } else if (request.wheel) {
    if (!request.sdist) {
      throw new ConfigurationError(
        `Input "wheel": the wheel package is not installed in ${python.path}, so setup.py cannot build a wheel. Install wheel (or build), or set sdist: true.`
      );
    }
    steps[0] = {
      ...(steps[0] as BuildStep),
      reason: `${why}; wheel is not installed, so only the sdist is built.`
    };
  }
  return steps;
}

/**
 * Builds into a fresh folder under `tempRoot`, then copies the result into `packagesDir`; only what this
 * build made is returned (and uploaded), whatever else packagesDir holds.
 */
export async function buildDistributions(
  project: PythonProject,
  python: PythonInterpreter,
  request: BuildRequest,
  packagesDir: string,
  tempRoot: string
): Promise<DistributionFile[]> {
  const outDir = await mkdtemp(join(tempRoot, 'publish-python-build-'));
  try {
    // The same commit must give the same bytes, or a re-run would look like a changed file.
    const epoch = await archiveTimestamp(process.env, project.directory);
    const env = { SOURCE_DATE_EPOCH: String(epoch) };
    for (const step of planBuild(project, python, request, outDir)) {
      core.info(step.reason);
      const run = await runTool(python.path, step.args, { cwd: project.directory, group: step.title, env });
      if (run.exitCode !== 0) {
        throw new Error(`${step.title} failed (exit ${run.exitCode}):\n${toolMessage(run)}`);
      }
    }
    await makeSdistsReproducible(python, outDir, epoch);
    const built = await readDistributions(outDir);
    if (built.length === 0) throw new Error(`The build wrote no sdist or wheel into ${outDir}.`);
    await warnAboutOtherFiles(packagesDir, built);
    await mkdir(packagesDir, { recursive: true });
    const placed: DistributionFile[] = [];
    for (const file of built) {
      const path = join(packagesDir, file.name);
      await copyFile(file.path, path);
      placed.push({ ...file, path });
    }
    return placed;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

async function warnAboutOtherFiles(packagesDir: string, built: DistributionFile[]): Promise<void> {
  const ours = new Set(built.map((f) => `${f.project} ${f.version}`));
  const others = (await listDistributionNames(packagesDir)).filter((name) => {
    const parsed = parseDistributionFilename(name);
    return parsed && !ours.has(`${parsed.project} ${parsed.version}`);
  });
  if (others.length > 0) {
    core.warning(
      `${packagesDir} already holds files of another version (${others.join(', ')}); the build went into a clean folder and only its files are uploaded.`
    );
  }
}

// tarfile stamps entries with file times and gzip with the clock; rewrite with one mtime, sorted, owner 0.
const REPRODUCIBLE_SDIST = `
import gzip, io, os, sys, tarfile
folder, epoch = sys.argv[1], int(sys.argv[2])
for name in sorted(os.listdir(folder)):
    if not name.endswith(".tar.gz"):
        continue
    path = os.path.join(folder, name)
    with tarfile.open(path, "r:gz") as source:
        members = [(m, source.extractfile(m).read() if m.isfile() else None) for m in source.getmembers()]
    members.sort(key=lambda pair: pair[0].name)
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as target:
            for member, data in members:
                member.mtime, member.uid, member.gid, member.uname, member.gname = epoch, 0, 0, "", ""
                member.mode = 0o755 if member.isdir() or member.mode & 0o111 else 0o644
                member.pax_headers = {}
                target.addfile(member, io.BytesIO(data) if data is not None else None)
    with open(path, "wb") as f:
        f.write(out.getvalue())
`;

/** Rewrites each .tar.gz sdist in `folder` so that the same sources give the same bytes. */
async function makeSdistsReproducible(
  python: PythonInterpreter,
  folder: string,
  epoch: number
): Promise<void> {
  const run = await runTool(python.path, ['-c', REPRODUCIBLE_SDIST, folder, String(epoch)]);
  if (run.exitCode !== 0) throw new Error(`Could not make the sdist reproducible: ${toolMessage(run, 8)}`);
  core.info(`Built with SOURCE_DATE_EPOCH=${epoch}: the same commit gives the same SHA-256 on a re-run.`);
}

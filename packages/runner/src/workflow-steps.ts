import path from 'node:path';
import type { StepSpec } from './types.js';

/** Where this repository's actions come from when a workflow names them remotely. */
export interface LocalSources {
  /** The repository root holding actions/<name> and dist/<name>. */
  repoRoot: string;
  /** The `owner/repo` that workflows use for this repository (e.g. 'OWNER/REPO'). */
  actionsRepository: string;
  /** A project folder that a checkout of the calling repository copies into the workspace. */
  checkoutSource?: string;
  workspace: string;
  /** The interpreter actions/setup-python stands for (default: python3 on PATH). */
  python?: string;
}

// Each stand-in reads the step's `with:` from INPUT_* variables the runner evaluates at run time.
const CHECKOUT_SCRIPT = `
dest="$GITHUB_WORKSPACE/\${INPUT_PATH:-.}"
mkdir -p "$dest"
if [ -n "$INPUT_REPOSITORY" ] && [ "$INPUT_REPOSITORY" != "$GITHUB_REPOSITORY" ]; then
  if [ "$INPUT_REPOSITORY" != "$LOCAL_ACTIONS_REPOSITORY" ]; then
    echo "::error::actions/checkout stand-in: only $GITHUB_REPOSITORY and $LOCAL_ACTIONS_REPOSITORY can be checked out locally, not '$INPUT_REPOSITORY'."
    exit 1
  fi
  ln -sfn "$LOCAL_ACTIONS_ROOT/actions" "$dest/actions"
  ln -sfn "$LOCAL_ACTIONS_ROOT/dist" "$dest/dist"
  echo "Checked out $INPUT_REPOSITORY at \${INPUT_REF:-its default branch} (local: $LOCAL_ACTIONS_ROOT)"
  echo "ref=$INPUT_REF" >> "$GITHUB_OUTPUT"
  exit 0
fi
if [ -n "$LOCAL_CHECKOUT_SOURCE" ]; then cp -a "$LOCAL_CHECKOUT_SOURCE/." "$dest/"; fi
echo "Checked out $GITHUB_REPOSITORY at \${INPUT_REF:-$GITHUB_REF}"
echo "ref=\${INPUT_REF:-$GITHUB_REF}" >> "$GITHUB_OUTPUT"
echo "commit=$GITHUB_SHA" >> "$GITHUB_OUTPUT"
`;

const SETUP_PYTHON_SCRIPT = `
python=$(command -v "\${LOCAL_PYTHON:-python3}")
echo "$(dirname "$python")" >> "$GITHUB_PATH"
version=$("$python" -c 'import platform; print(platform.python_version())')
case "$version" in "$INPUT_PYTHON_VERSION"*) ;; *) [ -z "$INPUT_PYTHON_VERSION" ] || echo "::warning::python-version $INPUT_PYTHON_VERSION asked; this machine has $version." ;; esac
echo "python-version=$version" >> "$GITHUB_OUTPUT"
echo "python-path=$python" >> "$GITHUB_OUTPUT"
echo "cache-hit=false" >> "$GITHUB_OUTPUT"
`;

const SETUP_JAVA_SCRIPT = `
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
version=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')
case "$version" in "$INPUT_JAVA_VERSION"*) ;; *) [ -z "$INPUT_JAVA_VERSION" ] || echo "::warning::java-version $INPUT_JAVA_VERSION asked; this machine has $version." ;; esac
echo "JAVA_HOME=$java_home" >> "$GITHUB_ENV"
echo "distribution=\${INPUT_DISTRIBUTION:-local}" >> "$GITHUB_OUTPUT"
echo "version=$version" >> "$GITHUB_OUTPUT"
echo "path=$java_home" >> "$GITHUB_OUTPUT"
echo "cache-hit=false" >> "$GITHUB_OUTPUT"
`;

const SETUP_NODE_SCRIPT = `
version=$(node --version)
case "$version" in "v$INPUT_NODE_VERSION"*) ;; *) [ -z "$INPUT_NODE_VERSION" ] || echo "::warning::node-version $INPUT_NODE_VERSION asked; this machine has $version." ;; esac
echo "node-version=$version" >> "$GITHUB_OUTPUT"
echo "cache-hit=false" >> "$GITHUB_OUTPUT"
`;

/** Third-party actions stood in for by the machine: the workspace is already there, the toolchain is local. */
const STAND_INS: Record<string, string> = {
  'actions/checkout': CHECKOUT_SCRIPT,
  'actions/setup-python': SETUP_PYTHON_SCRIPT,
  'actions/setup-java': SETUP_JAVA_SCRIPT,
  'actions/setup-node': SETUP_NODE_SCRIPT
};

function inputVariables(values: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values ?? {}).map(([name, value]) => [
      `INPUT_${name.replace(/-/g, '_').toUpperCase()}`,
      String(value)
    ])
  );
}

/** Splits `owner/repo/sub/path@ref` into its parts; undefined for local (`./`) references. */
export function parseRemoteReference(
  uses: string
): { repository: string; subPath: string; ref: string } | undefined {
  const match = /^([^./][^/]*\/[^/@]+)((?:\/[^@]+)?)@(.+)$/.exec(uses);
  if (!match) return undefined;
  return { repository: match[1], subPath: match[2].replace(/^\//, ''), ref: match[3] };
}

function standInStep(step: StepSpec, action: string, sources: LocalSources): StepSpec {
  const { uses, with: given, ...rest } = step;
  return {
    ...rest,
    name: step.name ?? `Run ${uses} (local stand-in)`,
    env: {
      ...step.env,
      ...inputVariables(given),
      LOCAL_ACTIONS_ROOT: sources.repoRoot,
      LOCAL_ACTIONS_REPOSITORY: sources.actionsRepository,
      LOCAL_CHECKOUT_SOURCE: sources.checkoutSource ?? '',
      LOCAL_PYTHON: sources.python ?? ''
    },
    run: STAND_INS[action]
  };
}

/**
 * A workflow step as the local runner runs it: `./` actions from the workspace, this repository's
 * remote actions from the local checkout, known third-party actions by a stand-in.
 * Throws for any other action, before the job starts.
 */
export function localStep(step: StepSpec, sources: LocalSources): StepSpec {
  if (!step.uses) return step;
  if (step.uses.startsWith('./')) return { ...step, uses: path.join(sources.workspace, step.uses) };
  const remote = parseRemoteReference(step.uses);
  if (remote?.repository === sources.actionsRepository)
    return { ...step, uses: path.join(sources.repoRoot, remote.subPath) };
  const action = remote && !remote.subPath ? remote.repository : undefined;
  if (action && action in STAND_INS) return standInStep(step, action, sources);
  throw new Error(
    `The action '${step.uses}' cannot run locally: use one of this repository's actions ` +
      `(${sources.actionsRepository}/actions/<name>@<ref> or ./...) or ${Object.keys(STAND_INS).join(', ')}.`
  );
}

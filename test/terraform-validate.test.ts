/**
 * The Terraform module in infra/terraform is formatted, initializes offline from a local provider
 * mirror, validates (the module and its example), and its `terraform test` suite passes: the roles'
 * policies are the documents of docs/iam. Skipped, with the reason, when terraform or the AWS
 * provider mirror is not on this machine.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const REPO_ROOT = process.cwd();
const MODULE = join('infra', 'terraform');
const EXAMPLES = join(MODULE, 'examples');
const AWS_PROVIDER = join('registry.terraform.io', 'hashicorp', 'aws');
const TIMEOUT_MS = 180_000;

interface Run {
  status: number | null;
  output: string;
}

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv): Run {
  const result = spawnSync('terraform', args, { cwd, env, encoding: 'utf8', timeout: TIMEOUT_MS });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

function terraformVersion(): string | undefined {
  const result = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  return (JSON.parse(result.stdout) as { terraform_version: string }).terraform_version;
}

/** filesystem_mirror paths named by the CLI configuration the user already has, if any. */
function configuredMirrors(): string[] {
  const files = [process.env.TF_CLI_CONFIG_FILE, join(homedir(), '.terraformrc')].filter(
    (file): file is string => Boolean(file) && existsSync(file as string)
  );
  return files.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/filesystem_mirror\s*{[^}]*?path\s*=\s*"([^"]+)"/g)].map(
      (m) => m[1]
    )
  );
}

/** The first plugin folder holding the AWS provider: configured, then Terraform's implied local mirrors. */
function findProviderMirror(): string | undefined {
  const candidates = [
    process.env.TF_PLUGIN_MIRROR,
    ...configuredMirrors(),
    join(homedir(), '.terraform.d', 'plugins'),
    join(homedir(), '.local', 'share', 'terraform', 'plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
    '/opt/tf-plugins'
  ].filter((dir): dir is string => Boolean(dir));
  return candidates.find((dir) => existsSync(join(dir, AWS_PROVIDER)));
}

function mirroredVersions(mirror: string): string[] {
  return readdirSync(join(mirror, AWS_PROVIDER)).filter((entry) => /^\d+\.\d+\.\d+/.test(entry));
}

/** A CLI configuration that installs hashicorp providers from the mirror only, never the network. */
function offlineCliConfig(mirror: string): string {
  return [
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirror)}`,
    '    include = ["registry.terraform.io/hashicorp/*"]',
    '  }',
    '  direct {',
    '    exclude = ["registry.terraform.io/hashicorp/*"]',
    '  }',
    '}',
    ''
  ].join('\n');
}

const version = terraformVersion();
const mirror = version ? findProviderMirror() : undefined;
const skipReason = !version
  ? 'terraform is not installed'
  : !mirror
    ? `no local plugin mirror holds ${AWS_PROVIDER} (set TF_PLUGIN_MIRROR to one)`
    : undefined;

let scratch: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  if (skipReason) {
    console.warn(`terraform-validate: skipped, ${skipReason}`);
    return;
  }
  console.log(
    `terraform-validate: terraform ${version}, AWS provider ${mirroredVersions(mirror!).join(', ')} from ${mirror}`
  );
  // A copy, so init's .terraform and lock file never land in the repository.
  scratch = mkdtempSync(join(tmpdir(), 'terraform-validate-'));
  const skipState = (src: string) => !['.terraform', '.terraform.lock.hcl'].includes(basename(src));
  cpSync(join(REPO_ROOT, MODULE), join(scratch, MODULE), { recursive: true, filter: skipState });
  cpSync(join(REPO_ROOT, 'docs', 'iam'), join(scratch, 'docs', 'iam'), { recursive: true });
  writeFileSync(join(scratch, 'terraformrc'), offlineCliConfig(mirror!));
  env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: join(scratch, 'terraformrc'),
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1'
  };
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function rootModules(): string[] {
  const examples = readdirSync(join(REPO_ROOT, EXAMPLES), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(EXAMPLES, entry.name));
  return [MODULE, ...examples];
}

function initAndValidate(dir: string): { valid: boolean; errors: string[]; output: string } {
  const cwd = join(scratch, dir);
  const init = run(['init', '-backend=false', '-input=false', '-no-color'], cwd, env);
  if (init.status !== 0) return { valid: false, errors: ['init failed'], output: init.output };
  const validate = run(['validate', '-json', '-no-color'], cwd, env);
  const report = JSON.parse(validate.output.slice(validate.output.indexOf('{'))) as {
    valid: boolean;
    diagnostics: { severity: string; summary: string; detail?: string }[];
  };
  const errors = report.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.summary}: ${d.detail ?? ''}`);
  return { valid: report.valid, errors, output: validate.output };
}

describe('infra/terraform', () => {
  it(
    'is formatted (terraform fmt -check -recursive)',
    () => {
      if (skipReason) return;
      const fmt = run(['fmt', '-check', '-recursive', '-no-color', MODULE], REPO_ROOT, env);
      expect({ status: fmt.status, unformatted: fmt.output.trim() }).toEqual({ status: 0, unformatted: '' });
    },
    TIMEOUT_MS
  );

  it(
    'initializes offline from the mirror and validates, the module and every example',
    () => {
      if (skipReason) return;
      const dirs = rootModules();
      expect(dirs.length).toBeGreaterThan(1);
      for (const dir of dirs) {
        const result = initAndValidate(dir);
        expect({ dir, valid: result.valid, errors: result.errors }).toEqual({ dir, valid: true, errors: [] });
      }
    },
    TIMEOUT_MS
  );

  it(
    "passes its terraform test suite offline: the roles' policies are the documents in docs/iam",
    () => {
      if (skipReason) return;
      const cwd = join(scratch, MODULE);
      if (!existsSync(join(cwd, '.terraform'))) run(['init', '-backend=false', '-input=false'], cwd, env);
      const result = run(['test', '-no-color'], cwd, env);
      expect(result.output).toMatch(/Success! \d+ passed, 0 failed/);
      expect(result.status).toBe(0);
    },
    TIMEOUT_MS
  );

  it('leaves no Terraform working files in the repository', () => {
    if (skipReason) return;
    for (const dir of rootModules()) {
      expect(existsSync(join(REPO_ROOT, dir, '.terraform'))).toBe(false);
      expect(existsSync(join(REPO_ROOT, dir, '.terraform.lock.hcl'))).toBe(false);
    }
  });
});

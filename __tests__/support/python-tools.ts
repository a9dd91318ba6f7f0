import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import { findOnPath, isExecutableFile } from './find-executable';

export interface PythonToolsOptions {
  /** Project-local virtual environment, created only when the machine's python3 lacks a module. */
  readonly venvDir: string;
  readonly requirementsFile: string;
  /** The PATH to look for python3 on. */
  readonly pathEnv: string;
  readonly log: (line: string) => void;
}

export interface PythonTools {
  /** The interpreter that imports every required module (the venv's when one is in use). */
  readonly python: string;
  /** `pathEnv`, with the venv's bin first when the venv is in use, so tests' `python3` is that one. */
  readonly pathEnv: string;
}

/**
 * The modules that prove each requirement is installed: the name before any extra or version,
 * or the module a trailing `# import <module>` names (moto[server] is proven by moto.server,
 * which needs the extra's Flask).
 */
export function requiredModules(requirementsText: string): string[] {
  const modules: string[] = [];
  for (const raw of requirementsText.split('\n')) {
    const [spec, comment = ''] = raw.split('#', 2);
    const name = spec.trim().match(/^[A-Za-z0-9][A-Za-z0-9._-]*/)?.[0];
    if (!name) continue;
    const named = comment.match(/^\s*import\s+([A-Za-z_][\w.]*)\s*$/)?.[1];
    modules.push(named ?? name.toLowerCase().replace(/-/g, '_'));
  }
  if (modules.length === 0) throw new Error(`test setup: no requirement in the requirements file, got ${JSON.stringify(requirementsText.slice(0, 80))}`);
  return modules;
}

// Imports each module (not just finds it: a module whose own dependency is missing must count as missing).
const PROBE = `
import importlib, json, sys
missing = []
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except Exception:
        missing.append(name)
print(json.dumps(missing))
`;

/** The required modules `python` cannot import. */
export function missingModules(python: string, modules: readonly string[]): string[] {
  const r = spawnSync(python, ['-c', PROBE, ...modules], { encoding: 'utf8', timeout: 120_000 });
  if (r.error || r.status !== 0) {
    throw new Error(`test setup: ${python} could not run a module check, got ${r.error?.message ?? lastLine(r.stderr)}`);
  }
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '[]') as string[];
}

/**
 * Makes the Python tools the tests use importable. The machine's python3 is used as it is when it
 * already has them; otherwise a virtual environment is created beside the project with the system
 * site packages visible (what is installed already counts) and pip installs the requirements file
 * into it. An existing venv is reused.
 */
export function ensurePythonTools(opts: PythonToolsOptions): PythonTools {
  const venvBin = join(opts.venvDir, 'bin');
  const venvPython = join(venvBin, 'python3');
  const withVenv = `${venvBin}${delimiter}${opts.pathEnv}`;
  const modules = requiredModules(readFileSync(opts.requirementsFile, 'utf8'));

  const hasVenv = isExecutableFile(venvPython);
  const machinePython = findOnPath('python3', opts.pathEnv);
  const python = hasVenv ? venvPython : machinePython;
  if (!python) throw new Error(`test setup: python3 not found on PATH (install Python 3), got PATH=${opts.pathEnv}`);
  const missing = missingModules(python, modules);
  if (missing.length === 0) return { python, pathEnv: hasVenv ? withVenv : opts.pathEnv };

  if (!hasVenv) {
    opts.log(`test setup: ${python} lacks ${missing.join(', ')}; creating ${opts.venvDir} with the system site packages`);
    run(python, ['-m', 'venv', '--system-site-packages', opts.venvDir], 'cannot create a virtual environment (on Debian or Ubuntu: apt-get install python3-venv)');
  }
  opts.log(`test setup: pip install -r ${basename(opts.requirementsFile)} into ${opts.venvDir} (for ${missing.join(', ')})`);
  run(venvPython, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', opts.requirementsFile], `pip could not install ${opts.requirementsFile}`);
  const still = missingModules(venvPython, modules);
  if (still.length > 0) throw new Error(`test setup: ${venvPython} still cannot import ${still.join(', ')} after pip install, got ${still.length} missing`);
  return { python: venvPython, pathEnv: withVenv };
}

function run(command: string, args: string[], problem: string): void {
  const r = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 15 * 60_000 });
  if (r.error || r.status !== 0) throw new Error(`test setup: ${problem}, got ${r.error?.message ?? `exit ${r.status}: ${lastLine(r.stderr || r.stdout)}`}`);
}

function lastLine(text: string | null | undefined): string {
  const lines = (text ?? '').trim().split('\n');
  return lines[lines.length - 1] || '(no output)';
}

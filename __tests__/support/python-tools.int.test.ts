import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ensurePythonTools, missingModules } from './python-tools';

// The set-up's own path with a real interpreter and pip: a requirement the machine's python3
// lacks is installed into a new venv that still sees the system site packages.
function pyJson(python: string, code: string): unknown {
  return JSON.parse(spawnSync(python, ['-c', code], { encoding: 'utf8' }).stdout);
}

describe('ensurePythonTools', () => {
  let dir: string;
  // The machine's python3, not a venv's (the globalSetup's may come first on PATH here).
  const machinePath = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((d) => !existsSync(join(d, '..', 'pyvenv.cfg')))
    .join(delimiter);
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'py-tools-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the machine python3 as it is when it imports every requirement', () => {
    const requirementsFile = join(dir, 'present.txt');
    writeFileSync(requirementsFile, 'pip\n');
    const tools = ensurePythonTools({ venvDir: join(dir, 'unused-venv'), requirementsFile, pathEnv: machinePath, log });
    expect(tools.pathEnv).toBe(machinePath);
    expect(existsSync(join(dir, 'unused-venv'))).toBe(false);
    expect(lines).toEqual([]);
  });

  it('creates a venv with system site packages and pip-installs what is missing, then reuses it', () => {
    // termcolor: small, pure Python, and not among the machine's packages (checked first).
    const requirementsFile = join(dir, 'missing.txt');
    writeFileSync(requirementsFile, 'termcolor\npip\n');
    const venvDir = join(dir, 'venv');
    const machinePython = spawnSync('sh', ['-c', 'command -v python3'], { env: { PATH: machinePath }, encoding: 'utf8' }).stdout.trim();
    expect(missingModules(machinePython, ['termcolor'])).toEqual(['termcolor']);

    const tools = ensurePythonTools({ venvDir, requirementsFile, pathEnv: machinePath, log });
    expect(tools.python).toBe(join(venvDir, 'bin', 'python3'));
    expect(tools.pathEnv).toBe(`${join(venvDir, 'bin')}${delimiter}${machinePath}`);
    expect(readFileSync(join(venvDir, 'pyvenv.cfg'), 'utf8')).toMatch(/^include-system-site-packages = true$/m);
    expect(missingModules(tools.python, ['termcolor', 'pip'])).toEqual([]);
    // what the machine has installed already counts: its site-packages are on the venv's sys.path
    const [machineSite] = pyJson(machinePython, 'import site, json; print(json.dumps(site.getsitepackages()))') as string[];
    expect(pyJson(tools.python, 'import sys, json; print(json.dumps(sys.path))')).toContain(machineSite);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`test setup: ${machinePython} lacks termcolor; creating ${venvDir} with the system site packages`);
    expect(lines[1]).toBe(`test setup: pip install -r missing.txt into ${venvDir} (for termcolor)`);

    lines.length = 0;
    expect(ensurePythonTools({ venvDir, requirementsFile, pathEnv: machinePath, log })).toEqual(tools);
    expect(lines).toEqual([]);
  }, 240_000);

  it('fails in one line when pip cannot install a requirement, and says so', () => {
    const requirementsFile = join(dir, 'unknown.txt');
    writeFileSync(requirementsFile, 'b3-pipeline-no-such-package-anywhere==0.0.1\n');
    expect(() => ensurePythonTools({ venvDir: join(dir, 'venv'), requirementsFile, pathEnv: machinePath, log })).toThrow(
      new RegExp(`^test setup: pip could not install ${requirementsFile}, got exit 1: .+`),
    );
  }, 240_000);
});

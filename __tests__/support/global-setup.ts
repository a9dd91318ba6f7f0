import { spawn, execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureChromium, readOsRelease } from './chromium';
import { freePort } from './free-port';
import { statePath, type GlobalState } from './global-state';
import globalTeardown from './global-teardown';
import { ensurePythonTools } from './python-tools';
import { discoverMirror, mirrorCliConfig, resolveProviderSource } from './terraform-mirror';

const ROOT = join(__dirname, '..', '..');

/**
 * The integration project's set-up, once per `jest` run that selects one of its tests: makes the
 * Python tools importable (a project-local venv from requirements-test.txt when the machine's
 * python3 lacks them), finds or installs Chromium, points Terraform at the registry or an offline
 * provider mirror, and starts the AWS emulator (moto's server on a free loopback port). Workers
 * inherit the environment set here. What cannot be set up fails the run with one line: tests
 * never skip.
 */
export default async function globalSetup(): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const python = ensurePythonTools({
    venvDir: process.env.B3_TEST_VENV?.trim() || join(ROOT, '.venv'),
    requirementsFile: join(ROOT, 'requirements-test.txt'),
    pathEnv: process.env.PATH ?? '',
    log,
  });
  process.env.PATH = python.pathEnv;
  process.env.CHROMIUM_PATH = ensureChromium({ env: process.env, uid: process.getuid?.() ?? -1, osRelease: readOsRelease(), log });

  const workDir = mkdtempSync(join(tmpdir(), 'b3-jest-'));
  writeFileSync(statePath(), JSON.stringify({ motoPid: -1, workDir } satisfies GlobalState));
  let endpoint: string;
  try {
    configureTerraform(workDir);
    endpoint = await startMoto(python.python, workDir);
  } catch (err) {
    // jest runs no teardown after a failed setup: end what was started here.
    await globalTeardown();
    throw err;
  }
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    // The SDK's notice that 2027 releases need Node 22 says nothing about a test; it buried failures.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  // Real credentials or profiles on the machine must never leak into emulator tests.
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}

/** moto's server run as a module of the chosen interpreter: no console script on PATH needed. */
async function startMoto(python: string, workDir: string): Promise<string> {
  const port = await freePort();
  const logPath = join(workDir, 'moto.log');
  const log = openSync(logPath, 'a');
  // detached: its own process group, so the teardown can end it (and only it) by id.
  const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const spawnError = new Promise<never>((_, reject) => {
    child.once('error', (err) => reject(new Error(`test setup: cannot start ${python} -m moto.server, got ${err.message}`)));
    child.once('exit', (code) => reject(new Error(`test setup: moto's server exited with code ${code}, log:\n${tail(logPath)}`)));
  });
  spawnError.catch(() => undefined);
  const state: GlobalState = { motoPid: child.pid ?? -1, workDir };
  writeFileSync(statePath(), JSON.stringify(state));
  child.unref();

  const endpoint = `http://127.0.0.1:${port}`;
  await Promise.race([waitUntilUp(endpoint, logPath), spawnError]);
  child.removeAllListeners('exit');
  // No Docker engine here: moto must run Lambda functions in-process rather than in containers.
  const res = await fetch(`${endpoint}/moto-api/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ lambda: { use_docker: false } }),
  });
  if (!res.ok) throw new Error(`test setup: moto config refused, got HTTP ${res.status}`);
  return endpoint;
}

async function waitUntilUp(endpoint: string, logPath: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`test setup: moto's server did not answer on ${endpoint} within 30 s, log:\n${tail(logPath)}`);
}

/**
 * Terraform from the registry, or (build machines cannot reach it) from an unpacked filesystem
 * mirror of hashicorp/aws: TF_PLUGIN_MIRROR, or one found on the machine (see terraform-mirror).
 */
function configureTerraform(workDir: string): void {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore' });
  } catch (err) {
    throw new Error(`test setup: terraform CLI not runnable (install Terraform >= 1.5), got ${(err as Error).message}`);
  }
  process.env.CHECKPOINT_DISABLE = '1';
  process.env.TF_IN_AUTOMATION = '1';
  const source = resolveProviderSource({ configured: process.env.TF_PLUGIN_MIRROR, discover: discoverMirror });
  if (source.kind === 'registry') {
    process.env.TF_PLUGIN_MIRROR = 'registry';
    return;
  }
  const cliConfig = join(workDir, 'terraform.rc');
  writeFileSync(cliConfig, mirrorCliConfig(source.dir));
  process.env.TF_PLUGIN_MIRROR = source.dir;
  process.env.TF_CLI_CONFIG_FILE = cliConfig;
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}

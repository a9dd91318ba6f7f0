import { spawn, execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { statePath, type GlobalState } from './global-state';
import globalTeardown from './global-teardown';

/**
 * Starts what the integration tests need, once per `jest` run: the AWS emulator (moto_server on a
 * free loopback port) and a Terraform CLI config pointing at the offline provider mirror. Workers
 * inherit the environment set here. A missing tool fails the run: tests never skip.
 */
export default async function globalSetup(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'b3-jest-'));
  writeFileSync(statePath(), JSON.stringify({ motoPid: -1, workDir } satisfies GlobalState));
  let endpoint: string;
  try {
    endpoint = await startMoto(workDir);
    configureTerraform(workDir);
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

async function startMoto(workDir: string): Promise<string> {
  const port = await freePort();
  const logPath = join(workDir, 'moto.log');
  const log = openSync(logPath, 'a');
  // detached: its own process group, so the teardown can end it (and only it) by id.
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const spawnError = new Promise<never>((_, reject) => {
    child.once('error', (err) =>
      reject(new Error(`test setup: cannot start moto_server (install it with pip install 'moto[server]'), got ${err.message}`)),
    );
    child.once('exit', (code) =>
      reject(new Error(`test setup: moto_server exited with code ${code}, log:\n${tail(logPath)}`)),
    );
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
  throw new Error(`test setup: moto_server did not answer on ${endpoint} within 30 s, log:\n${tail(logPath)}`);
}

/**
 * The registry is unreachable on the build machines; an unpacked filesystem mirror of
 * hashicorp/aws holds the provider. Its directory comes from TF_PLUGIN_MIRROR (the parent of
 * `registry.terraform.io`); when unset, the same discovery `.ci/run` does is tried.
 * TF_PLUGIN_MIRROR=registry means "use the public registry" for machines that can reach it.
 */
function configureTerraform(workDir: string): void {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore' });
  } catch (err) {
    throw new Error(`test setup: terraform CLI not runnable (install Terraform >= 1.5), got ${(err as Error).message}`);
  }
  const configured = process.env.TF_PLUGIN_MIRROR?.trim();
  if (configured === 'registry') return;
  const mirror = configured || discoverMirror();
  if (!mirror || !existsSync(join(mirror, 'registry.terraform.io', 'hashicorp', 'aws'))) {
    throw new Error(
      `test setup: no Terraform provider mirror with hashicorp/aws (set TF_PLUGIN_MIRROR to the parent of registry.terraform.io), got ${mirror || 'nothing'}`,
    );
  }
  const cliConfig = join(workDir, 'terraform.rc');
  writeFileSync(
    cliConfig,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/*/*"]\n  }\n}\n`,
  );
  process.env.TF_PLUGIN_MIRROR = mirror;
  process.env.TF_CLI_CONFIG_FILE = cliConfig;
  process.env.CHECKPOINT_DISABLE = '1';
  process.env.TF_IN_AUTOMATION = '1';
}

function discoverMirror(): string | undefined {
  let out: string;
  try {
    out = execFileSync('find', ['/', '-maxdepth', '4', '-type', 'd', '-name', 'registry.terraform.io', '-not', '-path', '/proc/*'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch (err) {
    // find exits non-zero on unreadable directories but still prints what it found
    out = String((err as { stdout?: string }).stdout ?? '');
  }
  const first = out.split('\n').find((line) => line.trim() !== '');
  return first ? first.replace(/\/registry\.terraform\.io$/, '') : undefined;
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}

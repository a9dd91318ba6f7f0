import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Proves what every emulator and Terraform test relies on: the globalSetup's environment.
describe('jest globalSetup', () => {
  it('points the AWS SDK at a running moto_server with dummy credentials', async () => {
    expect(process.env.AWS_ENDPOINT_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(process.env.AWS_ACCESS_KEY_ID).toBe('test');
    expect(process.env.AWS_SECRET_ACCESS_KEY).toBe('test');
    expect(process.env.AWS_REGION).toBe('us-east-1');
    expect(process.env.AWS_DEFAULT_REGION).toBe('us-east-1');
    const res = await fetch(`${process.env.AWS_ENDPOINT_URL}/moto-api/config`);
    expect(res.ok).toBe(true);
    const config = (await res.json()) as { lambda?: { use_docker?: boolean } };
    expect(config.lambda?.use_docker).toBe(false);
  });

  // Where the setup pointed Terraform: the offline mirror found here, or the registry (GitHub's runners).
  it('lets terraform init install hashicorp/aws from the source the setup chose', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-mirror-'));
    try {
      writeFileSync(
        join(dir, 'main.tf.json'),
        JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } } }),
      );
      execFileSync('terraform', ['init', '-input=false', '-no-color'], { cwd: dir, stdio: 'pipe' });
      const platformDir = join(dir, '.terraform/providers/registry.terraform.io/hashicorp/aws/5.100.0');
      expect(readdirSync(platformDir)).toHaveLength(1);
      const installed = join(platformDir, readdirSync(platformDir)[0]);
      // an unpacked mirror is linked, not copied: the 700 MB provider binary is not duplicated per test
      expect(lstatSync(installed).isSymbolicLink()).toBe(process.env.TF_PLUGIN_MIRROR !== 'registry');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves Chromium in CHROMIUM_PATH and a python3 that imports the requirements first on PATH', () => {
    expect(statSync(process.env.CHROMIUM_PATH ?? '').mode & 0o111).not.toBe(0);
    const probe = spawnSync('python3', ['-c', 'import moto.server, pyarrow, pandas, sys; print(sys.prefix)'], { encoding: 'utf8' });
    expect(probe.stderr).toBe('');
    expect(probe.status).toBe(0);
  });

  // The setup itself in a child process, with one prerequisite taken away: it must fail, loudly.
  function runSetup(env: NodeJS.ProcessEnv): { status: number | null; stderr: string } {
    const script =
      "require('./__tests__/support/global-setup').default().then(" +
      "() => process.exit(0), (e) => { console.error(e.message); process.exit(3); })";
    const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
      cwd: join(__dirname, '..', '..'),
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: r.status, stderr: r.stderr };
  }

  it('fails with one line when no python3 is on PATH and there is no venv', () => {
    const emptyBin = mkdtempSync(join(tmpdir(), 'empty-bin-'));
    try {
      const r = runSetup({ ...process.env, PATH: emptyBin, B3_TEST_VENV: join(emptyBin, 'no-venv') });
      expect(r.status).toBe(3);
      expect(r.stderr).toContain(`test setup: python3 not found on PATH (install Python 3), got PATH=${emptyBin}`);
    } finally {
      rmSync(emptyBin, { recursive: true, force: true });
    }
  });

  it('fails when TF_PLUGIN_MIRROR names no provider mirror', () => {
    const r = runSetup({ ...process.env, TF_PLUGIN_MIRROR: '/nonexistent/mirror' });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(
      'test setup: no Terraform provider mirror with hashicorp/aws (set TF_PLUGIN_MIRROR to the parent of registry.terraform.io), got /nonexistent/mirror',
    );
  });
});

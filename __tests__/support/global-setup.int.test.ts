import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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

  it('lets terraform init install hashicorp/aws from the offline mirror', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-mirror-'));
    try {
      writeFileSync(
        join(dir, 'main.tf.json'),
        JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } } }),
      );
      execFileSync('terraform', ['init', '-input=false', '-no-color'], { cwd: dir, stdio: 'pipe' });
      const platformDir = join(dir, '.terraform/providers/registry.terraform.io/hashicorp/aws/5.100.0');
      expect(readdirSync(platformDir)).toHaveLength(1);
      // an unpacked mirror is linked, not copied: the 700 MB provider binary is not duplicated per test
      expect(lstatSync(join(platformDir, readdirSync(platformDir)[0])).isSymbolicLink()).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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

  it('fails when moto_server is not on PATH', () => {
    const emptyBin = mkdtempSync(join(tmpdir(), 'empty-bin-'));
    try {
      const r = runSetup({ ...process.env, PATH: emptyBin });
      expect(r.status).toBe(3);
      expect(r.stderr).toContain("test setup: cannot start moto_server (install it with pip install 'moto[server]'), got spawn moto_server ENOENT");
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

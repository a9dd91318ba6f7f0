import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { CreateDatabaseCommand, DeleteDatabaseCommand, GlueClient } from '@aws-sdk/client-glue';
import { GetBucketTaggingCommand } from '@aws-sdk/client-s3';
import { parse } from 'yaml';
import { emulatorS3 } from '../adapters/storage/emulator-s3';
import type { Workflow } from './plan-apply-contract';

/**
 * The deploy workflow's own Plan and Apply scripts, run as GitHub runs them (bash -eo pipefail) on
 * a one-bucket stack against the AWS emulator: the plan folder, moved as the artifact would be,
 * applies exactly what was planned, and a plan older than the state is refused, not re-planned.
 */
const workflow = parse(readFileSync(join(__dirname, '..', '..', '.github', 'workflows', 'deploy.yml'), 'utf8')) as Workflow;
const script = (job: string, step: string) => {
  const run = workflow.jobs[job].steps?.find((s) => s.name === step)?.run;
  if (!run) throw new Error(`plan-apply test: deploy.yml has no step "${step}" in job ${job}, got none`);
  return run;
};
const PLAN = script('plan', 'Plan');
const APPLY = script('apply', 'Apply the reviewed plan');
const DEFAULT_DATABASE = script('plan', 'Glue database default exists');
const STACK = 'b3pipe-test';

let dir: string;
let bucket: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'plan-apply-'));
  bucket = `b3-plan-apply-${process.pid}-${Date.now()}`;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A synthesized stack folder: one bucket tagged with `release`, state kept outside the folder as a remote backend would. */
function synthesized(name: string, release: string): string {
  const stackDir = join(dir, name);
  mkdirSync(stackDir, { recursive: true });
  const tf = {
    terraform: {
      required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } },
      backend: { local: { path: join(dir, 'state', 'terraform.tfstate') } },
    },
    provider: { aws: [{ region: 'us-east-1', skip_credentials_validation: true, skip_metadata_api_check: 'true', s3_use_path_style: true }] },
    resource: { aws_s3_bucket: { lake: { bucket, tags: { Release: release } } } },
  };
  writeFileSync(join(stackDir, 'cdk.tf.json'), JSON.stringify(tf, null, 2));
  return stackDir;
}

function runStep(run: string, cwd: string, env: Record<string, string> = {}): { code: number | null; out: string } {
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', run], {
    cwd,
    env: { ...process.env, STACK, GITHUB_STEP_SUMMARY: join(dir, 'summary.md'), TF_IN_AUTOMATION: '1', ...env },
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (r.error) throw new Error(`plan-apply test: bash could not run, got ${r.error.message}`);
  // the workflow's terraform commands colour their output (GitHub's log shows it); the checks read plain text
  return { code: r.status, out: `${r.stdout}${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '') };
}

/** What upload-artifact then download-artifact hand over: the folder without .terraform/. */
function asArtifact(planDir: string, name: string): string {
  const target = join(dir, name);
  cpSync(planDir, target, { recursive: true, filter: (src) => relative(planDir, src).split(sep)[0] !== '.terraform' });
  return target;
}

async function releaseTag(): Promise<string | undefined> {
  const tags = await emulatorS3().send(new GetBucketTaggingCommand({ Bucket: bucket }));
  return tags.TagSet?.find((t) => t.Key === 'Release')?.Value;
}

describe('the deploy workflow Plan and Apply steps', () => {
  it('apply, in the artifact folder, exactly the plan the plan job made and rendered', async () => {
    const planDir = synthesized('plan-1', 'r1');
    const plan = runStep(PLAN, planDir);
    expect([plan.code, plan.out.slice(-2000)]).toEqual([0, expect.stringContaining('Plan: 1 to add, 0 to change, 0 to destroy.')]);
    expect(statSync(join(planDir, 'tfplan')).size).toBeGreaterThan(0);
    expect(readFileSync(join(planDir, 'tfplan.txt'), 'utf8')).toMatch(/aws_s3_bucket\.lake will be created[\s\S]*"Release" += "r1"/);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toMatch(new RegExp(`^## ${STACK}: the plan the apply job will apply\n\`\`\`\n`));

    const applied = runStep(APPLY, asArtifact(planDir, 'artifact-1'));
    expect([applied.code, applied.out.slice(-3000)]).toEqual([0, expect.stringContaining('Apply complete! Resources: 1 added, 0 changed, 0 destroyed.')]);
    expect(await releaseTag()).toBe('r1');
  });

  it('refuse a plan made before the state changed, instead of planning again', async () => {
    const older = runStep(PLAN, synthesized('plan-2', 'r2'));
    const newer = runStep(PLAN, synthesized('plan-3', 'r3'));
    expect([older.code, newer.code]).toEqual([0, 0]);
    expect(runStep(APPLY, asArtifact(join(dir, 'plan-3'), 'artifact-3')).code).toBe(0);

    const stale = runStep(APPLY, asArtifact(join(dir, 'plan-2'), 'artifact-2'));
    expect(stale.code).not.toBe(0);
    expect(stale.out).toContain('Saved plan is stale');
    expect(await releaseTag()).toBe('r3');
  });
});

describe("the plan job's check that Glue's default database exists (the stack catalogs into it, without owning it)", () => {
  // A region no other test uses: there the emulator's catalog starts without `default`.
  const region = 'eu-west-3';
  const glue = () => new GlueClient({ endpoint: process.env.AWS_ENDPOINT_URL, region });

  it('stops with the command that creates it when it is missing, and passes once it exists', async () => {
    const missing = runStep(DEFAULT_DATABASE, dir, { AWS_REGION: region, AWS_DEFAULT_REGION: region });
    expect(missing.code).not.toBe(0);
    expect(missing.out).toContain("::error::the Glue database 'default' is missing in this account and region: create it once with: aws glue create-database --database-input Name=default");
    await glue().send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'default' } }));
    try {
      const present = runStep(DEFAULT_DATABASE, dir, { AWS_REGION: region, AWS_DEFAULT_REGION: region });
      expect([present.code, present.out]).toEqual([0, '']);
    } finally {
      await glue().send(new DeleteDatabaseCommand({ Name: 'default' }));
    }
  });
});

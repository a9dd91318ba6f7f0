import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { GetJobCommand, GlueClient } from '@aws-sdk/client-glue';
import { Logger } from '@aws-lambda-powertools/logger';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { createHandler } from '../../functions/glue-job-provisioner/handler';
import { b3PortfolioRefinedNodes, b3PortfolioRefinedJob } from '../../glue-jobs/b3-portfolio-refined';
import { DataLake } from '../../stacks/constructs/data-lake';
import { GlueVisualJob } from '../../stacks/constructs/glue-visual-job';
import { LambdaInvokeProxy } from './glue-visual-job.lambda-proxy';
import { EMULATOR_PROVIDER } from './support';

/*
 * The whole lifecycle through Terraform against the AWS emulator: apply creates the job through the
 * provisioner, a changed definition replaces the invocation create-before-destroy and the job keeps
 * existing with the new definition, destroy deletes it. moto without Docker does not run Lambda
 * code, so a loopback proxy in front of moto's Lambda API runs the real provisioner handler in this
 * process for Invoke (with the payload Terraform really sends) and forwards every other call.
 */

const ACCOUNT = '123456789012'; // moto's account
const JOB = 'b3gvj-it-refine';
const BUCKET = 'b3gvj-it-lake';

function emulatorEndpoint(): string {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (!endpoint) throw new Error('test setup: AWS_ENDPOINT_URL is not set; the jest globalSetup starts the emulator, got undefined');
  return endpoint;
}

/**
 * Runs terraform without blocking this process: the provisioner handler runs here, behind the
 * proxy, while terraform waits on it (spawnSync would deadlock).
 */
function terraform(cwd: string, args: string[]): Promise<{ code: number; out: string }> {
  const flags = args[0] === 'validate' ? ['-no-color'] : ['-no-color', '-input=false'];
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', [...args, ...flags], { cwd, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.once('error', (err) => reject(new Error(`terraform ${args[0]}: could not run, got ${err.message}`)));
    child.once('close', (code) => resolve({ code: code ?? -1, out }));
  });
}
async function mustSucceed(cwd: string, args: string[]): Promise<string> {
  const { code, out } = await terraform(cwd, args);
  if (code !== 0) throw new Error(`terraform ${args.join(' ')} exited ${code}:\n${out.slice(-6000)}`);
  return out;
}

const workDir = mkdtempSync(join(tmpdir(), 'glue-visual-job-it-'));
const glue = new GlueClient({ endpoint: emulatorEndpoint(), region: 'us-east-1' });
let proxy: LambdaInvokeProxy;

beforeAll(async () => {
  const handler = createHandler(() => ({ glue, logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }) }));
  proxy = await LambdaInvokeProxy.start(emulatorEndpoint(), ACCOUNT, { [`${JOB}-provisioner`]: handler });
});
afterAll(async () => {
  await proxy.close();
  rmSync(workDir, { recursive: true, force: true });
});

/** Synthesizes the construct alone (lake + job) with a given job timeout; returns the Terraform folder. */
async function synth(timeoutMinutes: number): Promise<string> {
  const app = new App({ outdir: join(workDir, 'out') });
  const stack = new TerraformStack(app, 'glue-visual-job');
  new LocalBackend(stack, { path: join(workDir, 'terraform.tfstate') });
  new AwsProvider(stack, 'aws', { region: 'us-east-1', ...EMULATOR_PROVIDER, endpoints: [{ lambda: proxy.endpoint }] });
  const lake = new DataLake(stack, 'lake', { bucketName: BUCKET, forceDestroy: true, athenaResultsExpirationDays: 1, noncurrentVersionExpirationDays: 1 });
  new GlueVisualJob(stack, 'refine', {
    lake,
    jobName: JOB,
    definition: (c) => b3PortfolioRefinedJob({ ...c, timeoutMinutes }),
    roleName: `${JOB}-glue`,
    provisionerFunctionName: `${JOB}-provisioner`,
    logRetentionDays: 1,
    bundleDir: join(workDir, 'bundles'),
    region: 'us-east-1',
    accountId: ACCOUNT,
  });
  app.synth();
  const dir = join(workDir, 'out', 'stacks', 'glue-visual-job');
  await mustSucceed(dir, ['init']);
  return dir;
}

const actions = () => proxy.seen.map((s) => (s.payload.tf as { action: string }).action);
const jobTimeout = (s: { payload: Record<string, unknown> }) => (s.payload.job as { Timeout: number }).Timeout;

test('apply creates the visual job, a new definition replaces it in place, destroy deletes it', async () => {
  const v1 = await synth(30);
  expect(await mustSucceed(v1, ['validate'])).toContain('Success! The configuration is valid.');
  await mustSucceed(v1, ['apply', '-auto-approve']);

  expect(actions()).toEqual(['create']);
  expect((proxy.seen[0].payload.tf as { prev_input: unknown }).prev_input).toBeNull();
  const created = (await glue.send(new GetJobCommand({ JobName: JOB }))).Job!;
  expect(created.CodeGenConfigurationNodes).toEqual(b3PortfolioRefinedNodes(BUCKET));
  expect(created.Role).toBe(`arn:aws:iam::${ACCOUNT}:role/${JOB}-glue`);
  expect(created.Command?.ScriptLocation).toBe(`s3://${BUCKET}/scripts/${JOB}.py`);
  expect(created.Timeout).toBe(30);

  const replan = await terraform(v1, ['plan', '-detailed-exitcode']);
  if (replan.code !== 0) throw new Error(`re-plan after apply is not empty (exit ${replan.code}):\n${replan.out.slice(-6000)}`);

  const v2 = await synth(45);
  const plan = await mustSucceed(v2, ['plan']);
  expect(plan).toContain('must be replaced');
  expect(plan).toContain('create replacement and then destroy');
  expect(plan).toContain('Plan: 1 to add, 0 to change, 1 to destroy.');
  await mustSucceed(v2, ['apply', '-auto-approve']);

  // Replacement: the new definition is written first, then the old invocation's delete keeps the job.
  expect(actions()).toEqual(['create', 'create', 'delete']);
  expect(proxy.seen.map(jobTimeout)).toEqual([30, 45, 30]);
  const replaced = (await glue.send(new GetJobCommand({ JobName: JOB }))).Job!;
  expect(replaced.Timeout).toBe(45);
  expect(replaced.CodeGenConfigurationNodes).toEqual(b3PortfolioRefinedNodes(BUCKET));

  await mustSucceed(v2, ['destroy', '-auto-approve']);
  expect(actions()).toEqual(['create', 'create', 'delete', 'delete']);
  expect(jobTimeout(proxy.seen[3])).toBe(45);
  await expect(glue.send(new GetJobCommand({ JobName: JOB }))).rejects.toMatchObject({ name: 'EntityNotFoundException' });
}, 600_000);

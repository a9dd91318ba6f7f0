import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateDatabaseCommand, GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { GetBucketNotificationConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { EMULATOR_PROVIDER, synthStack, testConfig } from './support';

/** Runs terraform in the stack folder; returns exit code and output (never throws on non-zero). */
function terraform(cwd: string, args: string[]): { code: number; out: string } {
  // init/plan/apply/destroy take -input and -no-color; the state subcommands take neither.
  const flags = args[0] === 'state' ? [] : ['-no-color', '-input=false'];
  const r = spawnSync('terraform', [...args, ...flags], {
    cwd,
    encoding: 'utf8',
    env: process.env,
    timeout: 540_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new Error(`terraform ${args[0]}: could not run, got ${r.error.message}`);
  return { code: r.status ?? -1, out: `${r.stdout}\n${r.stderr}` };
}

function mustSucceed(cwd: string, args: string[]): string {
  const { code, out } = terraform(cwd, args);
  if (code !== 0) throw new Error(`terraform ${args.join(' ')} exited ${code}:\n${out.slice(-6000)}`);
  return out;
}

describe('PipelineStack against the AWS emulator (moto)', () => {
  const queriesDir = mkdtempSync(join(tmpdir(), 'b3-queries-'));
  writeFileSync(join(queriesDir, 'latest-portfolio.sql'), '-- Latest portfolio\nSELECT 1;\n');
  const { stackDir, outDir, tfJson } = synthStack(
    testConfig({ projectPrefix: 'b3emu', environment: 'it', awsProvider: EMULATOR_PROVIDER }),
    { queriesDir },
  );

  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
    rmSync(queriesDir, { recursive: true, force: true });
  });

  it('applies, re-plans with no changes, and destroys', async () => {
    expect(process.env.AWS_ENDPOINT_URL).toMatch(/^http:\/\/127\.0\.0\.1:/);
    // An AWS account's Glue catalog has the database `default` (the job's tables and the view
    // live there; the stack does not own it); a fresh emulator has none.
    const glue = new GlueClient({});
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'default' } })).catch((e: Error) => {
      if (e.name !== 'AlreadyExistsException') throw e;
    });
    mustSucceed(stackDir, ['init']);
    const apply = mustSucceed(stackDir, ['apply', '-auto-approve']);
    const expected = Object.values(tfJson.resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
    expect(apply).toContain(`Apply complete! Resources: ${expected} added, 0 changed, 0 destroyed.`);

    // What was applied is really there. (Not the Glue job: moto without Docker answers Lambda
    // invocations without running the provisioner's code, so CreateJob never happens here.)
    const notification = await new S3Client({ forcePathStyle: true }).send(
      new GetBucketNotificationConfigurationCommand({ Bucket: 'b3emu-it-lake' }),
    );
    // Rule names are case-insensitive in S3 (AWS answers Prefix, moto prefix).
    const rules = notification.LambdaFunctionConfigurations?.map((c) =>
      c.Filter?.Key?.FilterRules?.map((r) => [r.Name?.toLowerCase(), r.Value]),
    );
    // One configuration per route: the portfolio job's prefix and the quotes job's.
    expect(rules).toEqual([
      [
        ['prefix', 'raw/portfolio/'],
        ['suffix', '.parquet'],
      ],
      [
        ['prefix', 'raw/quotes/'],
        ['suffix', '.parquet'],
      ],
    ]);

    const view = (await glue.send(new GetTableCommand({ DatabaseName: 'default', Name: 'b3_portfolio_d1' }))).Table;
    expect({ type: view?.TableType, presto: view?.Parameters?.presto_view, original: view?.ViewOriginalText?.startsWith('/* Presto View: ') }).toEqual({
      type: 'VIRTUAL_VIEW',
      presto: 'true',
      original: true,
    });

    // -detailed-exitcode: 0 = no changes, 2 = changes (drift between config and what AWS reports)
    const plan = terraform(stackDir, ['plan', '-detailed-exitcode']);
    if (plan.code !== 0) throw new Error(`re-plan after apply is not empty (exit ${plan.code}):\n${plan.out.slice(-6000)}`);
    expect(plan.out).toContain('No changes.');

    // moto implements no DeleteNamedQuery: destroy would wait on it forever, so forget them first.
    const state = mustSucceed(stackDir, ['state', 'list']).split('\n').map((l) => l.trim());
    const namedQueries = state.filter((address) => address.startsWith('aws_athena_named_query.'));
    expect(namedQueries).toHaveLength(1);
    mustSucceed(stackDir, ['state', 'rm', ...namedQueries]);

    const destroy = mustSucceed(stackDir, ['destroy', '-auto-approve']);
    expect(destroy).toContain(`Destroy complete! Resources: ${expected - 1} destroyed.`);
  }, 600_000);
});

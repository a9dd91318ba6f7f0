import { CreateJobCommand, GetJobRunsCommand, GetTableCommand } from '@aws-sdk/client-glue';
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { b3PortfolioRefinedJob } from '../../glue-jobs/b3-portfolio-refined';
import { REFINED_COLUMNS } from '../../lib/refined/refined-contract';
import { emulatorGlue, refinedPartitionsOf } from '../adapters/aws/emulator-glue';
import { emulatorEndpoint, emulatorS3, listKeys } from '../adapters/storage/emulator-s3';
import { readParquetWithDuckDB } from '../lib/raw/duckdb-parquet';
import { FIXTURES, factsOf, largest } from './capture-facts';
import { cli } from './cli-process';

/**
 * `run --target aws` as a process against the AWS emulator the jest globalSetup starts: S3
 * PutObject, the trigger handler with the real GlueJobRunner (StartJobRun), EmulatedGlueRun
 * over the emulator's S3, and the table and partitions in its Glue Data Catalog.
 */
const endpoint = emulatorEndpoint();
const s3 = emulatorS3();
const glue = emulatorGlue();
const suffix = `${process.pid}-${Date.now()}`;
const bucket = `run-aws-${suffix}`;
const jobName = `b3-portfolio-refined-${suffix}`;
const DAY = '2023-08-21';
const facts = factsOf(DAY);

const keys = (prefix: string) => listKeys(s3, bucket, prefix);
const partitionsOf = (day: string) => refinedPartitionsOf(glue, day);

describe('npm start -- run --target aws on the AWS emulator', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cli-run-aws-'));
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    // The job as the provisioner deploys it: the same CreateJob request, DAG included.
    await glue.send(new CreateJobCommand(b3PortfolioRefinedJob({ jobName, roleArn: 'arn:aws:iam::123456789012:role/glue', bucket })));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const replay = (file: string) => ['run', '--target', 'aws', '--replay', path.join(FIXTURES, file), '--bucket', bucket];

  it('scrapes to S3, starts the Glue run through the trigger, and leaves refined objects and catalog partitions', async () => {
    const run = await cli([...replay(facts.file), '--job-name', jobName], dir);
    const runId = /\(job run (jr_[0-9a-f]+)\)/.exec(run.stdout)?.[1];
    expect(runId).toBeDefined();
    expect(run).toEqual({
      code: 0,
      stdout: [
        `IBOV portfolio ${DAY} (D-1 session 2023-08-18), source csv-download`,
        `  raw: 85 rows -> s3://${bucket}/raw/portfolio/dt=${DAY}/ibov.parquet`,
        `  refined: 85 rows in 85 ticker partitions -> s3://${bucket}/refined/b3_portfolio_refined/dt=${DAY} (job run ${runId})`,
        `  catalog: table default.b3_portfolio_refined in the Glue Data Catalog at ${endpoint}`,
        `  5 largest weights: ${largest(facts, 5)}`,
        '',
      ].join('\n'),
      stderr: '',
    });

    expect(await keys('raw/')).toEqual([`raw/portfolio/dt=${DAY}/ibov.parquet`]);
    const refined = await keys('refined/b3_portfolio_refined/');
    expect(refined).toHaveLength(85);
    expect(await keys('refined/b3_portfolio_daily/')).toEqual([expect.stringMatching(new RegExp(`^refined/b3_portfolio_daily/dt=${DAY}/part-[0-9a-f-]+\\.parquet$`))]);
    for (const key of refined) expect(key).toMatch(new RegExp(`^refined/b3_portfolio_refined/dt=${DAY}/ticker=[A-Z0-9]+/part-[0-9a-f-]+\\.parquet$`));
    expect(refined.map((k) => k.split('/')[3].slice('ticker='.length)).sort()).toEqual(facts.weights.map((w) => w.ticker).sort());

    // StartJobRun reached Glue with the day and the decoded key, as the trigger sends them
    // (moto lists the run's arguments merged over the job's DefaultArguments).
    const runs = (await glue.send(new GetJobRunsCommand({ JobName: jobName }))).JobRuns ?? [];
    expect(runs.map((r) => [r.Id, r.Arguments])).toEqual([
      [runId, expect.objectContaining({ '--portfolio_date': DAY, '--raw_object_key': `raw/portfolio/dt=${DAY}/ibov.parquet` })],
    ]);

    const table = (await glue.send(new GetTableCommand({ DatabaseName: 'default', Name: 'b3_portfolio_refined' }))).Table!;
    expect(table.PartitionKeys).toEqual([{ Name: 'dt', Type: 'date' }, { Name: 'ticker', Type: 'string' }]);
    expect(table.StorageDescriptor?.Columns?.map((c) => [c.Name, c.Type])).toEqual(
      REFINED_COLUMNS.filter((c) => c.name !== 'dt' && c.name !== 'ticker').map((c) => [c.name, c.type]),
    );
    const partitions = await partitionsOf(DAY);
    expect(partitions.map((p) => p.Values![1]).sort()).toEqual(facts.weights.map((w) => w.ticker).sort());
    for (const p of partitions) expect(p.StorageDescriptor?.Location).toBe(`s3://${bucket}/refined/b3_portfolio_refined/dt=${DAY}/ticker=${p.Values![1]}/`);

    // The refined object itself, read back from the emulator by DuckDB: the contract's row for VALE3.
    const vale = refined.find((k) => k.includes('/ticker=VALE3/'))!;
    const file = path.join(dir, 'vale3.parquet');
    writeFileSync(file, await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: vale }))).Body!.transformToByteArray());
    const seen = await readParquetWithDuckDB(file, 'index_code');
    expect(seen.rows).toEqual([
      expect.objectContaining({
        index_code: 'IBOV',
        weight_pct: facts.weights.find((w) => w.ticker === 'VALE3')!.weight,
        session_date: '2023-08-18',
        days_since_rebalance: 112,
        sector: null,
        sector_total_weight_pct: null,
        sector_ticker_count: null,
      }),
    ]);
  });

  it('a rerun of the day replaces its refined objects and finds its partitions already there', async () => {
    const before = await keys('refined/b3_portfolio_refined/');
    const run = await cli([...replay(facts.file), '--job-name', jobName, '--verbose'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('emulated-glue: default.b3_portfolio_refined unchanged, 0 partition(s) added, 85 already there\n');
    const after = await keys('refined/b3_portfolio_refined/');
    expect(after).toHaveLength(85);
    expect(after.filter((k) => before.includes(k))).toEqual([]);
    expect(await partitionsOf(DAY)).toHaveLength(85);
    expect((await glue.send(new GetJobRunsCommand({ JobName: jobName }))).JobRuns).toHaveLength(2);
  });

  it('fails with one line when Glue has no such job; the raw object is written, as S3 would keep it', async () => {
    const other = factsOf('2023-12-15');
    const run = await cli([...replay(other.file), '--job-name', `missing-${suffix}`], dir);
    expect([run.code, run.stdout]).toEqual([1, '']);
    // Glue's error code, then moto's words for it.
    expect(run.stderr).toBe(`error: trigger: could not start job missing-${suffix} for 1 object(s), got raw/portfolio/dt=2023-12-15/ibov.parquet (glue: StartJobRun refused, got EntityNotFoundException: Job missing-${suffix} not found.)\n`);
    expect(await keys('raw/portfolio/dt=2023-12-15/')).toEqual(['raw/portfolio/dt=2023-12-15/ibov.parquet']);
    expect(await keys('refined/b3_portfolio_refined/dt=2023-12-15/')).toEqual([]);
  });
});

import { CreateJobCommand } from '@aws-sdk/client-glue';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EmulatedGlueRun, partitionValues } from '../../../adapters/aws/emulated-glue-run';
import { addCatalogPartitions, ensureCatalogTable } from '../../../adapters/aws/glue-catalog-table';
import { b3PortfolioRefinedJob } from '../../../glue-jobs/b3-portfolio-refined';
import { writeRawCaptures } from '../duckdb/raw-from-captures';
import { emulatorS3, listKeys } from '../storage/emulator-s3';
import { emulatorGlue, refinedPartitionsOf } from './emulator-glue';

const s3 = emulatorS3();
const glue = emulatorGlue();
const suffix = `${process.pid}-${Date.now()}`;
const bucket = `emulated-glue-${suffix}`;
const jobName = `refine-${suffix}`;
const ROLE = 'arn:aws:iam::123456789012:role/glue';
const TABLE = { database: 'default', table: 'b3_portfolio_refined', location: `s3://${bucket}/refined/`, partitionKeys: ['dt', 'ticker'] };

const keys = (prefix: string) => listKeys(s3, bucket, prefix);
const partitionsOf = (day: string) => refinedPartitionsOf(glue, day);

describe('EmulatedGlueRun on the AWS emulator', () => {
  let dir: string;
  const progress: string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'emulated-glue-test-'));
    writeRawCaptures(dir);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await glue.send(new CreateJobCommand(b3PortfolioRefinedJob({ jobName, roleArn: ROLE, bucket })));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the deployed DAG for the day: purges that day's refined objects, uploads the new ones, registers partitions", async () => {
    const put = (Key: string, Body: Uint8Array) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body }));
    await put('raw/dt=2025-04-07/ibov.parquet', readFileSync(path.join(dir, 'raw/dt=2025-04-07/ibov.parquet')));
    // Another day's raw object: a one-day run must not read it.
    await put('raw/dt=2022-12-08/ibov.parquet', readFileSync(path.join(dir, 'raw/dt=2022-12-08/ibov.parquet')));
    // A stale object of the same day (a ticker that left) goes; another day's refined object stays.
    await put('refined/dt=2025-04-07/ticker=OLD11/part-stale.parquet', new Uint8Array([1]));
    await put('refined/dt=2022-12-08/ticker=VALE3/part-keep.parquet', new Uint8Array([2]));

    const runner = new EmulatedGlueRun({ glue, s3, progress: (l) => progress.push(l) });
    const runId = await runner.startRun(jobName, { '--portfolio_date': '2025-04-07', '--raw_object_key': 'raw/dt=2025-04-07/ibov.parquet' });
    expect(runId).toMatch(/^jr_[0-9a-f]+$/);

    const refined = await keys('refined/');
    expect(refined).toContain('refined/dt=2022-12-08/ticker=VALE3/part-keep.parquet');
    expect(refined.filter((k) => k.includes('OLD11'))).toEqual([]);
    const day = refined.filter((k) => k.startsWith('refined/dt=2025-04-07/'));
    expect(day).toHaveLength(87);
    expect(refined).toHaveLength(88);
    expect(progress).toEqual([
      `emulated-glue: run ${runId} staged 1 raw object(s) of 2025-04-07 from s3://${bucket}/`,
      `emulated-glue: run ${runId} uploaded 87 object(s) to s3://${bucket}/refined/`,
      expect.stringMatching(/^emulated-glue: default\.b3_portfolio_refined (created|exists), 87 partition\(s\) added, 0 already there$/),
    ]);
    const partitions = await partitionsOf('2025-04-07');
    expect(partitions.map((p) => p.Values).sort()).toEqual(partitionValues(day, 'refined/', ['dt', 'ticker']));
    expect(partitions).toHaveLength(87);
  });

  it('refuses a job with no visual DAG, after starting it (the run id exists in Glue)', async () => {
    const plain = `plain-${suffix}`;
    await glue.send(new CreateJobCommand({ Name: plain, Role: ROLE, Command: { Name: 'glueetl', ScriptLocation: `s3://${bucket}/scripts/plain.py` } }));
    const runner = new EmulatedGlueRun({ glue, s3 });
    await expect(runner.startRun(plain, { '--portfolio_date': '2025-04-07' })).rejects.toThrow(`emulated-glue: job ${plain} is not a visual job, got no CodeGenConfigurationNodes`);
    await expect(runner.startRun(jobName, { '--portfolio_date': '7/4/2025' })).rejects.toThrow('emulated-glue: --portfolio_date must be YYYY-MM-DD, got 7/4/2025');
  });

  it('adds partitions in batches of 100, counting the ones already there on a second pass', async () => {
    await ensureCatalogTable(glue, TABLE);
    const many = Array.from({ length: 150 }, (_, i) => ['2031-01-02', `TST${String(i).padStart(3, '0')}3`]);
    expect(await addCatalogPartitions(glue, TABLE, many)).toEqual({ created: 150, existing: 0 });
    expect(await addCatalogPartitions(glue, TABLE, many)).toEqual({ created: 0, existing: 150 });
    expect(await partitionsOf('2031-01-02')).toHaveLength(150);
    expect(await ensureCatalogTable(glue, TABLE)).toBe(false);
  });

  it('knows only the refined contract table', async () => {
    await expect(ensureCatalogTable(glue, { ...TABLE, table: 'other' })).rejects.toThrow(
      'glue-catalog: only the columns of default.b3_portfolio_refined are known here, got default.other',
    );
  });
});

describe('partitionValues', () => {
  it('reads Hive partition values from keys, distinct and sorted', () => {
    expect(
      partitionValues(
        ['refined/dt=2025-04-07/ticker=VALE3/a.parquet', 'refined/dt=2025-04-07/ticker=ABEV3/b.parquet', 'refined/dt=2025-04-07/ticker=VALE3/c.parquet'],
        'refined/',
        ['dt', 'ticker'],
      ),
    ).toEqual([
      ['2025-04-07', 'ABEV3'],
      ['2025-04-07', 'VALE3'],
    ]);
  });

  it('refuses a key outside the partition layout', () => {
    expect(() => partitionValues(['refined/dt=2025-04-07/x.parquet'], 'refined/', ['dt', 'ticker'])).toThrow(
      'emulated-glue: expected ticker=<value> in refined/dt=2025-04-07/x.parquet, got x.parquet',
    );
  });
});

import { CreateJobCommand, GetTableCommand } from '@aws-sdk/client-glue';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EMULATED_BOOKMARK_PREFIX, EmulatedGlueRun, partitionValues } from '../../../adapters/aws/emulated-glue-run';
import { addCatalogPartitions, ensureCatalogTable, glueColumnType } from '../../../adapters/aws/glue-catalog-table';
import { S3ObjectStore } from '../../../adapters/storage/s3-object-store';
import { b3PortfolioRefinedJob, NODE_IDS } from '../../../glue-jobs/b3-portfolio-refined';
import { readRefinedDay } from '../../../lib/pipeline/refined-day';
import { rawObjectKey } from '../../../lib/raw/raw-key';
import { DAILY_TABLE_PREFIX, REFINED_COLUMNS, REFINED_TABLE_PREFIX } from '../../../lib/refined/refined-contract';
import { CSV_IBOV_2026_07_21, CSV_IBXX_2026_07_21 } from '../../lib/b3/b3-fixtures';
import { writeRawCapture, writeRawCaptures } from '../duckdb/raw-from-captures';
import { emulatorS3, listKeys } from '../storage/emulator-s3';
import { emulatorGlue, refinedPartitionsOf } from './emulator-glue';

const s3 = emulatorS3();
const glue = emulatorGlue();
const suffix = `${process.pid}-${Date.now()}`;
const bucket = `emulated-glue-${suffix}`;
const jobName = `refine-${suffix}`;
const ROLE = 'arn:aws:iam::123456789012:role/glue';
const TABLE_COLUMNS = REFINED_COLUMNS.map((c) => ({ name: c.name, type: { date: 'DATE', string: 'VARCHAR', bigint: 'BIGINT', double: 'DOUBLE', int: 'INTEGER' }[c.type] }));
const TABLE = { database: 'default', table: 'b3_portfolio_refined', location: `s3://${bucket}/${REFINED_TABLE_PREFIX}`, partitionKeys: ['dt', 'ticker'], columns: TABLE_COLUMNS };

const keys = (prefix: string) => listKeys(s3, bucket, prefix);
const partitionsOf = (day: string) => refinedPartitionsOf(glue, day);
const put = (Key: string, Body: Uint8Array) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body }));

describe('EmulatedGlueRun on the AWS emulator', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'emulated-glue-test-'));
    writeRawCaptures(dir);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await glue.send(new CreateJobCommand(b3PortfolioRefinedJob({ jobName, roleArn: ROLE, bucket })));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the deployed DAG on what its bookmark has not seen: purges those days' refined objects, uploads the new ones, registers partitions; a second run finds nothing", async () => {
    const progress: string[] = [];
    const raw = rawObjectKey('IBOV', '2025-04-07');
    await put(raw, readFileSync(path.join(dir, raw)));
    // A stale object of the same day (a ticker that left) goes; another day's refined object stays.
    await put(`${REFINED_TABLE_PREFIX}dt=2025-04-07/ticker=OLD11/part-stale.parquet`, new Uint8Array([1]));
    await put(`${REFINED_TABLE_PREFIX}dt=2022-12-08/ticker=VALE3/part-keep.parquet`, new Uint8Array([2]));

    const runner = new EmulatedGlueRun({ glue, s3, progress: (l) => progress.push(l) });
    const runId = await runner.startRun(jobName, { '--portfolio_date': '2025-04-07', '--raw_object_key': raw });
    expect(runId).toMatch(/^jr_[0-9a-f]+$/);

    const refined = await keys(REFINED_TABLE_PREFIX);
    expect(refined).toContain(`${REFINED_TABLE_PREFIX}dt=2022-12-08/ticker=VALE3/part-keep.parquet`);
    expect(refined.filter((k) => k.includes('OLD11'))).toEqual([]);
    const day = refined.filter((k) => k.startsWith(`${REFINED_TABLE_PREFIX}dt=2025-04-07/`));
    expect(day).toHaveLength(87);
    expect(refined).toHaveLength(88);
    expect(progress).toEqual([
      `emulated-glue: run ${runId} found 1 new raw object(s) of 2025-04-07; staged 1 from s3://${bucket}/`,
      // The DAG's targets in its topological order: the daily table's node id sorts first.
      `emulated-glue: run ${runId} uploaded 1 object(s) to s3://${bucket}/${DAILY_TABLE_PREFIX}`,
      expect.stringMatching(/^emulated-glue: default\.b3_portfolio_daily (created|updated|unchanged), 1 partition\(s\) added, 0 already there$/),
      `emulated-glue: run ${runId} uploaded 87 object(s) to s3://${bucket}/${REFINED_TABLE_PREFIX}`,
      expect.stringMatching(/^emulated-glue: default\.b3_portfolio_refined (created|updated|unchanged), 87 partition\(s\) added, 0 already there$/),
    ]);
    const partitions = await partitionsOf('2025-04-07');
    expect(partitions.map((p) => p.Values).sort()).toEqual(partitionValues(day, REFINED_TABLE_PREFIX, ['dt', 'ticker']));
    expect(partitions).toHaveLength(87);

    // The same event again (S3 delivers at least once): the run succeeds and writes nothing.
    progress.length = 0;
    const again = await runner.startRun(jobName, { '--portfolio_date': '2025-04-07', '--raw_object_key': raw });
    expect(await keys(REFINED_TABLE_PREFIX)).toEqual(refined);
    expect(progress).toEqual([
      `emulated-glue: run ${again} found 0 new raw object(s); staged 0 from s3://${bucket}/`,
      `emulated-glue: run ${again} uploaded 0 object(s) to s3://${bucket}/${DAILY_TABLE_PREFIX}`,
      `emulated-glue: run ${again} uploaded 0 object(s) to s3://${bucket}/${REFINED_TABLE_PREFIX}`,
      `emulated-glue: run ${again} had nothing new; nothing written`,
    ]);
    expect((await keys(EMULATED_BOOKMARK_PREFIX)).length).toBe(1);
  });

  it('IBOV, then IBXX, then IBOV again of one day, each its own run: every row of both indexes stays', async () => {
    const DAY = '2026-07-21';
    const store = new S3ObjectStore(s3, bucket);
    const ibov = writeRawCapture(dir, CSV_IBOV_2026_07_21, 'IBOV', '2026-07-20');
    const ibxx = writeRawCapture(dir, CSV_IBXX_2026_07_21, 'IBXX', '2026-07-20');
    const runner = new EmulatedGlueRun({ glue, s3 });
    const ingest = async (index: string) => {
      const key = rawObjectKey(index, DAY);
      await put(key, readFileSync(path.join(dir, key)));
      await runner.startRun(jobName, { '--portfolio_date': DAY, '--raw_object_key': key });
    };
    const rowsOf = async (index: string) => (await readRefinedDay(store, DAY, index, 0)).rows;
    await ingest('IBOV');
    expect([await rowsOf('IBOV'), await rowsOf('IBXX')]).toEqual([ibov.length, 0]);
    await ingest('IBXX');
    expect([await rowsOf('IBOV'), await rowsOf('IBXX')]).toEqual([ibov.length, ibxx.length]);
    await ingest('IBOV');
    expect([await rowsOf('IBOV'), await rowsOf('IBXX')]).toEqual([ibov.length, ibxx.length]);
    // One object per (day, ticker) partition, holding the rows of every index the ticker is in.
    const tickers = new Set([...ibov, ...ibxx].map((r) => r.ticker));
    expect(await keys(`${REFINED_TABLE_PREFIX}dt=${DAY}/`)).toHaveLength(tickers.size);
    expect(await partitionsOf(DAY)).toHaveLength(tickers.size);
  });

  it("registers the table with the columns the deployed DAG produced, and follows a DAG change", async () => {
    const table = `dag_change_${suffix.replace(/-/g, '_')}`;
    const deploy = async (name: string, change: (nodes: NonNullable<ReturnType<typeof b3PortfolioRefinedJob>['CodeGenConfigurationNodes']>) => void) => {
      const job = b3PortfolioRefinedJob({ jobName: name, roleArn: ROLE, bucket: `${bucket}` });
      const nodes = job.CodeGenConfigurationNodes!;
      nodes[NODE_IDS.refinedTarget].S3GlueParquetTarget!.SchemaChangePolicy!.Table = table;
      change(nodes);
      await glue.send(new CreateJobCommand(job));
      return name;
    };
    const columnsOf = async () => {
      const t = (await glue.send(new GetTableCommand({ DatabaseName: 'default', Name: table }))).Table!;
      return { columns: t.StorageDescriptor!.Columns!.map((c) => `${c.Name}:${c.Type}`), partitions: t.PartitionKeys!.map((c) => `${c.Name}:${c.Type}`) };
    };
    const renameShareClass = (to: string) => (nodes: Parameters<Parameters<typeof deploy>[1]>[0]) => {
      for (const m of nodes[NODE_IDS.mapping].ApplyMapping!.Mapping!) if (m.ToKey === 'share_class') m.ToKey = to;
      for (const id of [NODE_IDS.joinSectors, NODE_IDS.rebalanceDays]) nodes[id].SparkSQL!.SqlQuery = nodes[id].SparkSQL!.SqlQuery!.replace(/share_class/g, to);
    };
    const raw = rawObjectKey('IBOV', '2023-12-15');
    await put(raw, readFileSync(path.join(dir, raw)));
    await new EmulatedGlueRun({ glue, s3 }).startRun(await deploy(`${jobName}-kind`, renameShareClass('share_kind')), {});
    const first = await columnsOf();
    expect(first.partitions).toEqual(['dt:date', 'ticker:string']);
    expect(first.columns).toContain('share_kind:string');
    expect(first.columns).not.toContain('share_class:string');
    expect(first.columns).toEqual(expect.arrayContaining(['theoretical_qty:bigint', 'sector_ticker_count:bigint', 'days_since_rebalance:int', 'session_date:date']));

    // Another deployed DAG writing the same table: its columns replace the old ones (UPDATE_IN_DATABASE).
    await new EmulatedGlueRun({ glue, s3 }).startRun(await deploy(`${jobName}-type`, renameShareClass('share_type_name')), {});
    const second = await columnsOf();
    expect(second.columns).toContain('share_type_name:string');
    expect(second.columns).not.toContain('share_kind:string');
  });

  it('refuses a job with no visual DAG, after starting it (the run id exists in Glue)', async () => {
    const plain = `plain-${suffix}`;
    await glue.send(new CreateJobCommand({ Name: plain, Role: ROLE, Command: { Name: 'glueetl', ScriptLocation: `s3://${bucket}/scripts/plain.py` } }));
    const runner = new EmulatedGlueRun({ glue, s3 });
    await expect(runner.startRun(plain, { '--portfolio_date': '2025-04-07' })).rejects.toThrow(`emulated-glue: job ${plain} is not a visual job, got no CodeGenConfigurationNodes`);
  });

  it('adds partitions in batches of 100, counting the ones already there on a second pass', async () => {
    await ensureCatalogTable(glue, TABLE);
    const many = Array.from({ length: 150 }, (_, i) => ['2031-01-02', `TST${String(i).padStart(3, '0')}3`]);
    expect(await addCatalogPartitions(glue, TABLE, many)).toEqual({ created: 150, existing: 0 });
    expect(await addCatalogPartitions(glue, TABLE, many)).toEqual({ created: 0, existing: 150 });
    expect(await partitionsOf('2031-01-02')).toHaveLength(150);
    expect(await ensureCatalogTable(glue, TABLE)).toBe('unchanged');
  });

  it('refuses a column type with no Glue twin, and partition keys the DAG did not produce', async () => {
    expect(glueColumnType('x', 'DECIMAL(18,2)')).toBe('decimal(18,2)');
    expect(() => glueColumnType('total', 'HUGEINT')).toThrow('glue-catalog: no Glue type for column total of DuckDB type, got HUGEINT');
    await expect(ensureCatalogTable(glue, { ...TABLE, table: 'other', partitionKeys: ['dt', 'day'] })).rejects.toThrow(
      'glue-catalog: partition keys the DAG did not produce, got day',
    );
  });
});

describe('partitionValues', () => {
  it('reads Hive partition values from keys, distinct and sorted', () => {
    expect(
      partitionValues(
        ['refined/b3_portfolio_refined/dt=2025-04-07/ticker=VALE3/a.parquet', 'refined/b3_portfolio_refined/dt=2025-04-07/ticker=ABEV3/b.parquet', 'refined/b3_portfolio_refined/dt=2025-04-07/ticker=VALE3/c.parquet'],
        REFINED_TABLE_PREFIX,
        ['dt', 'ticker'],
      ),
    ).toEqual([
      ['2025-04-07', 'ABEV3'],
      ['2025-04-07', 'VALE3'],
    ]);
  });

  it('refuses a key outside the partition layout', () => {
    expect(() => partitionValues(['refined/b3_portfolio_refined/dt=2025-04-07/x.parquet'], REFINED_TABLE_PREFIX, ['dt', 'ticker'])).toThrow(
      'emulated-glue: expected ticker=<value> in refined/b3_portfolio_refined/dt=2025-04-07/x.parquet, got x.parquet',
    );
  });
});

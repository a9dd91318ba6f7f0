import { CreateJobCommand, GetPartitionsCommand, GetTableCommand } from '@aws-sdk/client-glue';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { EmulatedGlueRun } from '../../../adapters/aws/emulated-glue-run';
import { b3QuotesRefinedJob } from '../../../glue-jobs/b3-quotes-refined';
import { lit } from '../../../lib/glue-dag/to-sql';
import { rawQuotesKey } from '../../../lib/raw/quotes-contract';
import { QUOTES_REFINED_COLUMNS, QUOTES_REFINED_PREFIX } from '../../../lib/refined/quotes-refined-contract';
import { ZIP_2024_11_08 } from '../../lib/cotahist/cotahist-fixtures';
import { writeRawQuotes } from '../duckdb/raw-quotes-from-fixtures';
import { emulatorS3, listKeys } from '../storage/emulator-s3';
import { emulatorGlue } from './emulator-glue';

const s3 = emulatorS3();
const glue = emulatorGlue();
const suffix = `${process.pid}-${Date.now()}`;
const bucket = `emulated-quotes-${suffix}`;
const jobName = `refine-quotes-${suffix}`;

describe('EmulatedGlueRun of the quotes job on the AWS emulator', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'emulated-quotes-'));
    writeRawQuotes(dir, ZIP_2024_11_08, '2024-11-08');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await glue.send(new CreateJobCommand(b3QuotesRefinedJob({ jobName, roleArn: 'arn:aws:iam::123456789012:role/glue', bucket })));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refines a raw quotes session into one object under b3_quotes_refined/dt=<session>/, cataloged with its dt partition; the same event again writes nothing', async () => {
    const raw = rawQuotesKey('2024-11-08');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: raw, Body: readFileSync(path.join(dir, raw)) }));
    const runner = new EmulatedGlueRun({ glue, s3 });
    await runner.startRun(jobName, { '--session_date': '2024-11-08', '--raw_object_key': raw });

    const written = await listKeys(s3, bucket, QUOTES_REFINED_PREFIX);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^refined\/b3_quotes_refined\/dt=2024-11-08\/[^/]+\.parquet$/);

    const table = (await glue.send(new GetTableCommand({ DatabaseName: 'default', Name: 'b3_quotes_refined' }))).Table!;
    expect(table.PartitionKeys?.map((k) => [k.Name, k.Type])).toEqual([['dt', 'date']]);
    expect(table.StorageDescriptor?.Columns?.map((c) => c.Name)).toEqual(QUOTES_REFINED_COLUMNS.map((c) => c.name).filter((n) => n !== 'dt'));
    expect(table.StorageDescriptor?.Location).toBe(`s3://${bucket}/${QUOTES_REFINED_PREFIX}`);
    const partitions = (await glue.send(new GetPartitionsCommand({ DatabaseName: 'default', TableName: 'b3_quotes_refined' }))).Partitions ?? [];
    expect(partitions.map((p) => p.Values)).toEqual([['2024-11-08']]);

    // What was uploaded is the refined session: PETR4's per-share close.
    const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: written[0] }))).Body!.transformToByteArray();
    const file = path.join(dir, 'uploaded.parquet');
    writeFileSync(file, body);
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const [row] = (await conn.runAndReadAll(`SELECT close_price, trades FROM read_parquet(${lit(file)}) WHERE ticker = 'PETR4'`)).getRowObjectsJS();
    expect(row).toEqual({ close_price: 36.18, trades: 80_702 });
    conn.closeSync();

    await runner.startRun(jobName, { '--session_date': '2024-11-08', '--raw_object_key': raw });
    expect(await listKeys(s3, bucket, QUOTES_REFINED_PREFIX)).toEqual(written);
  });
});

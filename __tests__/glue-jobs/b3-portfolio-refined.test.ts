import type { CreateJobRequest } from '@aws-sdk/client-glue';
import { b3PortfolioRefinedJob, glueScriptLocation, NODE_IDS } from '../../glue-jobs/b3-portfolio-refined';
import { REFINED_DATABASE, REFINED_TABLE } from '../../lib/refined/refined-contract';
import { PURGE_CLASS_NAME, WHOLE_DAYS_CLASS_NAME, parsePurgeCode, parseWholeDaysCode } from '../../lib/glue-dag/custom-code';
import { RAW_COLUMN_TYPES, RAW_COLUMNS } from '../../lib/raw/raw-contract';
import { glueDagProblems } from '../../lib/glue-dag/validate';

const job: CreateJobRequest = b3PortfolioRefinedJob({ jobName: 'b3-refined-dev', roleArn: 'arn:aws:iam::123456789012:role/glue', bucket: 'lake-dev' });
const nodes = job.CodeGenConfigurationNodes ?? {};

describe('b3PortfolioRefinedJob', () => {
  it('is a visual Glue 5.0 Standard job on two G.1X workers with bookmarks, queuing, metrics and logs', () => {
    expect(job).toMatchObject({
      Name: 'b3-refined-dev',
      Role: 'arn:aws:iam::123456789012:role/glue',
      JobMode: 'VISUAL',
      GlueVersion: '5.0',
      WorkerType: 'G.1X',
      NumberOfWorkers: 2,
      // Glue queues runs past MaxConcurrentRuns only for Standard runs without Glue retries.
      ExecutionClass: 'STANDARD',
      JobRunQueuingEnabled: true,
      ExecutionProperty: { MaxConcurrentRuns: 1 },
      MaxRetries: 0,
      Timeout: 30,
      Command: { Name: 'glueetl', ScriptLocation: 's3://lake-dev/scripts/b3-refined-dev.py', PythonVersion: '3' },
    });
    expect(job.DefaultArguments).toEqual({
      '--job-language': 'python',
      '--job-bookmark-option': 'job-bookmark-enable',
      '--enable-metrics': 'true',
      '--enable-continuous-cloudwatch-log': 'true',
      '--enable-glue-datacatalog': 'true',
    });
    expect(glueScriptLocation('b', 'j')).toBe('s3://b/scripts/j.py');
  });

  it('reads raw/portfolio/ recursively and writes refined/b3_portfolio_refined/ by dt and ticker, snappy, cataloged in default.b3_portfolio_refined', () => {
    expect(nodes[NODE_IDS.rawSource].S3ParquetSource).toEqual({ Name: 'Raw portfolio (S3 Parquet)', Paths: ['s3://lake-dev/raw/portfolio/'], Recurse: true });
    expect(nodes[NODE_IDS.refinedTarget].S3GlueParquetTarget).toEqual({
      Name: 'Refined (S3 Parquet, cataloged)',
      Inputs: [NODE_IDS.selectPurged],
      Path: 's3://lake-dev/refined/b3_portfolio_refined/',
      PartitionKeys: [['dt'], ['ticker']],
      Compression: 'snappy',
      SchemaChangePolicy: { EnableUpdateCatalog: true, UpdateBehavior: 'UPDATE_IN_DATABASE', Database: 'default', Table: 'b3_portfolio_refined' },
    });
    expect([REFINED_DATABASE, REFINED_TABLE]).toEqual(['default', 'b3_portfolio_refined']);
    // The daily table: the same frame, partitioned by dt only, one file a day.
    expect(nodes[NODE_IDS.dailyTarget].S3GlueParquetTarget).toEqual({
      Name: 'Refined daily (S3 Parquet, one file a day, cataloged)',
      Inputs: [NODE_IDS.selectPurged],
      Path: 's3://lake-dev/refined/b3_portfolio_daily/',
      PartitionKeys: [['dt']],
      NumberTargetPartitions: '1',
      Compression: 'snappy',
      SchemaChangePolicy: { EnableUpdateCatalog: true, UpdateBehavior: 'UPDATE_IN_DATABASE', Database: 'default', Table: 'b3_portfolio_daily' },
    });
  });

  it('renames asset and share_type, maps portfolio_date to dt, and groups by dt, index_code, sector', () => {
    const kept = (nodes[NODE_IDS.mapping].ApplyMapping?.Mapping ?? []).filter((m) => !m.Dropped).map((m) => `${m.FromPath?.[0]}:${m.ToKey}:${m.ToType}`);
    expect(kept).toEqual([
      'portfolio_date:dt:date', 'ticker:ticker:string', 'index_code:index_code:string', 'asset:company_name:string',
      'share_type:share_class:string', 'sector:sector:string', 'theoretical_qty:theoretical_qty:long',
      'weight_pct:weight_pct:double', 'session_date:session_date:date', 'total_theoretical_qty:total_theoretical_qty:long',
      'reductor:reductor:double',
    ]);
    expect(nodes[NODE_IDS.sectorAggregate].Aggregate).toMatchObject({
      Groups: [['dt'], ['index_code'], ['sector']],
      Aggs: [{ Column: ['weight_pct'], AggFunc: 'sum' }, { Column: ['ticker'], AggFunc: 'count' }],
    });
  });

  it('widens the bookmark batch to whole raw days of raw/portfolio/, typed by the raw contract, then selects the frame', () => {
    const custom = nodes[NODE_IDS.wholeDays].CustomCode;
    expect(custom).toMatchObject({ ClassName: WHOLE_DAYS_CLASS_NAME, Inputs: [NODE_IDS.rawSource] });
    const spark = { string: 'StringType', date: 'DateType', bigint: 'LongType', double: 'DoubleType', timestamp: 'TimestampType' } as const;
    expect(parseWholeDaysCode(NODE_IDS.wholeDays, custom ?? ({} as never))).toEqual({
      s3Prefix: 's3://lake-dev/raw/portfolio/',
      partitionColumn: 'dt',
      dayColumn: 'portfolio_date',
      schema: RAW_COLUMNS.map((name) => ({ name, type: spark[RAW_COLUMN_TYPES[name].type], nullable: RAW_COLUMN_TYPES[name].nullable })),
    });
    expect(nodes[NODE_IDS.selectWholeDays].SelectFromCollection).toEqual({ Name: 'Whole days', Inputs: [NODE_IDS.wholeDays], Index: 0 });
    expect(nodes[NODE_IDS.mapping].ApplyMapping?.Inputs).toEqual([NODE_IDS.selectWholeDays]);
  });

  it('purges the batch days of both refined tables with retention 0 before the sinks, then selects the frame', () => {
    const custom = nodes[NODE_IDS.purgeDays].CustomCode;
    expect(custom?.ClassName).toBe(PURGE_CLASS_NAME);
    expect(custom?.Code).toContain('glueContext.purge_s3_path(f"s3://lake-dev/refined/b3_portfolio_refined/dt={day}/", {"retentionPeriod": 0})');
    expect(parsePurgeCode(NODE_IDS.purgeDays, custom ?? {} as never)).toEqual([
      { s3Prefix: 's3://lake-dev/refined/b3_portfolio_refined/', partitionColumn: 'dt' },
      { s3Prefix: 's3://lake-dev/refined/b3_portfolio_daily/', partitionColumn: 'dt' },
    ]);
    expect(nodes[NODE_IDS.selectPurged].SelectFromCollection).toEqual({ Name: 'Purged batch', Inputs: [NODE_IDS.purgeDays], Index: 0 });
  });

  it('never reads the clock: no current_date or now in its SQL', () => {
    const sql = Object.values(nodes).map((n) => n.SparkSQL?.SqlQuery ?? '').join('\n');
    expect(sql).toContain('datediff(dt,');
    expect(sql).not.toMatch(/current_date|current_timestamp|now\(/i);
  });

  it('is structurally sound and carries the three mandatory transforms', () => {
    expect(glueDagProblems(nodes)).toEqual([]);
  });

  it('uses built-in visual node types only', () => {
    const types = Object.values(nodes).map((n) => Object.keys(n)[0]).sort();
    expect(types).toEqual(['Aggregate', 'ApplyMapping', 'CustomCode', 'CustomCode', 'S3GlueParquetTarget', 'S3GlueParquetTarget', 'S3ParquetSource', 'SelectFromCollection', 'SelectFromCollection', 'SparkSQL', 'SparkSQL']);
  });
});

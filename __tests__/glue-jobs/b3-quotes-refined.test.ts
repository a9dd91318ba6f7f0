import type { CodeGenConfigurationNode, CreateJobRequest } from '@aws-sdk/client-glue';
import { b3PortfolioRefinedJob } from '../../glue-jobs/b3-portfolio-refined';
import { b3QuotesRefinedJob, QUOTES_NODE_IDS as IDS } from '../../glue-jobs/b3-quotes-refined';
import { PURGE_CLASS_NAME, WHOLE_DAYS_CLASS_NAME, parsePurgeCode, parseWholeDaysCode } from '../../lib/glue-dag/custom-code';
import { translateNode } from '../../lib/glue-dag/to-sql';
import { assertValidGlueDag, glueDagProblems } from '../../lib/glue-dag/validate';
import { RAW_QUOTE_COLUMNS } from '../../lib/raw/quotes-contract';

const options = { jobName: 'b3-quotes-dev', roleArn: 'arn:aws:iam::123456789012:role/glue', bucket: 'lake-dev' };
const job: CreateJobRequest = b3QuotesRefinedJob(options);
const nodes = job.CodeGenConfigurationNodes ?? {};

describe('b3QuotesRefinedJob', () => {
  it('runs as the portfolio job does: visual, Standard, queued one at a time, bookmarked', () => {
    const { CodeGenConfigurationNodes: _q, Description: _d, ...settings } = job;
    const { CodeGenConfigurationNodes: _p, Description: _e, ...portfolio } = b3PortfolioRefinedJob(options);
    expect(settings).toEqual(portfolio);
    expect(job.DefaultArguments?.['--job-bookmark-option']).toBe('job-bookmark-enable');
    expect(job.Command?.ScriptLocation).toBe('s3://lake-dev/scripts/b3-quotes-dev.py');
  });

  it('is a DAG the executor runs: source, whole days, two SparkSQL steps, purge, one sink', () => {
    expect(() => assertValidGlueDag(nodes, { mandatoryTransforms: false })).not.toThrow();
    const types = Object.fromEntries(Object.entries(nodes).map(([id, n]) => [id, Object.keys(n)[0]]));
    expect(types).toEqual({
      [IDS.rawSource]: 'S3ParquetSource', [IDS.wholeDays]: 'CustomCode', [IDS.selectWholeDays]: 'SelectFromCollection',
      [IDS.spotMarket]: 'SparkSQL', [IDS.perShare]: 'SparkSQL', [IDS.purgeDays]: 'CustomCode',
      [IDS.selectPurged]: 'SelectFromCollection', [IDS.quotesTarget]: 'S3GlueParquetTarget',
    });
    // The portfolio's mandatory transforms (issue 4) are that job's product requirement, not this one's.
    expect(glueDagProblems(nodes)).toEqual(expect.arrayContaining([expect.stringMatching(/^mandatory transform missing: an Aggregate/)]));
  });

  it('reads raw/quotes/ with the bookmark and writes refined/b3_quotes_refined/ by dt, one file a session, cataloged default.b3_quotes_refined', () => {
    expect(nodes[IDS.rawSource].S3ParquetSource).toEqual({ Name: 'Raw quotes (S3 Parquet)', Paths: ['s3://lake-dev/raw/quotes/'], Recurse: true });
    expect(nodes[IDS.quotesTarget].S3GlueParquetTarget).toEqual({
      Name: 'Refined quotes (S3 Parquet, one file a session, cataloged)',
      Inputs: [IDS.selectPurged],
      Path: 's3://lake-dev/refined/b3_quotes_refined/',
      PartitionKeys: [['dt']],
      NumberTargetPartitions: '1',
      Compression: 'snappy',
      SchemaChangePolicy: { EnableUpdateCatalog: true, UpdateBehavior: 'UPDATE_IN_DATABASE', Database: 'default', Table: 'b3_quotes_refined' },
    });
  });

  it('WholeRawDays reads whole raw/quotes/ sessions by session_date, in the raw quotes contract with exact decimals', () => {
    const spec = nodes[IDS.wholeDays].CustomCode!;
    expect(spec.ClassName).toBe(WHOLE_DAYS_CLASS_NAME);
    const parsed = parseWholeDaysCode(IDS.wholeDays, spec);
    expect(parsed).toMatchObject({ s3Prefix: 's3://lake-dev/raw/quotes/', partitionColumn: 'dt', dayColumn: 'session_date' });
    expect(parsed.schema.map((f) => f.name)).toEqual(RAW_QUOTE_COLUMNS.map((c) => c.name));
    expect(parsed.schema.find((f) => f.name === 'close_price')).toEqual({ name: 'close_price', type: { decimal: { precision: 13, scale: 2 } }, nullable: false });
    expect(parsed.schema.find((f) => f.name === 'traded_volume')?.type).toEqual({ decimal: { precision: 18, scale: 2 } });
    expect(parsed.schema.find((f) => f.name === 'forward_term_days')).toEqual({ name: 'forward_term_days', type: 'StringType', nullable: true });
    expect(spec.Code).toContain('StructField("close_price", DecimalType(13, 2), False),');
    expect(spec.Code?.split('\n')[0]).toBe('from pyspark.sql.types import StructType, StructField, DateType, DecimalType, IntegerType, LongType, StringType');
  });

  it('refuses a schema type it cannot type locally, naming the column', () => {
    const spec = nodes[IDS.wholeDays].CustomCode!;
    const bad = (code: string) => () => parseWholeDaysCode(IDS.wholeDays, { ...spec, Code: code });
    expect(bad(spec.Code!.replace('DecimalType(13, 2)', 'DecimalType(40, 2)'))).toThrow(
      'glue-dag: CustomCode node-whole-raw-days: unsupported schema type of open_price, got DecimalType(40, 2)',
    );
    expect(bad(spec.Code!.replace('DecimalType(13, 2)', 'DecimalType()'))).toThrow('unsupported schema type of open_price, got DecimalType()');
    expect(bad(spec.Code!.replace('StringType()', 'StringType(3)'))).toThrow('got StringType(3)');
  });

  it('purges only its own table, by dt', () => {
    const spec = nodes[IDS.purgeDays].CustomCode!;
    expect(spec.ClassName).toBe(PURGE_CLASS_NAME);
    expect(parsePurgeCode(IDS.purgeDays, spec)).toEqual([{ s3Prefix: 's3://lake-dev/refined/b3_quotes_refined/', partitionColumn: 'dt' }]);
  });

  it('filters TPMERC 010 and divides each price by FATCOT in doubles, in SQL the translator accepts', () => {
    const cols: Record<string, string[]> = {
      [IDS.selectWholeDays]: RAW_QUOTE_COLUMNS.map((c) => c.name),
      [IDS.spotMarket]: RAW_QUOTE_COLUMNS.map((c) => c.name),
    };
    const env = { sourceFiles: () => [], columnsOf: (id: string) => cols[id] ?? [] };
    const sql = (id: string) => {
      const step = translateNode(id, nodes as Record<string, CodeGenConfigurationNode>, env);
      return step.kind === 'view' ? step.sql : '';
    };
    expect(sql(IDS.spotMarket)).toContain('WHERE market_type = 10');
    expect(sql(IDS.perShare)).toContain('CAST(close_price AS DOUBLE) / quote_factor AS close_price');
    expect(sql(IDS.perShare)).toContain('CAST(traded_volume AS DOUBLE) AS volume_brl');
  });
});

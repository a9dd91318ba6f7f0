import { PURGE_CLASS_NAME, WHOLE_DAYS_CLASS_NAME, type SparkFieldType } from '../lib/glue-dag/custom-code';
import type { RawColumnType } from '../lib/raw/raw-contract';

/**
 * The bodies of the job's CustomCode nodes, in Glue Studio's form: the function's body only,
 * at the top indentation, ending in a top-level `return DynamicFrameCollection(...)`. Glue Studio
 * writes `def <ClassName>(glueContext, dfc) -> DynamicFrameCollection:` and indents this under
 * it; its script already imports DynamicFrame and DynamicFrameCollection.
 */

const SPARK_TYPES: Readonly<Record<RawColumnType, SparkFieldType>> = {
  string: 'StringType',
  date: 'DateType',
  bigint: 'LongType',
  double: 'DoubleType',
  timestamp: 'TimestampType',
};

export interface WholeDaysBodyOptions {
  /** `s3://bucket/raw/portfolio/`: the dataset whose days are `dt=YYYY-MM-DD/` under it. */
  readonly datasetUri: string;
  /** The batch column naming each row's day (the raw portfolio's `portfolio_date`). */
  readonly dayColumn: string;
  /** The dataset's columns in order, from its contract. */
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: RawColumnType; readonly nullable: boolean }>;
}

/**
 * Widens the bookmark's batch to the complete days it touches: a day's refined partitions are
 * purged and rewritten, so they must be rebuilt from every raw object of that day (all indexes),
 * not only the new one. A run whose bookmark finds nothing new gets a frame without columns;
 * it gets the dataset's schema instead, so the run succeeds and writes nothing.
 */
export function wholeDaysBody(opts: WholeDaysBodyOptions): string {
  const types = [...new Set(opts.columns.map((c) => SPARK_TYPES[c.type]))].sort();
  const fields = opts.columns.map((c) => `    StructField("${c.name}", ${SPARK_TYPES[c.type]}(), ${c.nullable ? 'True' : 'False'}),`);
  return `from pyspark.sql.types import StructType, StructField, ${types.join(', ')}
schema = StructType([
${fields.join('\n')}
])
batch = dfc.select(list(dfc.keys())[0]).toDF()
days = []
if "${opts.dayColumn}" in batch.columns:
    days = sorted(row["${opts.dayColumn}"].isoformat() for row in batch.select("${opts.dayColumn}").distinct().collect())
if days:
    whole = glueContext.spark_session.read.schema(schema).parquet(*[f"${opts.datasetUri}dt={day}/" for day in days])
else:
    whole = glueContext.spark_session.createDataFrame([], schema)
return DynamicFrameCollection({"${WHOLE_DAYS_CLASS_NAME}": DynamicFrame.fromDF(whole, glueContext, "${WHOLE_DAYS_CLASS_NAME}")}, glueContext)
`;
}

/**
 * A glueparquet sink appends, so a rerun would duplicate a day: delete the days this batch
 * writes from every table it writes, first. The frame passes through unchanged.
 */
export function purgeDaysBody(tableUris: readonly string[], dayColumn: string): string {
  const purges = tableUris.map((uri) => `    glueContext.purge_s3_path(f"${uri}${dayColumn}={day}/", {"retentionPeriod": 0})`);
  return `frame = dfc.select(list(dfc.keys())[0])
for row in frame.toDF().select("${dayColumn}").distinct().collect():
    day = row["${dayColumn}"].isoformat()
${purges.join('\n')}
return DynamicFrameCollection({"${PURGE_CLASS_NAME}": frame}, glueContext)
`;
}

import { PURGE_CLASS_NAME, WHOLE_DAYS_CLASS_NAME, sparkTypeCall, sparkTypeClass, type SparkFieldType } from '../lib/glue-dag/custom-code';
import type { QuoteColumn } from '../lib/raw/quotes-contract';
import { RAW_COLUMN_TYPES, RAW_COLUMNS, type RawColumnType } from '../lib/raw/raw-contract';

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

export interface SchemaColumn {
  readonly name: string;
  readonly type: SparkFieldType;
  readonly nullable: boolean;
}

/** The raw portfolio contract (lib/raw/raw-contract.ts) as a Spark schema. */
export function rawPortfolioSchema(): SchemaColumn[] {
  return RAW_COLUMNS.map((name) => ({ name, type: SPARK_TYPES[RAW_COLUMN_TYPES[name].type], nullable: RAW_COLUMN_TYPES[name].nullable }));
}

/** The raw quotes contract (lib/raw/quotes-contract.ts) as a Spark schema: DECIMAL(p, s) stays exact, as Spark reads it from the file. */
export function rawQuotesSchema(columns: readonly QuoteColumn[]): SchemaColumn[] {
  return columns.map(({ name, column }) => {
    switch (column.type) {
      case 'string':
        return { name, type: 'StringType', nullable: column.nullable };
      case 'date':
        return { name, type: 'DateType', nullable: false };
      case 'int':
        return { name, type: 'IntegerType', nullable: false };
      case 'bigint':
        return { name, type: 'LongType', nullable: false };
      case 'decimal':
        return { name, type: { decimal: { precision: column.precision, scale: column.scale } }, nullable: false };
    }
  });
}

export interface WholeDaysBodyOptions {
  /** `s3://bucket/raw/<dataset>/`: the dataset whose days are `dt=YYYY-MM-DD/` under it. */
  readonly datasetUri: string;
  /** The batch column naming each row's day (`portfolio_date` of a portfolio, `session_date` of quotes). */
  readonly dayColumn: string;
  /** The dataset's columns in order, from its contract. */
  readonly columns: readonly SchemaColumn[];
}

/**
 * Widens the bookmark's batch to the complete days it touches: a day's refined partitions are
 * purged and rewritten, so they must be rebuilt from every raw object of that day (all indexes),
 * not only the new one (a quotes day is one object: the node then only types the batch). A run whose bookmark finds nothing new gets a frame without columns;
 * it gets the dataset's schema instead, so the run succeeds and writes nothing.
 */
export function wholeDaysBody(opts: WholeDaysBodyOptions): string {
  const types = [...new Set(opts.columns.map((c) => sparkTypeClass(c.type)))].sort();
  const fields = opts.columns.map((c) => `    StructField("${c.name}", ${sparkTypeCall(c.type)}, ${c.nullable ? 'True' : 'False'}),`);
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

// The WholeRawDays CustomCode node as the local executor runs it: whole dt= folders, typed with the dataset's schema.
import type { DuckDBConnection } from '@duckdb/node-api';
import { join } from 'node:path';
import type { SchemaField, WholeDays } from '../../lib/glue-dag/custom-code';
import { lit, q } from '../../lib/glue-dag/to-sql';

const DUCK_OF_SPARK = {
  StringType: 'VARCHAR', DateType: 'DATE', LongType: 'BIGINT', DoubleType: 'DOUBLE', TimestampType: 'TIMESTAMPTZ', IntegerType: 'INTEGER',
} as const;

function duckOfSpark(type: SchemaField['type']): string {
  return typeof type === 'string' ? DUCK_OF_SPARK[type] : `DECIMAL(${type.decimal.precision}, ${type.decimal.scale})`;
}

/** The schema-typed rows of `files` (none: an empty relation of that schema), as `.schema(schema).parquet(...)` reads. */
function typedRead(schema: readonly SchemaField[], files: readonly string[]): string {
  const select = schema.map((f) => `CAST(${q(f.name)} AS ${duckOfSpark(f.type)}) AS ${q(f.name)}`).join(', ');
  if (files.length === 0) return `SELECT ${schema.map((f) => `CAST(NULL AS ${duckOfSpark(f.type)}) AS ${q(f.name)}`).join(', ')} WHERE false`;
  return `SELECT ${select} FROM read_parquet([${files.map(lit).join(', ')}], hive_partitioning = false, union_by_name = true)`;
}

/**
 * The WholeRawDays node: Glue's code reads the complete `dt=<day>/` folders of the days in its
 * batch with the dataset's schema, and an empty schema-typed frame when the batch has no day
 * column (an empty bookmark batch).
 */
export async function wholeDaysSql(
  conn: DuckDBConnection,
  input: string,
  spec: WholeDays,
  inputColumns: readonly string[],
  toLocal: (uri: string) => string,
): Promise<string> {
  if (!inputColumns.includes(spec.dayColumn)) return typedRead(spec.schema, []);
  const days = (await conn.runAndReadAll(`SELECT DISTINCT CAST(${q(spec.dayColumn)} AS VARCHAR) FROM ${q(input)} ORDER BY 1`)).getRowsJS().map((r) => String(r[0]));
  const root = toLocal(spec.s3Prefix);
  return typedRead(spec.schema, days.map((d) => join(root, `${spec.partitionColumn}=${d}`, '*.parquet')));
}

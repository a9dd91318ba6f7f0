import { parquetWriteBuffer, type ColumnSource, type SchemaElement } from 'hyparquet-writer';
import { toEpochDays } from '../calendar/iso-date';
import { RAW_COLUMN_TYPES, RAW_COLUMNS, RawContractError, type RawColumn, type RawRecord } from './raw-contract';

/**
 * The raw contract as an explicit Parquet schema. hyparquet-writer has no DATE basic type,
 * and its TIMESTAMP basic type carries only the legacy converted type; we spell out both the
 * converted and the logical types so Spark, Athena, DuckDB and pyarrow agree
 * (pyarrow reads date32 and timestamp[ms, tz=UTC]).
 */
const repetition = (nullable: boolean) => (nullable ? 'OPTIONAL' : 'REQUIRED') as SchemaElement['repetition_type'];

/** The Parquet element of one raw column, from its contract type. */
function columnSchema(name: RawColumn): SchemaElement {
  const { type, nullable } = RAW_COLUMN_TYPES[name];
  const repetition_type = repetition(nullable);
  switch (type) {
    case 'string':
      return { name, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type };
    case 'date':
      return { name, type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' }, repetition_type };
    case 'bigint':
      return { name, type: 'INT64', repetition_type };
    case 'double':
      return { name, type: 'DOUBLE', repetition_type };
    case 'timestamp':
      return {
        name,
        type: 'INT64',
        converted_type: 'TIMESTAMP_MILLIS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
        repetition_type,
      };
  }
}

/** The full Parquet schema of a raw file: root then the columns in contract order. */
const RAW_PARQUET_SCHEMA: readonly SchemaElement[] = [
  { name: 'schema', num_children: RAW_COLUMNS.length },
  ...RAW_COLUMNS.map(columnSchema),
];

function toInt64(column: string, row: number, value: number): bigint {
  if (!Number.isSafeInteger(value)) {
    throw new RawContractError(`raw: ${column} in row ${row} is not a safe integer, got ${value}`);
  }
  return BigInt(value);
}

function columnValues(records: readonly RawRecord[], column: RawColumn): unknown[] {
  switch (column) {
    case 'portfolio_date':
    case 'session_date':
      return records.map((r) => toEpochDays(r[column]));
    case 'theoretical_qty':
    case 'total_theoretical_qty':
      return records.map((r, i) => toInt64(column, i + 1, r[column]));
    case 'ingested_at':
      return records.map((r) => BigInt(r.ingested_at.getTime()));
    default:
      return records.map((r) => r[column]);
  }
}

/**
 * Encodes raw rows as one snappy Parquet file, in memory (the caller decides where it goes).
 * Default encodings only (PLAIN, RLE_DICTIONARY): some Spark readers reject DELTA.
 */
export function encodeRawParquet(records: readonly RawRecord[]): Uint8Array {
  if (records.length === 0) throw new RawContractError('raw: refusing to write an empty portfolio, got 0 rows');
  const columnData = RAW_COLUMNS.map(
    (name) => ({ name, data: columnValues(records, name) }) as ColumnSource,
  );
  const buffer = parquetWriteBuffer({
    columnData,
    schema: [...RAW_PARQUET_SCHEMA],
    codec: 'SNAPPY',
    createdBy: 'b3-pregao-pipeline (hyparquet-writer)',
  });
  return new Uint8Array(buffer);
}

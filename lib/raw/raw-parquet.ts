import { parquetWriteBuffer, type ColumnSource, type SchemaElement } from 'hyparquet-writer';
import { toEpochDays } from '../calendar/iso-date';
import { RAW_COLUMNS, RawContractError, type RawRecord } from './raw-contract';

/**
 * The raw contract as an explicit Parquet schema. hyparquet-writer has no DATE basic type,
 * and its TIMESTAMP basic type carries only the legacy converted type; we spell out both the
 * converted and the logical types so Spark, Athena, DuckDB and pyarrow agree
 * (pyarrow reads date32 and timestamp[ms, tz=UTC]).
 */
const utf8 = (name: string, optional = false): SchemaElement => ({
  name,
  type: 'BYTE_ARRAY',
  converted_type: 'UTF8',
  logical_type: { type: 'STRING' },
  repetition_type: optional ? 'OPTIONAL' : 'REQUIRED',
});
const date = (name: string): SchemaElement => ({
  name,
  type: 'INT32',
  converted_type: 'DATE',
  logical_type: { type: 'DATE' },
  repetition_type: 'REQUIRED',
});
const int64 = (name: string): SchemaElement => ({ name, type: 'INT64', repetition_type: 'REQUIRED' });
const double = (name: string, optional = false): SchemaElement => ({
  name,
  type: 'DOUBLE',
  repetition_type: optional ? 'OPTIONAL' : 'REQUIRED',
});

const COLUMN_SCHEMA: Record<(typeof RAW_COLUMNS)[number], SchemaElement> = {
  index_code: utf8('index_code'),
  portfolio_date: date('portfolio_date'),
  session_date: date('session_date'),
  ticker: utf8('ticker'),
  asset: utf8('asset'),
  share_type: utf8('share_type'),
  sector: utf8('sector', true),
  theoretical_qty: int64('theoretical_qty'),
  weight_pct: double('weight_pct'),
  sector_weight_pct: double('sector_weight_pct', true),
  total_theoretical_qty: int64('total_theoretical_qty'),
  reductor: double('reductor'),
  source: utf8('source'),
  ingested_at: {
    name: 'ingested_at',
    type: 'INT64',
    converted_type: 'TIMESTAMP_MILLIS',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
    repetition_type: 'REQUIRED',
  },
};

/** The full Parquet schema of a raw file: root then the columns in contract order. */
const RAW_PARQUET_SCHEMA: readonly SchemaElement[] = [
  { name: 'schema', num_children: RAW_COLUMNS.length },
  ...RAW_COLUMNS.map((c) => COLUMN_SCHEMA[c]),
];

function toInt64(column: string, row: number, value: number): bigint {
  if (!Number.isSafeInteger(value)) {
    throw new RawContractError(`raw: ${column} in row ${row} is not a safe integer, got ${value}`);
  }
  return BigInt(value);
}

function columnValues(records: readonly RawRecord[], column: (typeof RAW_COLUMNS)[number]): unknown[] {
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

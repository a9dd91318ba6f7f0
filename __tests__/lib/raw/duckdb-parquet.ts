import { DuckDBInstance } from '@duckdb/node-api';
import { lit } from '../../../lib/glue-dag/to-sql';

/** What an independent reader (DuckDB) sees in a Parquet file: SQL types, Parquet types, rows. */
export interface ParquetSeenByDuckDB {
  /** `DESCRIBE`: column name -> SQL type, in file order. */
  readonly sqlTypes: [string, string][];
  /** `parquet_schema()`: physical, converted and logical types and repetition per leaf column. */
  readonly parquetTypes: { name: string; type: string; converted_type: string | null; logical_type: string | null; repetition_type: string }[];
  /** `parquet_metadata()`: compression and encodings per column chunk. */
  readonly chunks: { path_in_schema: string; compression: string; encodings: string }[];
  /** Every row as JSON (DATE as YYYY-MM-DD, BIGINT as a decimal string, TIMESTAMPTZ in UTC). */
  readonly rows: Record<string, unknown>[];
}

export async function readParquetWithDuckDB(file: string, orderBy = 'ticker'): Promise<ParquetSeenByDuckDB> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run("SET TimeZone = 'UTC'");
    const q = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
    const f = lit(file);
    const describe = await q(`DESCRIBE SELECT * FROM read_parquet(${f})`);
    const parquetTypes = (await q(
      `SELECT name, type, converted_type, logical_type, repetition_type FROM parquet_schema(${f}) WHERE type IS NOT NULL`,
    )) as ParquetSeenByDuckDB['parquetTypes'];
    const chunks = (await q(`SELECT path_in_schema, compression, encodings FROM parquet_metadata(${f})`)) as ParquetSeenByDuckDB['chunks'];
    const rows = await q(`SELECT * FROM read_parquet(${f}) ORDER BY ${orderBy}`);
    return { sqlTypes: describe.map((d) => [String(d.column_name), String(d.column_type)]), parquetTypes, chunks, rows };
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

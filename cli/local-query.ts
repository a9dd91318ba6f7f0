import { DuckDBTypeId, type Json } from '@duckdb/node-api';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { localCatalogPath, openCatalogInstance } from '../adapters/duckdb/local-catalog';
import { PipelineError } from '../lib/errors';

export type QueryFormat = 'table' | 'json' | 'csv';
export const QUERY_FORMATS: readonly QueryFormat[] = ['table', 'json', 'csv'];

export interface QueryResult {
  readonly columns: readonly string[];
  /** JSON-ready values: dates and timestamps as text, integers as numbers when exactly representable. */
  readonly rows: readonly Record<string, Json>[];
}

const WIDE_INTEGERS = new Set<DuckDBTypeId>([DuckDBTypeId.BIGINT, DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT]);

/**
 * Runs SQL over the local catalog (`<lake>/catalog.duckdb`, where the executor registers
 * b3_portfolio_refined), so tables are named as in Athena. Opened read-only: a query neither
 * takes the pipeline's write lock nor changes the catalog.
 */
export async function queryLocalCatalog(lakeDir: string, sql: string): Promise<QueryResult> {
  const catalog = localCatalogPath(path.resolve(lakeDir));
  if (!existsSync(catalog)) {
    throw new PipelineError(`query: no local catalog at ${catalog}, got none (run \`npm start\` or \`npm run demo\` first)`);
  }
  const instance = await openCatalogInstance(lakeDir, 'READ_ONLY');
  const conn = await instance.connect();
  try {
    let reader;
    try {
      reader = await conn.runAndReadAll(sql);
    } catch (error) {
      throw new PipelineError(`query: DuckDB refused the SQL, got ${((error as Error).message ?? String(error)).split('\n')[0]}`, { cause: error });
    }
    const columns = reader.columnNames();
    const types = reader.columnTypes();
    // DuckDB's JSON conversion writes BIGINTs (count(*) among them) as text to stay exact;
    // a number is what a reader of the JSON expects whenever it is exact.
    const rows = reader.getRowObjectsJson().map((row) => {
      for (const [i, name] of columns.entries()) {
        const value = row[name];
        if (WIDE_INTEGERS.has(types[i].typeId) && typeof value === 'string' && Number.isSafeInteger(Number(value))) row[name] = Number(value);
      }
      return row;
    });
    return { columns, rows };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

const cellText = (value: Json): string => (value === null ? 'NULL' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/** Aligned columns for people: numbers to the right, NULL spelled out, a row count at the end. */
function formatTable(result: QueryResult): string {
  const { columns, rows } = result;
  const cells = rows.map((row) => columns.map((c) => cellText(row[c])));
  const numeric = columns.map((c) => rows.length > 0 && rows.every((row) => row[c] === null || typeof row[c] === 'number'));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (values: string[]) => values.map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
  return [line([...columns]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line), `(${rows.length} row${rows.length === 1 ? '' : 's'})`].join('\n');
}

/** A JSON array of row objects, one per line, so it is both valid JSON and greppable. */
function formatJson(result: QueryResult): string {
  return result.rows.length === 0 ? '[]' : `[\n${result.rows.map((r) => JSON.stringify(r)).join(',\n')}\n]`;
}

/** RFC 4180: a header line, fields quoted when they hold a comma, quote or line break; NULL is empty. */
function formatCsv(result: QueryResult): string {
  const field = (value: Json | string): string => {
    const text = value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [result.columns.map(field).join(','), ...result.rows.map((r) => result.columns.map((c) => field(r[c])).join(','))].join('\n');
}

export function formatQueryResult(result: QueryResult, format: QueryFormat): string {
  switch (format) {
    case 'table':
      return formatTable(result);
    case 'json':
      return formatJson(result);
    case 'csv':
      return formatCsv(result);
  }
}

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { resolve, join } from 'node:path';
import { PipelineError } from '../../lib/errors';
import { lit, q } from '../../lib/glue-dag/to-sql';
import { D1_VIEW, D1_VIEW_SOURCES, D1_VIEW_SQL } from '../../lib/d1-session/portfolio-d1-view';

/** The local Data Catalog: a DuckDB database inside the lake, tables as views over Parquet. */
const LOCAL_CATALOG_FILE = 'catalog.duckdb';

export function localCatalogPath(lakeDir: string): string {
  return join(resolve(lakeDir), LOCAL_CATALOG_FILE);
}

export interface CatalogTable {
  readonly table: string;
  /** Absolute folder of the Hive-partitioned Parquet. */
  readonly location: string;
  /** Columns in table order, with their DuckDB types. */
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  readonly partitionKeys: readonly string[];
}

/** The view a catalog table is: partition columns typed from the job, not guessed from paths. */
function catalogViewSql(t: CatalogTable): string {
  const glob = [t.location, ...t.partitionKeys.map(() => '*'), '*.parquet'].join('/');
  const hiveTypes = t.partitionKeys
    .map((k) => `${lit(k)}: ${t.columns.find((c) => c.name === k)?.type ?? 'VARCHAR'}`)
    .join(', ');
  const options = t.partitionKeys.length ? `, hive_partitioning = true, hive_types = {${hiveTypes}}` : '';
  return `CREATE OR REPLACE VIEW ${q(t.table)} AS SELECT ${t.columns.map((c) => q(c.name)).join(', ')} FROM read_parquet(${lit(glob)}${options})`;
}

/**
 * Registers or refreshes a table, the local counterpart of the sink's `enableUpdateCatalog`.
 * New partitions need nothing (the view globs them), so an unchanged definition is left alone
 * and a one-day run stays independent of the history's size. Then the catalog's views over
 * tables are created once every table they read is there (Athena's come with the stack).
 */
export async function registerCatalogTable(lakeDir: string, t: CatalogTable): Promise<boolean> {
  const sql = catalogViewSql(t);
  const { conn, close } = await openLocalCatalog(lakeDir);
  try {
    const changed = await replaceIfChanged(conn, t.table, sql);
    await registerCatalogViews(conn);
    return changed;
  } finally {
    close();
  }
}

/** Views defined over catalog tables, with the tables each reads: the same SQL Athena runs. */
const CATALOG_VIEWS: ReadonlyArray<{ readonly name: string; readonly sources: readonly string[]; readonly sql: string }> = [
  { name: D1_VIEW, sources: D1_VIEW_SOURCES, sql: D1_VIEW_SQL },
];

async function registerCatalogViews(conn: DuckDBConnection): Promise<void> {
  const present = new Set((await conn.runAndReadAll('SELECT view_name FROM duckdb_views() WHERE NOT internal')).getRowsJS().map((r) => String(r[0])));
  for (const view of CATALOG_VIEWS) {
    if (!view.sources.every((s) => present.has(s))) continue;
    await replaceIfChanged(conn, view.name, `CREATE OR REPLACE VIEW ${q(view.name)} AS ${view.sql}`);
  }
}

/** Runs a CREATE OR REPLACE VIEW unless the view already holds exactly that definition. */
async function replaceIfChanged(conn: DuckDBConnection, name: string, sql: string): Promise<boolean> {
  const current = (await conn.runAndReadAll(`SELECT comment FROM duckdb_views() WHERE view_name = ${lit(name)} AND NOT internal`)).getRowsJS();
  if (current.length === 1 && current[0][0] === sql) return false;
  await conn.run(sql);
  // The comment records the exact definition so the next run can tell it is unchanged.
  await conn.run(`COMMENT ON VIEW ${q(name)} IS ${lit(sql)}`);
  return true;
}

/** How long an open waits for another process's hold on the catalog file, by default. */
export const CATALOG_WAIT_MS = 30_000;
const RETRY_MS = 50;

const isLockConflict = (error: unknown): boolean => /Could not set lock on file/.test((error as Error)?.message ?? '');

/**
 * Opens the catalog file, waiting while another process holds it: DuckDB lets one read-write
 * process or any number of read-only ones in, and refuses the rest at once. The writer holds it
 * only while it registers a table, so a wait is short; past `waitMs` the refusal is one line,
 * never DuckDB's own message.
 */
export async function openCatalogInstance(lakeDir: string, mode: 'READ_ONLY' | 'READ_WRITE', waitMs = CATALOG_WAIT_MS): Promise<DuckDBInstance> {
  const file = localCatalogPath(lakeDir);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await DuckDBInstance.create(file, { access_mode: mode });
    } catch (error) {
      if (!isLockConflict(error)) throw error;
      if (Date.now() >= deadline) {
        const holder = /\(PID (\d+)\)/.exec((error as Error).message)?.[1];
        throw new PipelineError(`local catalog: ${file} is held by another process, got ${holder ? `pid ${holder}` : 'a holder'} still on it after ${Math.round(waitMs / 1000)} s`, { cause: error });
      }
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  }
}

/** Opens the local catalog read-write for queries by table name (close it when done). */
export async function openLocalCatalog(lakeDir: string): Promise<{ conn: DuckDBConnection; close(): void }> {
  const instance = await openCatalogInstance(lakeDir, 'READ_WRITE');
  const conn = await instance.connect();
  return {
    conn,
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

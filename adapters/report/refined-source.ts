import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { lit } from '../../lib/glue-dag/to-sql';
import { DAILY_TABLE, DAILY_TABLE_PREFIX, REFINED_TABLE, REFINED_TABLE_PREFIX } from '../../lib/refined/refined-contract';
import { localCatalogPath, openCatalogInstance } from '../duckdb/local-catalog';
import { ReportError } from '../../lib/report/report-model';
import { duckdbQuery, type QueryFn } from './refined-report-reader';

/** Where the report reads refined rows from, and how to let go of it. */
export interface RefinedSource {
  readonly query: QueryFn;
  readonly relation: string;
  /** Where histories are read: the day-partitioned table when the lake has it. */
  readonly historyRelation: string;
  readonly sourceLabel: string;
  close(): void;
}

function hasParquet(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).some((f) => f.endsWith('.parquet'));
}

/** `<catalog> (table T; history from D)`, or `<folder> (history from <folder>)`, for progress and errors. */
function sourceLabel(day: string, history: string | null, inCatalog: boolean): string {
  if (inCatalog) return `${day}${history ? `; history from ${history}` : ''})`;
  return history ? `${day} (history from ${history})` : day;
}

/**
 * Opens the lake's refined rows: by name through the local catalog (`<lake>/catalog.duckdb`,
 * read-only, so a running pipeline keeps its write lock) when it exists, otherwise straight from
 * the Hive-partitioned Parquet under `<lake>/refined/b3_portfolio_refined/`. A lake with no refined Parquet is the
 * one clear refusal: nothing to draw yet.
 */
export async function openRefinedSource(lakeDir: string): Promise<RefinedSource> {
  const lake = resolve(lakeDir);
  const refined = join(lake, REFINED_TABLE_PREFIX).replace(/\/$/, '');
  if (!hasParquet(refined)) throw new ReportError(`report: no refined rows in ${refined}, run the pipeline first`);
  const catalog = localCatalogPath(lake);
  const useCatalog = existsSync(catalog);
  let instance: DuckDBInstance;
  try {
    instance = useCatalog ? await openCatalogInstance(lake, 'READ_ONLY') : await DuckDBInstance.create(':memory:');
  } catch (err) {
    // The catalog held past the wait (openCatalogInstance says so in one line), or unreadable.
    throw new ReportError(`report: cannot open ${useCatalog ? catalog : 'DuckDB'}, got ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  const connection = await instance.connect();
  const relation = useCatalog
    ? REFINED_TABLE
    : `read_parquet(${lit(join(refined, '**', '*.parquet'))}, hive_partitioning = true)`;
  // Histories read one object a day from the daily table instead of ~90 from the date × ticker one.
  const daily = join(lake, DAILY_TABLE_PREFIX).replace(/\/$/, '');
  const historyRelation = !hasParquet(daily) ? relation : useCatalog ? DAILY_TABLE : `read_parquet(${lit(join(daily, '*', '*.parquet'))}, hive_partitioning = true)`;
  return {
    query: duckdbQuery(connection),
    relation,
    historyRelation,
    sourceLabel: sourceLabel(useCatalog ? `${catalog} (table ${REFINED_TABLE}` : refined, historyRelation === relation ? null : useCatalog ? DAILY_TABLE : daily, useCatalog),
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

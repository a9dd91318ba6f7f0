import { mkdirSync } from 'node:fs';
import { REFINED_TABLE } from '../../../lib/refined/refined-contract';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseReplayedBody } from '../../../lib/b3/replay';
import { lit } from '../../../lib/glue-dag/to-sql';
import { fixtureBytes } from '../../lib/b3/b3-fixtures';

/**
 * A small refined lake for the report's tests, built from the project's real B3 captures
 * (__tests__/fixtures/b3, see its README): four portfolio days from 2022 to 2025, two from the
 * JSON API (with sectors) and two from the CSV download (sector null, as the contract allows).
 * The refined columns are computed here in plain TypeScript, independently of the Glue DAG.
 */
export interface FixtureRow {
  readonly dt: string;
  readonly ticker: string;
  readonly index_code: string;
  readonly company_name: string;
  readonly share_class: string;
  readonly sector: string | null;
  readonly theoretical_qty: number;
  readonly weight_pct: number;
  readonly sector_total_weight_pct: number | null;
  readonly sector_ticker_count: number | null;
  readonly session_date: string;
  readonly days_since_rebalance: number;
}

/** Capture file → its D-1 session (the B3 trading day before the portfolio date). */
export const CAPTURES: readonly { file: string; sessionDate: string }[] = [
  { file: 'GetPortfolioDay_ptbr_seg2_2022-12-08.json', sessionDate: '2022-12-07' },
  { file: 'IBOVDia_21-08-23.csv', sessionDate: '2023-08-18' }, // a Monday: D-1 is Friday
  { file: 'IBOVDia_15-12-23.csv', sessionDate: '2023-12-14' },
  { file: 'GetPortfolioDay_enus_seg2_2025-04-07.json', sessionDate: '2025-04-04' },
];

function daysSinceRebalance(dt: string): number {
  const [y, m] = dt.split('-').map(Number);
  const startMonth = m >= 9 ? 9 : m >= 5 ? 5 : 1;
  return Math.round((Date.parse(`${dt}T00:00:00Z`) - Date.UTC(y, startMonth - 1, 1)) / 86_400_000);
}

/** The refined rows of the chosen captures (all four by default), in capture order. */
export function fixtureRows(captures = CAPTURES): FixtureRow[] {
  return captures.flatMap(({ file, sessionDate }) => {
    const snap = parseReplayedBody(fixtureBytes(file), 'IBOV');
    const groups = new Map<string, { sum: number; count: number }>();
    for (const r of snap.rows) {
      if (r.sector === null) continue;
      const g = groups.get(r.sector) ?? { sum: 0, count: 0 };
      g.sum += r.weightPct;
      g.count += 1;
      groups.set(r.sector, g);
    }
    return snap.rows.map((r) => {
      const g = r.sector === null ? undefined : groups.get(r.sector);
      return {
        dt: snap.portfolioDate,
        ticker: r.ticker,
        index_code: snap.indexCode,
        company_name: r.asset,
        share_class: r.shareType,
        sector: r.sector,
        theoretical_qty: r.theoreticalQty,
        weight_pct: r.weightPct,
        sector_total_weight_pct: g ? g.sum : null,
        sector_ticker_count: g ? g.count : null,
        session_date: sessionDate,
        days_since_rebalance: daysSinceRebalance(snap.portfolioDate),
      };
    });
  });
}

function sqlValue(v: string | number | null): string {
  if (v === null) return 'NULL';
  return typeof v === 'number' ? String(v) : lit(v);
}

/** The contract's exact types (docs/data-contracts.md), so the reader meets what Glue writes. */
const TABLE_DDL = `CREATE TABLE refined (
  dt DATE, ticker VARCHAR, index_code VARCHAR, company_name VARCHAR, share_class VARCHAR, sector VARCHAR,
  theoretical_qty BIGINT, weight_pct DOUBLE, sector_total_weight_pct DOUBLE, sector_ticker_count BIGINT,
  session_date DATE, days_since_rebalance INTEGER)`;

/** Writes `<lake>/refined/b3_portfolio_refined/dt=…/ticker=…/*.parquet` the way the Glue job does, via DuckDB COPY. */
export async function writeRefinedLake(lakeDir: string, rows: readonly FixtureRow[] = fixtureRows()): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  try {
    await con.run(TABLE_DDL);
    const values = rows.map(
      (r) =>
        `(DATE ${lit(r.dt)}, ${lit(r.ticker)}, ${lit(r.index_code)}, ${lit(r.company_name)}, ${lit(r.share_class)}, ` +
        `${sqlValue(r.sector)}, ${r.theoretical_qty}, ${r.weight_pct}, ${sqlValue(r.sector_total_weight_pct)}, ` +
        `${sqlValue(r.sector_ticker_count)}, DATE ${lit(r.session_date)}, ${r.days_since_rebalance})`,
    );
    await con.run(`INSERT INTO refined VALUES ${values.join(',\n')}`);
    mkdirSync(join(lakeDir, 'refined'), { recursive: true });
    await con.run(`COPY refined TO ${lit(join(lakeDir, 'refined', REFINED_TABLE))} (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (dt, ticker), OVERWRITE_OR_IGNORE)`);
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

/** A local catalog like the pipeline's: `<lake>/catalog.duckdb` with the refined table as a view. */
export async function writeCatalog(lakeDir: string): Promise<void> {
  const instance = await DuckDBInstance.create(join(lakeDir, 'catalog.duckdb'));
  const con = await instance.connect();
  try {
    await con.run(`CREATE VIEW b3_portfolio_refined AS SELECT * FROM read_parquet(${lit(join(lakeDir, 'refined', REFINED_TABLE, '**', '*.parquet'))}, hive_partitioning = true)`);
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

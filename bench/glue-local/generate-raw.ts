/**
 * Synthetic raw history for the benchmarks: `days` weekdays from 2021-01-04, 90 tickers a day,
 * in the exact raw contract types, written by DuckDB as raw/portfolio/dt=<day>/ibov.parquet.
 * Usage: node --import tsx bench/glue-local/generate-raw.ts <lake> <days> [first-day]
 */
import { RAW_PORTFOLIO_PREFIX } from '../../lib/lake/layout';
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const TICKERS_PER_DAY = 90;

async function main(): Promise<void> {
  const [lakeArg, daysArg, firstArg] = process.argv.slice(2);
  const lake = resolve(lakeArg);
  const days = Number(daysArg);
  const first = firstArg ?? '2021-01-04';
  const raw = join(lake, RAW_PORTFOLIO_PREFIX);
  mkdirSync(raw, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: '1GB', preserve_insertion_order: 'false' });
  const conn = await instance.connect();
  // One COPY per 250 days keeps the number of open partition writers bounded.
  await conn.run(`CREATE TABLE days AS SELECT CAST(d AS DATE) AS dt FROM generate_series(DATE '${first}', DATE '${first}' + INTERVAL 3000 DAY, INTERVAL 1 DAY) g(d)
                  WHERE dayofweek(d) BETWEEN 1 AND 5 ORDER BY d LIMIT ${days}`);
  for (let offset = 0; offset < days; offset += 250) {
    await conn.run(`COPY (
      SELECT 'IBOV' AS index_code, d.dt AS portfolio_date, CAST(d.dt - 1 AS DATE) AS session_date,
             printf('TK%02d3', i) AS ticker, 'COMPANY ' || i AS asset, 'ON NM' AS share_type,
             CASE WHEN i % 15 = 0 THEN NULL ELSE 'Sector ' || (i % 12) END AS sector,
             CAST(1000000 + i * 7919 AS BIGINT) AS theoretical_qty,
             round(100.0 / ${TICKERS_PER_DAY} + (CAST(hash(d.dt, i) % 100 AS BIGINT) - 50) / 10000.0, 3) AS weight_pct,
             CAST(NULL AS DOUBLE) AS sector_weight_pct, CAST(90000000 AS BIGINT) AS total_theoretical_qty,
             CAST(16036751.16744128 AS DOUBLE) AS reductor, 'json-api' AS source,
             CAST(d.dt AS TIMESTAMPTZ) AS ingested_at, d.dt AS dt
      FROM (SELECT dt FROM days ORDER BY dt LIMIT 250 OFFSET ${offset}) d, range(${TICKERS_PER_DAY}) r(i)
    ) TO '${raw}' (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (dt), FILENAME_PATTERN 'ibov{i}', OVERWRITE_OR_IGNORE)`);
  }
  const last = (await conn.runAndReadAll('SELECT CAST(max(dt) AS VARCHAR) FROM days')).getRowsJS()[0][0];
  conn.closeSync();
  instance.closeSync();
  process.stdout.write(`${JSON.stringify({ lake, days, first, last })}\n`);
}

main().catch((e) => {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exit(1);
});

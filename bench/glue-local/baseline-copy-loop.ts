/**
 * Baseline for the full rebuild: a per-day loop of hand-written DuckDB statements doing the
 * job's transform, each `COPY … PARTITION_BY (dt, ticker)`. No DAG, no staging, no catalog.
 * Usage: node --import tsx bench/glue-local/baseline-copy-loop.ts <lake> <out-dir>
 */
import { RAW_PORTFOLIO_PREFIX } from '../../lib/lake/layout';
import { DuckDBInstance } from '@duckdb/node-api';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

async function main(): Promise<void> {
  const started = performance.now();
  const [lakeArg, outArg] = process.argv.slice(2);
  const lake = resolve(lakeArg);
  const out = resolve(outArg);
  const days = readdirSync(join(lake, RAW_PORTFOLIO_PREFIX)).filter((d) => d.startsWith('dt=')).map((d) => d.slice(3)).sort();
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  for (const day of days) {
    await conn.run(`COPY (
      WITH t AS (
        SELECT portfolio_date AS dt, ticker, index_code, asset AS company_name, share_type AS share_class, sector,
               theoretical_qty, weight_pct, session_date
        FROM read_parquet('${join(lake, RAW_PORTFOLIO_PREFIX, `dt=${day}`, '*.parquet')}', hive_partitioning = false)
      ), s AS (
        SELECT dt, index_code, sector, sum(weight_pct) AS w, count(ticker) AS n FROM t GROUP BY dt, index_code, sector
      )
      SELECT t.dt, t.ticker, t.index_code, t.company_name, t.share_class, t.sector, t.theoretical_qty, t.weight_pct,
             s.w AS sector_total_weight_pct, s.n AS sector_ticker_count, t.session_date,
             CAST(date_diff('day', make_date(year(t.dt), CASE WHEN month(t.dt) >= 9 THEN 9 WHEN month(t.dt) >= 5 THEN 5 ELSE 1 END, 1), t.dt) AS INTEGER) AS days_since_rebalance
      FROM t LEFT JOIN s ON t.dt = s.dt AND t.index_code = s.index_code AND t.sector = s.sector
    ) TO '${out}' (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (dt, ticker), OVERWRITE_OR_IGNORE)`);
  }
  conn.closeSync();
  instance.closeSync();
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ days: days.length, ms: Math.round(performance.now() - started), maxRssMiB: Math.round(maxRssMiB) })}\n`);
}

main().catch((e) => {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exit(1);
});

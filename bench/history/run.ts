/**
 * Analysts' questions on five years of history, against both refined tables through the same
 * query path (`npm start -- query`'s queryLocalCatalog), as whole processes in one run:
 *  - sector weights over all days, one ticker's weight history (the histories: goal >= 20x
 *    faster on b3_portfolio_daily than on b3_portfolio_refined);
 *  - the top weights of one day (goal: the daily table no slower).
 * Answers are compared equal (same rows, same order, same values). Also counts, from the lake,
 * the objects and partitions each query has to touch in each layout (what Athena lists and GETs).
 * Usage: node --import tsx bench/history/run.ts [days=1250] [repeats=5]
 * Figures are printed and saved under bench/results/ (gitignored).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAILY_TABLE, DAILY_TABLE_PREFIX, REFINED_TABLE, REFINED_TABLE_PREFIX } from '../../lib/refined/refined-contract';
import { median, measure, ratio, ROOT, type Measured } from '../support/measure';

const GLUE_LOCAL = join(ROOT, 'bench', 'glue-local');
const TICKER = 'TK423';

function queries(lastDay: string): Record<string, { sql: (table: string) => string; goal: string }> {
  return {
    sectorWeightsOverAllDays: {
      sql: (t) => `SELECT dt, COALESCE(sector, '(unknown)') AS sector_name, count(*) AS tickers, round(sum(weight_pct), 3) AS weight_pct
                   FROM ${t} WHERE index_code = 'IBOV' GROUP BY 1, 2 ORDER BY 1, 2`,
      goal: '>= 20x faster on the daily table',
    },
    oneTickerHistory: {
      sql: (t) => `SELECT dt, weight_pct, theoretical_qty FROM ${t} WHERE index_code = 'IBOV' AND ticker = '${TICKER}' ORDER BY dt`,
      goal: '>= 20x faster on the daily table',
    },
    topWeightsOfOneDay: {
      sql: (t) => `SELECT ticker, company_name, weight_pct FROM ${t} WHERE index_code = 'IBOV' AND dt = DATE '${lastDay}' ORDER BY weight_pct DESC, ticker LIMIT 10`,
      goal: 'daily table no slower',
    },
  };
}

/** Partition folders (`k=v`) `depth` levels under a folder. */
function partitionsUnder(dir: string, depth: number): number {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.split('/').length === depth && /(^|\/)[a-z_]+=[^/]+$/.test(f)).length;
}

/** Parquet files under a folder (those whose path relative to it passes `keep`). */
function filesUnder(dir: string, keep: (rel: string) => boolean = () => true): number {
  if (!existsSync(dir)) return 0;
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.parquet') && keep(f)).length;
}

function main(): void {
  const days = Number(process.argv[2] ?? 1250);
  const repeats = Number(process.argv[3] ?? 5);
  const work = mkdtempSync(join(tmpdir(), 'bench-history-'));
  const lake = join(work, 'lake');
  try {
    const generated = measure(join(GLUE_LOCAL, 'generate-raw.ts'), [lake, String(days)]);
    const lastDay = String(generated.out.last);
    const built = measure(join(GLUE_LOCAL, 'refine-process.ts'), [lake, '--all']);
    process.stdout.write(`built ${days} days (${generated.out.first}..${lastDay}), ${built.out.rows} rows in each table, in ${built.wallMs} ms\n`);

    const refinedDir = join(lake, REFINED_TABLE_PREFIX);
    const dailyDir = join(lake, DAILY_TABLE_PREFIX);
    const layout = {
      [REFINED_TABLE]: { objects: filesUnder(refinedDir), partitions: partitionsUnder(refinedDir, 2) },
      [DAILY_TABLE]: { objects: filesUnder(dailyDir), partitions: partitionsUnder(dailyDir, 1) },
    };
    const touched = {
      sectorWeightsOverAllDays: { [REFINED_TABLE]: layout[REFINED_TABLE].objects, [DAILY_TABLE]: layout[DAILY_TABLE].objects },
      oneTickerHistory: {
        [REFINED_TABLE]: filesUnder(refinedDir, (f) => f.split('/')[1] === `ticker=${TICKER}`),
        [DAILY_TABLE]: layout[DAILY_TABLE].objects,
      },
      topWeightsOfOneDay: { [REFINED_TABLE]: filesUnder(join(refinedDir, `dt=${lastDay}`)), [DAILY_TABLE]: filesUnder(join(dailyDir, `dt=${lastDay}`)) },
    };

    // The floor of this query path: a process that opens the catalog and answers `SELECT 1`. No
    // layout can make a query's whole process faster than this, so refined ÷ floor bounds any speedup.
    const floorRuns = Array.from({ length: repeats }, () => measure(join(__dirname, 'query-process.ts'), [lake, 'SELECT 1 AS one']));
    const floor = { wallMedianMs: median(floorRuns.map((r) => r.wallMs)), queryMedianMs: median(floorRuns.map((r) => Number(r.out.queryMs))) };
    process.stdout.write(`floor (SELECT 1 through the same path): whole process ${floor.wallMedianMs} ms, the query alone ${floor.queryMedianMs} ms\n`);

    const results: Record<string, unknown> = {};
    for (const [name, q] of Object.entries(queries(lastDay))) {
      const runs: Record<string, Measured[]> = { [REFINED_TABLE]: [], [DAILY_TABLE]: [] };
      // Alternating, so a disturbance of the shared machine hits both sides alike.
      for (let i = 0; i < repeats; i++) for (const table of [REFINED_TABLE, DAILY_TABLE]) runs[table].push(measure(join(__dirname, 'query-process.ts'), [lake, q.sql(table)]));
      const answers = new Set(Object.values(runs).flat().map((r) => `${r.out.rows}:${r.out.sha256}`));
      if (answers.size !== 1) throw new Error(`bench: ${name} answered differently on the two tables, got ${[...answers].join(' vs ')}`);
      const med = (t: string) => median(runs[t].map((r) => r.wallMs));
      const medQuery = (t: string) => median(runs[t].map((r) => Number(r.out.queryMs)));
      const result = {
        rows: runs[DAILY_TABLE][0].out.rows,
        refinedMs: runs[REFINED_TABLE].map((r) => r.wallMs),
        dailyMs: runs[DAILY_TABLE].map((r) => r.wallMs),
        refinedMedianMs: med(REFINED_TABLE),
        dailyMedianMs: med(DAILY_TABLE),
        speedup: ratio(med(REFINED_TABLE), med(DAILY_TABLE)),
        // The query alone (open the catalog, run, read back), without the process's start-up.
        refinedQueryMedianMs: medQuery(REFINED_TABLE),
        dailyQueryMedianMs: medQuery(DAILY_TABLE),
        querySpeedup: ratio(medQuery(REFINED_TABLE), medQuery(DAILY_TABLE)),
        refinedPeakRssMiB: Math.max(...runs[REFINED_TABLE].map((r) => r.peakRssMiB)),
        dailyPeakRssMiB: Math.max(...runs[DAILY_TABLE].map((r) => r.peakRssMiB)),
        // The best speedup any daily layout could reach through this path (the daily side at the floor).
        speedupBound: ratio(med(REFINED_TABLE), floor.wallMedianMs),
        objectsTouched: touched[name as keyof typeof touched],
        goal: q.goal,
      };
      results[name] = result;
      process.stdout.write(
        `${name}: ${REFINED_TABLE} median ${result.refinedMedianMs} ms (peak ${result.refinedPeakRssMiB} MiB, ${result.objectsTouched[REFINED_TABLE]} objects), ` +
          `${DAILY_TABLE} median ${result.dailyMedianMs} ms (peak ${result.dailyPeakRssMiB} MiB, ${result.objectsTouched[DAILY_TABLE]} objects): ${result.speedup}x; ` +
          `the query alone ${result.refinedQueryMedianMs} vs ${result.dailyQueryMedianMs} ms: ${result.querySpeedup}x; at most ${result.speedupBound}x through this path; same ${result.rows} rows (goal: ${q.goal})\n`,
      );
    }
    const out = { when: new Date().toISOString(), machine: { cpus: cpus().length, node: process.version }, days, repeats, layout, floor, queries: results, loadAverage: loadavg() };
    const dir = join(ROOT, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `history-${out.when.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
    process.stdout.write(`saved ${file}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();

/**
 * Benchmarks of the local Glue executor, whole processes with their baselines in the same run:
 *  (a) `refine --date` of one new day with five years of history in the lake vs on a lake
 *      holding only that day — goal at most 1.5x;
 *  (b) `refine --all` over five years (1,250 days x 90 tickers = 112,500 partitions) vs a
 *      per-day loop of hand-written DuckDB COPY … PARTITION_BY (dt, ticker) — goal at most
 *      1.5x, peak RSS under 1 GiB.
 * Usage: node --import tsx bench/glue-local/run.ts [days=1250] [repeats=5] [rounds=2]
 * Figures are printed and saved under bench/results/ (gitignored).
 */
import { RAW_PORTFOLIO_PREFIX } from '../../lib/lake/layout';
import { median, measure as measureProcess, ratio, ROOT, type Measured } from '../support/measure';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const HERE = __dirname;
const measure = (script: string, args: readonly string[]): Measured => measureProcess(join(HERE, script), args);

function main(): void {
  const days = Number(process.argv[2] ?? 1250);
  const repeats = Number(process.argv[3] ?? 5);
  const rounds = Number(process.argv[4] ?? 2);
  const work = mkdtempSync(join(tmpdir(), 'bench-glue-local-'));
  const history = join(work, 'history-lake');
  const empty = join(work, 'empty-lake');
  try {
    const generated = measure('generate-raw.ts', [history, String(days)]);
    const lastDay = String(generated.out.last);
    process.stdout.write(`generated ${days} raw days (${generated.out.first}..${lastDay}) in ${generated.wallMs} ms\n`);

    // (b) full rebuild, alternating baseline and executor `rounds` times on the same raw
    // history (the machine is shared: the best of each is the least disturbed); outputs are
    // removed between rounds, outside the timings, so every run writes into an empty zone.
    const baselineRuns: Measured[] = [];
    const rebuildRuns: Measured[] = [];
    for (let round = 0; round < rounds; round++) {
      rmSync(join(work, 'baseline-out'), { recursive: true, force: true });
      const b = measure('baseline-copy-loop.ts', [history, join(work, 'baseline-out')]);
      baselineRuns.push(b);
      process.stdout.write(`(b) baseline COPY loop: ${b.wallMs} ms, peak RSS ${b.peakRssMiB} MiB\n`);
      rmSync(join(history, 'refined'), { recursive: true, force: true });
      rmSync(join(history, '.bookmarks'), { recursive: true, force: true });
      rmSync(join(history, 'catalog.duckdb'), { force: true });
      const r = measure('refine-process.ts', [history, '--all']);
      rebuildRuns.push(r);
      process.stdout.write(`(b) refine --all: ${r.wallMs} ms, peak RSS ${r.peakRssMiB} MiB, ${r.out.rows} rows\n`);
    }
    rmSync(join(work, 'baseline-out'), { recursive: true, force: true });
    const best = (runs: readonly Measured[]) => Math.min(...runs.map((r) => r.wallMs));
    const rebuild = rebuildRuns[rebuildRuns.length - 1];

    // (a) one new day arrives after the history; the empty lake holds only that day.
    const next = measure('generate-raw.ts', [history, '1', nextWeekday(lastDay)]);
    measure('generate-raw.ts', [empty, '1', String(next.out.first)]);
    const day = String(next.out.first);
    const onEmpty: number[] = [];
    const onHistory: number[] = [];
    for (let i = 0; i < repeats; i++) {
      onEmpty.push(measure('refine-process.ts', [empty, '--date', day]).wallMs);
      onHistory.push(measure('refine-process.ts', [history, '--date', day]).wallMs);
    }
    // (a') the same day as a plain run finds it, through the job bookmark: the history lake's
    // bookmark knows its 1,250 days (from --all above) and must list them all to find the new one.
    // Touching the day's object before each run (outside the timing) makes it new again.
    const bookmarkEmpty: number[] = [];
    const bookmarkHistory: number[] = [];
    const dayObject = (lake: string) => join(lake, RAW_PORTFOLIO_PREFIX, `dt=${day}`);
    const touch = (lake: string, i: number) => {
      for (const f of readdirSync(dayObject(lake))) utimesSync(join(dayObject(lake), f), new Date(), new Date(Date.now() + (i + 1) * 1000));
    };
    for (let i = 0; i < repeats; i++) {
      touch(empty, i);
      const e = measure('refine-process.ts', [empty, '--bookmark']);
      touch(history, i);
      const h = measure('refine-process.ts', [history, '--bookmark']);
      if (e.out.days !== 1 || h.out.days !== 1) throw new Error(`bench: a bookmark run should rebuild one day, got ${e.out.days} and ${h.out.days}`);
      bookmarkEmpty.push(e.wallMs);
      bookmarkHistory.push(h.wallMs);
    }
    const results = {
      when: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version },
      oneDay: {
        day, historyDays: days, repeats,
        emptyLakeMs: onEmpty, historyLakeMs: onHistory,
        emptyMedianMs: median(onEmpty), historyMedianMs: median(onHistory),
        ratio: ratio(median(onHistory), median(onEmpty)), goal: 1.5,
      },
      oneDayBookmark: {
        day, historyDays: days, repeats,
        emptyLakeMs: bookmarkEmpty, historyLakeMs: bookmarkHistory,
        emptyMedianMs: median(bookmarkEmpty), historyMedianMs: median(bookmarkHistory),
        ratio: ratio(median(bookmarkHistory), median(bookmarkEmpty)), goal: 1.5,
      },
      rebuild: {
        days, partitions: Number(rebuild.out.rows), rounds,
        baselineMs: baselineRuns.map((r) => r.wallMs), baselinePeakRssMiB: Math.max(...baselineRuns.map((r) => r.peakRssMiB)),
        refineAllMs: rebuildRuns.map((r) => r.wallMs), refineAllPeakRssMiB: Math.max(...rebuildRuns.map((r) => r.peakRssMiB)),
        bestBaselineMs: best(baselineRuns), bestRefineAllMs: best(rebuildRuns),
        ratio: ratio(best(rebuildRuns), best(baselineRuns)), goal: 1.5, rssGoalMiB: 1024,
      },
      loadAverage: loadavg(),
    };
    process.stdout.write(`(a) one day ${day}: empty lake median ${results.oneDay.emptyMedianMs} ms, with ${days} days of history ${results.oneDay.historyMedianMs} ms, ratio ${results.oneDay.ratio} (goal <= 1.5)\n`);
    process.stdout.write(`(a') the same day through the bookmark: empty lake median ${results.oneDayBookmark.emptyMedianMs} ms, with ${days} days of history ${results.oneDayBookmark.historyMedianMs} ms, ratio ${results.oneDayBookmark.ratio} (goal <= 1.5)\n`);
    process.stdout.write(`(b) rebuild best ${results.rebuild.bestRefineAllMs} ms vs baseline best ${results.rebuild.bestBaselineMs} ms: ratio ${results.rebuild.ratio} (goal <= 1.5), peak RSS ${results.rebuild.refineAllPeakRssMiB} MiB (goal < 1024)\n`);
    const dir = join(ROOT, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `glue-local-${results.when.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`saved ${file}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function nextWeekday(day: string): string {
  const t = new Date(`${day}T00:00:00Z`);
  do t.setUTCDate(t.getUTCDate() + 1);
  while (t.getUTCDay() === 0 || t.getUTCDay() === 6);
  return t.toISOString().slice(0, 10);
}

main();

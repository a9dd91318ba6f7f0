import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import * as path from 'node:path';
import { runGlueJobLocally } from '../../adapters/duckdb/run-glue-job-locally';
import { withLakeLock } from '../../adapters/storage/lake-lock';
import { LOCAL_JOB } from '../../cli/commands/refine';
import { LAKE_WAIT_ENV } from '../../cli/lake-access';
import { b3PortfolioRefinedJob } from '../../glue-jobs/b3-portfolio-refined';
import { writeRawCaptures } from '../adapters/duckdb/raw-from-captures';
import { CAPTURE_FACTS } from './capture-facts';
import { cli, type CliRun } from './cli-process';

/** Each day's row count as the captures themselves say (read without the project's parser). */
const EXPECTED = Object.fromEntries(CAPTURE_FACTS.map((c) => [c.portfolioDate, c.weights.length]));
const PER_DAY = 'SELECT CAST(dt AS VARCHAR) AS dt, count(*) AS n FROM b3_portfolio_refined GROUP BY dt ORDER BY dt';
/** What DuckDB says when two processes want its file; no command may ever print it. */
const RAW_LOCK_ERROR = /Could not set lock|Conflicting lock|IO Error/;

describe('one lake lock', () => {
  let dir: string;
  let lake: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lake-lock-'));
    lake = path.join(dir, 'lake');
    writeRawCaptures(lake);
    await runGlueJobLocally({ job: b3PortfolioRefinedJob(LOCAL_JOB), lakeDir: lake, all: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serializes concurrent writers, and readers meanwhile see every day whole and no DuckDB lock error', async () => {
    const writers = ['refine', 'refine', 'refine', 'refine'].map(() => cli(['refine', '--all', '--lake', lake], dir));
    let writing = true;
    const all = Promise.all(writers).finally(() => (writing = false));
    const reads: CliRun[] = [];
    const reader = async (args: string[]) => {
      while (writing) reads.push(await cli(args, dir));
    };
    await Promise.all([
      reader(['query', PER_DAY, '--format', 'json', '--lake', lake]),
      reader(['report', '--lake', lake, '--out', path.join(dir, 'report.html')]),
      all,
    ]);
    const done = await all;
    const rawErrors = [...done, ...reads].filter((r) => RAW_LOCK_ERROR.test(r.stderr)).length;
    const waited = done.filter((r) => /^lake lock: .* is held by pid \d+ on .* \(refine, since .*\); waiting up to 60 s$/m.test(r.stderr)).length;
    console.log(`lake lock test: ${done.length} concurrent writers, ${waited} waited, ${reads.length} reads meanwhile, ${rawErrors} raw lock errors`);
    expect(rawErrors).toBe(0);
    for (const w of done) {
      expect(w.code).toBe(0);
      expect(w.stdout).toMatch(/^refined 350 rows for 4 day\(s\) 2022-12-08\.\.2025-04-07 /);
    }
    // Only one held the lake at a time, so the others said whom they waited for.
    expect(waited).toBeGreaterThanOrEqual(1);
    expect(reads.length).toBeGreaterThan(0);
    for (const r of reads) {
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      if (r.stdout.startsWith('[')) expect(Object.fromEntries((JSON.parse(r.stdout) as { dt: string; n: number }[]).map((d) => [d.dt, d.n]))).toEqual(EXPECTED);
      else expect(r.stdout).toMatch(/ 4 day\(s\) in the lake\n/);
    }
  }, 180_000);

  it('fails a writer that waited past the bound with the holder named and one error line, writing nothing', async () => {
    const run = await withLakeLock(lake, { command: 'backfill', waitMs: 0 }, () => cli(['scrape', '--replay', path.join(__dirname, '../fixtures/b3', CAPTURE_FACTS[0].file), '--lake', lake], dir, { [LAKE_WAIT_ENV]: '1' }));
    const holder = `pid ${process.pid} on ${hostname()} \\(backfill, since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\)`;
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      new RegExp(`^lake lock: ${lake} is held by ${holder}; waiting up to 1 s\\nerror: lake lock: ${lake} is held by another writer, got ${holder} still holding it after 1 s\\n$`),
    );
  });
});

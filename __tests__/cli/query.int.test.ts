import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runGlueJobLocally } from '../../adapters/duckdb/run-glue-job-locally';
import { b3PortfolioRefinedJob } from '../../glue-jobs/b3-portfolio-refined';
import { writeRawCaptures } from '../adapters/duckdb/raw-from-captures';
import { CAPTURE_FACTS, FIXTURES, factsOf } from './capture-facts';
import { cli, ROOT } from './cli-process';
import { CSV_2024_11_11_SECTORS } from '../lib/b3/b3-fixtures';
import { refinePortfolioCapture } from '../support/d1-lake';
import { refineQuotesFixture } from '../support/quotes-refined-from-fixture';

const QUERIES = path.join(ROOT, 'athena', 'queries');
const namedQueries = (): string[] => readdirSync(QUERIES).filter((f) => f.endsWith('.sql')).sort();
/** A query over the view needs the D-1 quotes in the lake: the lake of the second describe. */
const readsView = (file: string): boolean => /\bb3_portfolio_d1\b/.test(readFileSync(path.join(QUERIES, file), 'utf8'));

describe('npm start -- query over the local catalog', () => {
  let dir: string;
  beforeAll(async () => {
    // A lake with the four captured days refined and cataloged by the local executor.
    dir = mkdtempSync(path.join(tmpdir(), 'cli-query-'));
    const lake = path.join(dir, 'lake');
    writeRawCaptures(lake);
    await runGlueJobLocally({ job: b3PortfolioRefinedJob({ jobName: 'b3-portfolio-refined', roleArn: 'arn:aws:iam::000000000000:role/local', bucket: 'local-lake' }), lakeDir: lake, all: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts the refined rows as a JSON array of row objects: one row per ticker of each captured day', async () => {
    const expected = CAPTURE_FACTS.reduce((n, c) => n + c.weights.length, 0);
    expect(expected).toBe(92 + 85 + 86 + 87);
    const run = await cli(['query', 'SELECT count(*) AS n FROM b3_portfolio_refined', '--format', 'json'], dir);
    const daily = await cli(['query', 'SELECT count(*) AS n, count(DISTINCT dt) AS days FROM b3_portfolio_daily', '--format', 'json'], dir);
    expect(daily).toEqual({ code: 0, stdout: '[\n{"n":350,"days":4}\n]\n', stderr: '' });
    expect(run).toEqual({ code: 0, stdout: `[\n{"n":${expected}}\n]\n`, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual([{ n: expected }]);
  });

  it('runs the named Athena query top-weights-of-day unchanged', async () => {
    const facts = factsOf('2025-04-07');
    const expected = [...facts.weights]
      .sort((a, b) => b.weight - a.weight || (a.ticker < b.ticker ? -1 : 1))
      .slice(0, 10)
      .map((w) => ({ dt: '2025-04-07', ticker: w.ticker, weight_pct: w.weight }));
    const run = await cli(['query', '--file', 'athena/queries/top-weights-of-day.sql', '--format', 'json', '--lake', path.join(dir, 'lake')], ROOT);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const rows = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(rows.map((r) => ({ dt: r.dt, ticker: r.ticker, weight_pct: r.weight_pct }))).toEqual(expected);
    expect(Object.keys(rows[0])).toEqual(['dt', 'ticker', 'company_name', 'sector', 'weight_pct']);
  });

  it('runs every named query file over the portfolio tables, each giving rows', async () => {
    const files = namedQueries().filter((f) => !readsView(f));
    expect(files.length).toBeGreaterThanOrEqual(4);
    const runs = await Promise.all(files.map((f) => cli(['query', '--file', path.join(QUERIES, f), '--format', 'json'], dir)));
    runs.forEach((run, i) => {
      expect([files[i], run.code, run.stderr]).toEqual([files[i], 0, '']);
      expect((JSON.parse(run.stdout) as unknown[]).length).toBeGreaterThan(0);
    });
  });

  it('writes CSV with a header, quoting fields that hold a comma', async () => {
    // The 2022 capture's sector names, read straight from the file (its accents were damaged when recorded).
    const body = JSON.parse(readFileSync(path.join(FIXTURES, 'GetPortfolioDay_ptbr_seg2_2022-12-08.json'), 'utf8')) as { results: { cod: string; segment: string }[] };
    const sector = (t: string) => body.results.find((r) => r.cod === t)!.segment;
    const weight = (t: string) => factsOf('2022-12-08').weights.find((w) => w.ticker === t)!.weight;
    expect(sector('PETR4')).toContain(',');
    const run = await cli(
      ['query', "SELECT dt, ticker, sector, weight_pct FROM b3_portfolio_refined WHERE dt = DATE '2022-12-08' AND ticker IN ('VALE3', 'PETR4') ORDER BY ticker", '--format', 'csv'],
      dir,
    );
    expect(run).toEqual({
      code: 0,
      stdout: `dt,ticker,sector,weight_pct\n2022-12-08,PETR4,"${sector('PETR4')}",${weight('PETR4')}\n2022-12-08,VALE3,${sector('VALE3')},${weight('VALE3')}\n`,
      stderr: '',
    });
  });

  it('prints an aligned table by default, with the row count', async () => {
    const run = await cli(['query', 'SELECT dt, count(*) AS n FROM b3_portfolio_refined GROUP BY dt ORDER BY dt'], dir);
    const rows = CAPTURE_FACTS.map((c) => `${c.portfolioDate}  ${String(c.weights.length).padStart(2)}`);
    expect(run).toEqual({ code: 0, stdout: ['dt           n', '----------  --', ...rows, '(4 rows)', ''].join('\n'), stderr: '' });
  });

  it('keeps integers exact: a number when safe, text beyond 2^53; NULL as null', async () => {
    const run = await cli(['query', 'SELECT 9007199254740993::BIGINT AS big, 42::BIGINT AS small, sum(1::BIGINT) AS hugeint_sum, NULL::VARCHAR AS nothing', '--format', 'json'], dir);
    expect(run).toEqual({ code: 0, stdout: '[\n{"big":"9007199254740993","small":42,"hugeint_sum":1,"nothing":null}\n]\n', stderr: '' });
  });

  it('fails with one line and exit 1 on SQL DuckDB refuses, a missing file or a lake with no catalog', async () => {
    const [bad, missingFile, noCatalog] = await Promise.all([
      cli(['query', 'SELEC 1'], dir),
      cli(['query', '--file', 'nope.sql'], dir),
      cli(['query', 'SELECT 1', '--lake', 'empty'], dir),
    ]);
    expect(bad).toEqual({ code: 1, stdout: '', stderr: 'error: query: DuckDB refused the SQL, got Parser Error: syntax error at or near "SELEC"\n' });
    expect(missingFile).toEqual({ code: 1, stdout: '', stderr: `error: query: cannot read the SQL file, got ENOENT for ${path.join(dir, 'nope.sql')}\n` });
    expect(noCatalog).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: query: no local catalog at ${path.join(dir, 'empty', 'catalog.duckdb')}, got none (run \`npm start\` or \`npm run demo\` first)\n`,
    });
    expect(readdirSync(dir)).toEqual(['lake']);
  });

  it('answers usage mistakes with exit 2 and the help', async () => {
    const cases: Array<[string[], string]> = [
      [['query'], 'error: query: give exactly one of "SQL" or --file FILE, got neither'],
      [['query', 'SELECT 1', '--file', 'x.sql'], 'error: query: give exactly one of "SQL" or --file FILE, got both'],
      [['query', 'SELECT', '1'], 'error: query: give the SQL as one quoted argument, got 2 arguments'],
      [['query', 'SELECT 1', '--format', 'xml'], 'error: query: --format must be one of table, json, csv, got "xml"'],
      [['query', '  '], 'error: query: the SQL is empty, got only whitespace'],
    ];
    const runs = await Promise.all(cases.map(([args]) => cli(args, dir)));
    runs.forEach((run, i) => {
      expect([run.code, run.stdout, run.stderr.split('\n').slice(0, 3)]).toEqual([
        2,
        '',
        [cases[i][1], '', 'Usage: npm start -- query ("SQL" | --file FILE) [--format table|json|csv] [--lake DIR] [--verbose]'],
      ]);
    });
  });
});

describe('npm start -- query over the view b3_portfolio_d1', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cli-query-d1-'));
    await refinePortfolioCapture(path.join(dir, 'lake'), CSV_2024_11_11_SECTORS, '2024-11-08');
    await refineQuotesFixture(path.join(dir, 'lake'), 'COTAHIST_D08112024.ZIP');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers by name with the D-1 quote beside the portfolio row: PETR4 on 2024-11-08', async () => {
    const run = await cli(['query', "SELECT dt, session_date, ticker, close_price, volume_brl, trades FROM b3_portfolio_d1 WHERE ticker = 'PETR4'", '--format', 'json'], dir);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(JSON.parse(run.stdout)).toEqual([{ dt: '2024-11-11', session_date: '2024-11-08', ticker: 'PETR4', close_price: 36.18, volume_brl: 1_790_870_570, trades: 80_702 }]);
  });

  it('runs every named query file over the view, each giving rows', async () => {
    const files = namedQueries().filter(readsView);
    expect(files).toEqual(['d1-index-level-history.sql', 'd1-session-movers.sql', 'd1-weight-check.sql']);
    const runs = await Promise.all(files.map((f) => cli(['query', '--file', path.join(QUERIES, f), '--format', 'json'], dir)));
    runs.forEach((run, i) => {
      expect([files[i], run.code, run.stderr]).toEqual([files[i], 0, '']);
      expect((JSON.parse(run.stdout) as unknown[]).length).toBeGreaterThan(0);
    });
  });

  it('runs the named query d1-index-level-history unchanged: 127,830 points at the 2024-11-08 close', async () => {
    const run = await cli(['query', '--file', 'athena/queries/d1-index-level-history.sql', '--format', 'json', '--lake', path.join(dir, 'lake')], ROOT);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const [row] = JSON.parse(run.stdout);
    expect(row).toMatchObject({ dt: '2024-11-11', session_date: '2024-11-08', constituents: 86, quoted: 86 });
    expect(Math.abs(row.index_level - 127_830)).toBeLessThanOrEqual(1);
  });
});

import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { parse } from 'node-html-parser';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CAPTURE_FACTS, largest } from './capture-facts';
import { cli, npmRun } from './cli-process';

describe('npm run demo', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cli-demo-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('replays the four captured days and a day with its D-1 quotes through the pipeline, then shows a query and the report', async () => {
    const lake = path.join(dir, 'demo-lake');
    const run = await cli(['demo', '--lake', lake], dir);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual(
      CAPTURE_FACTS.map(
        (c) =>
          `IBOV ${c.portfolioDate} (D-1 ${c.sessionDate}, ${c.source}): ${c.weights.length} raw rows -> ${c.weights.length} refined rows in ${c.weights.length} partitions; largest ${largest(c, 5)}`,
      ),
    );
    // The fifth day comes with B3's COTAHIST of its D-1 session: the cross-source check of issue 10's real pair.
    expect(lines[4]).toMatch(/^IBOV 2024-11-11 \(D-1 2024-11-08, csv-download\): 86 raw rows -> 86 refined rows in 86 partitions; largest VALE3 /);
    expect(lines.slice(5, 8)).toEqual([
      '  cross-source check: B3 weights reproduced from the D-1 closes: 86/86 tickers, max deviation 0.0009 pp',
      '  IBOV at the D-1 close 2024-11-08: 127,830 points (Σ qty × close ÷ reductor)',
      `raw: ${path.join(lake, 'raw/portfolio/')}; refined: ${path.join(lake, 'refined/b3_portfolio_refined/')}; table b3_portfolio_refined in ${path.join(lake, 'catalog.duckdb')}`,
    ]);
    // The named query's table: the ten heaviest tickers of the latest day.
    const latest = CAPTURE_FACTS[CAPTURE_FACTS.length - 1];
    const queryAt = lines.indexOf('$ npm start -- query --file athena/queries/top-weights-of-day.sql');
    expect(queryAt).toBe(9);
    expect(lines[queryAt + 1].split(/ +/)).toEqual(['dt', 'ticker', 'company_name', 'sector', 'weight_pct']);
    const tickers = lines.slice(queryAt + 3, queryAt + 13).map((l) => l.split(/ +/).slice(0, 2).join(' '));
    expect(tickers).toEqual(largest(latest, 10).split(', ').map((w) => `${latest.portfolioDate} ${w.split(' ')[0]}`));
    expect(lines[queryAt + 13]).toBe('(10 rows)');
    // The report, written into the lake.
    const reportPath = path.join(lake, 'reports', 'ibov-report.html');
    expect(lines.slice(queryAt + 15, queryAt + 19)).toEqual([
      '$ npm start -- report',
      `report written: ${reportPath} (${statSync(reportPath).size} bytes)`,
      `IBOV portfolio ${latest.portfolioDate} (D-1 session ${latest.sessionDate}): ${latest.weights.length} rows, 5 day(s) in the lake`,
      `largest weights: ${largest(latest, 5)}`,
    ]);
    // The last hint, run: the report of the day that has its D-1 quotes shows the pregão D-1 section.
    expect(lines.at(-2)).toBe('      npm start -- report --date 2024-11-11   (the report of the day with its D-1 quotes: the pregão D-1 section)');
    const d1Report = await cli(['report', '--date', '2024-11-11', '--lake', lake, '--out', path.join(dir, 'd1-report.html')], dir);
    expect([d1Report.code, d1Report.stdout.split('\n')[1]]).toEqual([0, 'IBOV portfolio 2024-11-11 (D-1 session 2024-11-08): 86 rows, 4 day(s) in the lake']);
    const d1 = parse(readFileSync(path.join(dir, 'd1-report.html'), 'utf8')).querySelector('section#d1')!;
    expect(d1.querySelector('p.check')!.text).toBe('B3 weights reproduced from the D-1 closes: 86/86 tickers, max deviation 0.0009 pp');
    expect(d1.querySelector('figure#d1-session > svg')).not.toBeNull();
    // Raw, refined, the catalog, the bookmark and the report are left in the lake, and nothing
    // else but the commit generation readers check (no staging, no lock, no unfinished commit).
    expect(readdirSync(lake).sort()).toEqual(['.bookmarks', '.commits', 'catalog.duckdb', 'raw', 'refined', 'reports']);
    expect(readdirSync(path.join(lake, '.commits'))).toEqual(['generation']);
    expect(readdirSync(path.join(lake, 'raw/quotes'))).toEqual(['dt=2024-11-08']);
    expect(readdirSync(path.join(lake, 'refined/b3_quotes_refined'))).toEqual(['dt=2024-11-08']);
    for (const c of CAPTURE_FACTS) {
      expect(readdirSync(path.join(lake, 'raw/portfolio', `dt=${c.portfolioDate}`))).toEqual(['ibov.parquet']);
      expect(readdirSync(path.join(lake, 'refined/b3_portfolio_refined', `dt=${c.portfolioDate}`))).toHaveLength(c.weights.length);
    }
  });

  it('as the npm script, again over the same lake: replaces the days, the count stays that of the captures', async () => {
    const lake = path.join(dir, 'demo-lake');
    const again = await npmRun('demo', ['--lake', lake], dir);
    expect([again.code, again.stderr]).toEqual([0, '']);
    expect(again.stdout.split('\n')[0]).toBe(`IBOV 2022-12-08 (D-1 2022-12-07, json-api): 92 raw rows -> 92 refined rows in 92 partitions; largest ${largest(CAPTURE_FACTS[0], 5)}`);
    const count = await cli(['query', 'SELECT count(*) AS n, count(DISTINCT dt) AS days FROM b3_portfolio_refined', '--format', 'json', '--lake', lake], dir);
    expect(count).toEqual({ code: 0, stdout: `[\n{"n":${92 + 85 + 86 + 87 + 86},"days":5}\n]\n`, stderr: '' });
  }, 90_000);

  it('shows its progress on stderr with --verbose, and its help', async () => {
    const [verbose, help] = await Promise.all([cli(['demo', '--lake', path.join(dir, 'verbose-lake'), '--verbose'], dir), cli(['demo', '--help'], dir)]);
    expect(verbose.code).toBe(0);
    const steps = verbose.stderr.split('\n').filter((l) => l.startsWith('demo: '));
    expect(steps).toEqual([
      ...CAPTURE_FACTS.map((c, i) => `demo: ${i + 1}/5 replaying ${c.file}`),
      "demo: 5/5 replaying IBOVDia_11-11-24.csv with its D-1 session's COTAHIST_D08112024.ZIP",
      'demo: query athena/queries/top-weights-of-day.sql',
      'demo: building the report',
    ]);
    expect([help.code, help.stdout.split('\n')[0]]).toEqual([0, 'Usage: npm run demo [-- --lake DIR] [--verbose]']);
  });

  it('answers a usage mistake with exit 2 and writes nothing', async () => {
    const run = await cli(['demo', '--lake'], dir);
    expect([run.code, run.stdout, run.stderr.split('\n')[0]]).toEqual([2, '', "error: demo: Option '--lake <value>' argument missing"]);
  });
});

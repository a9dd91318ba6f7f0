import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { portfolioJsonPath } from '../../lib/b3/sources';
import { b3TradingCalendar } from '../../lib/calendar/trading-calendar';
import { rawObjectKey } from '../../lib/raw/raw-key';
import { liveSessionDate, redatedJson } from '../adapters/b3-http/live-capture';
import { CLOUDFLARE_CHALLENGE, ReplayServer } from '../adapters/b3-http/replay-server';
import { freePort } from '../support/free-port';
import { FIXTURES, factsOf, largest } from './capture-facts';
import { cli } from './cli-process';
import { CSV_2021_03_26, CSV_2024_11_11_SECTORS } from '../lib/b3/b3-fixtures';
import { COTAHIST_DIR, redatedCotahistZip, TXT_2021_03_26, ZIP_2024_11_08 } from '../lib/cotahist/cotahist-fixtures';
import { cotahistDailyPath } from '../../lib/cotahist/source';
import { refineQuotesFixture } from '../support/quotes-refined-from-fixture';

const RUN_ID = /job run local-[0-9a-f-]{36}\)/g;

describe('npm start -- run (local target)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cli-run-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replays a capture through raw, the S3 event, the trigger and the job, and prints the summary', async () => {
    const facts = factsOf('2023-08-21');
    const lake = path.join(dir, 'my-lake');
    const expected = [
      'IBOV portfolio 2023-08-21 (D-1 session 2023-08-18), source csv-download',
      `  raw: 85 rows -> ${path.join(lake, 'raw/portfolio/dt=2023-08-21/ibov.parquet')}`,
      `  refined: 85 rows in 85 ticker partitions -> ${path.join(lake, 'refined/b3_portfolio_refined/dt=2023-08-21')} (job run <id>)`,
      `  catalog: table b3_portfolio_refined in ${path.join(lake, 'catalog.duckdb')}`,
      `  5 largest weights: ${largest(facts, 5)}`,
      // No COTAHIST of 2023-08-18 in this lake: the check says so instead of passing silently.
      '  cross-source check: warning: no quotes of the D-1 session 2023-08-18 in the lake (b3_quotes_refined), weights not checked',
      '',
    ].join('\n');
    expect(facts.weights).toHaveLength(85);
    const first = await cli(['run', '--replay', path.join(FIXTURES, facts.file), '--lake', 'my-lake'], dir);
    expect({ ...first, stdout: first.stdout.replace(RUN_ID, 'job run <id>)') }).toEqual({ code: 0, stdout: expected, stderr: '' });
    expect(readdirSync(path.join(lake, 'refined/b3_portfolio_refined/dt=2023-08-21')).sort()).toEqual(facts.weights.map((w) => `ticker=${w.ticker}`).sort());

    // The same day again replaces it: same summary, a new run, no duplicate partitions.
    const again = await cli(['run', '--replay', path.join(FIXTURES, facts.file), '--lake', 'my-lake'], dir);
    expect({ ...again, stdout: again.stdout.replace(RUN_ID, 'job run <id>)') }).toEqual({ code: 0, stdout: expected, stderr: '' });
    expect(again.stdout.match(RUN_ID)).not.toEqual(first.stdout.match(RUN_ID));
    expect(readdirSync(path.join(lake, 'refined/b3_portfolio_refined/dt=2023-08-21'))).toHaveLength(85);
    const files = readdirSync(path.join(lake, 'refined/b3_portfolio_refined/dt=2023-08-21/ticker=VALE3'));
    expect(files).toHaveLength(1);
  });

  it('`npm start` alone fetches today from B3 over HTTP (a loopback B3 here) and runs the whole pipeline into ./lake', async () => {
    const facts = factsOf('2025-04-07');
    // A live answer must be dated near today: the capture is served re-dated to today's session.
    const day = liveSessionDate();
    const server = await ReplayServer.start();
    try {
      const session = b3TradingCalendar.previousTradingDay(day);
      server.route(portfolioJsonPath('IBOV', 1), { body: redatedJson(readFileSync(path.join(FIXTURES, facts.file), 'utf8'), day, 'en-us') });
      // B3's 2024-11-08 file re-dated to the D-1 session: its closes are not the ones this
      // portfolio's weights came from, so the check must warn, naming tickers.
      server.route(cotahistDailyPath(session), { body: redatedCotahistZip(session) });
      const run = await cli([], dir, { B3_BASE_URL: server.baseUrl, B3_COTAHIST_BASE_URL: server.baseUrl });
      expect([run.code, run.stderr]).toEqual([0, '']);
      expect(run.stdout.replace(RUN_ID, 'job run <id>)').split('\n')).toEqual([
        `IBOV portfolio ${day} (D-1 session ${session}), source json-api`,
        `  raw: 87 rows -> ${path.join(dir, 'lake', rawObjectKey('IBOV', day))}`,
        `  refined: 87 rows in 87 ticker partitions -> ${path.join(dir, `lake/refined/b3_portfolio_refined/dt=${day}`)} (job run <id>)`,
        `  D-1 quotes: 12226 quotes of ${session} (every market) -> ${path.join(dir, 'lake', `raw/quotes/dt=${session}/cotahist.parquet`)}, refined into b3_quotes_refined`,
        `  catalog: table b3_portfolio_refined in ${path.join(dir, 'lake/catalog.duckdb')}`,
        `  5 largest weights: ${largest(facts, 5)}`,
        expect.stringMatching(/^  cross-source check: warning: B3 weights not reproduced from the D-1 closes: \d+\/87 tickers, .*over 0\.01 pp: [A-Z0-9]+ /),
        `  IBOV at the D-1 close ${session}: not reconstructed, 2 constituent(s) without a quote`,
        '',
      ]);
      expect(server.paths()).toEqual([portfolioJsonPath('IBOV', 1), cotahistDailyPath(session)]);
    } finally {
      await server.close();
    }
  });

  it('checks the weights against the D-1 closes already in the lake: 82/82 on 2021-03-26, the index at 113,765; the wrong session warns', async () => {
    const lake = path.join(dir, 'lake');
    await refineQuotesFixture(lake, 'COTAHIST_D25032021.TXT');
    const run = await cli(['run', '--replay', path.join(FIXTURES, CSV_2021_03_26)], dir);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('IBOV portfolio 2021-03-26 (D-1 session 2021-03-25), source csv-download');
    expect(lines.slice(5)).toEqual([
      expect.stringMatching(/^  cross-source check: B3 weights reproduced from the D-1 closes: 82\/82 tickers, max deviation 0\.00\d\d pp$/),
      expect.stringMatching(/^  IBOV at the D-1 close 2021-03-25: 113,76[456] points \(Σ qty × close ÷ reductor\)$/),
      '',
    ]);

    // The same day's closes filed as its D-1: the run still succeeds, and the check names the tickers off.
    await refineQuotesFixture(lake, 'COTAHIST_D26032021.TXT', { asSession: '2021-03-25' });
    const wrong = await cli(['run', '--replay', path.join(FIXTURES, CSV_2021_03_26)], dir);
    expect(wrong.code).toBe(0);
    expect(wrong.stdout).toMatch(/\n  cross-source check: warning: B3 weights not reproduced from the D-1 closes: \d+\/82 tickers, max deviation 0\.\d{4} pp; over 0\.01 pp: [A-Z0-9]+ \(/);
  });

  it('--quotes-replay runs a saved portfolio with its D-1 COTAHIST: 86/86 reproduced on 2024-11-11, the index at 127,830', async () => {
    const run = await cli(['run', '--replay', path.join(FIXTURES, CSV_2024_11_11_SECTORS), '--quotes-replay', path.join(COTAHIST_DIR, ZIP_2024_11_08)], dir);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('IBOV portfolio 2024-11-11 (D-1 session 2024-11-08), source csv-download');
    expect(lines[3]).toBe(`  D-1 quotes: 12226 quotes of 2024-11-08 (every market) -> ${path.join(dir, 'lake', 'raw/quotes/dt=2024-11-08/cotahist.parquet')}, refined into b3_quotes_refined`);
    expect(lines.slice(6)).toEqual([
      '  cross-source check: B3 weights reproduced from the D-1 closes: 86/86 tickers, max deviation 0.0009 pp',
      expect.stringMatching(/^  IBOV at the D-1 close 2024-11-08: 127,83[01] points \(Σ qty × close ÷ reductor\)$/),
      '',
    ]);
  });

  it('--quotes-replay of a session other than the D-1 is refused in one line, and no quotes are written', async () => {
    const run = await cli(['run', '--replay', path.join(FIXTURES, CSV_2021_03_26), '--quotes-replay', path.join(COTAHIST_DIR, TXT_2021_03_26)], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: scrape: refused COTAHIST 2021-03-25, got .*2021-03-26.*\n$/);
    expect(existsSync(path.join(dir, 'lake', 'raw', 'quotes'))).toBe(false);
  });

  it('shows each step on stderr with --verbose', async () => {
    const run = await cli(['run', '--replay', path.join(FIXTURES, 'GetPortfolioDay_enus_seg2_2025-04-07.json'), '--verbose'], dir);
    expect(run.code).toBe(0);
    const runId = /job run (local-[0-9a-f-]{36})\)/.exec(run.stdout)?.[1];
    expect(run.stderr.split('\n')).toEqual([
      'scrape: fetching IBOV',
      `scrape: wrote 87 rows of IBOV 2025-04-07 to ${path.join(dir, 'lake/raw/portfolio/dt=2025-04-07/ibov.parquet')}`,
      'trigger: ObjectCreated for raw/portfolio/dt=2025-04-07/ibov.parquet',
      `refine: job run ${runId} done for IBOV 2025-04-07`,
      '',
    ]);
  });

  it('without B3, `npm start` and `run` fail with one line pointing to the demo, writing nothing', async () => {
    // A loopback port nobody listens on: B3 "unreachable" without depending on the machine's network.
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const line = `error: run: B3 unreachable for IBOV (connect ECONNREFUSED 127.0.0.1:${port}), nothing written; without network, try the offline demo: npm run demo\n`;
    // `npm start` with no arguments is `run`: B3_BASE_URL points it at the closed port.
    const [bare, explicit] = await Promise.all([cli([], dir, { B3_BASE_URL: base }), cli(['run', '--base-url', base, '--lake', 'other'], dir)]);
    expect(bare).toEqual({ code: 1, stdout: '', stderr: line });
    expect(explicit).toEqual({ code: 1, stdout: '', stderr: line });
    expect(readdirSync(dir)).toEqual([]);
  }, 90_000);

  it('refuses a bad answer with one line, exit 1 and no lake', async () => {
    writeFileSync(path.join(dir, 'challenge.html'), CLOUDFLARE_CHALLENGE);
    const run = await cli(['run', '--replay', 'challenge.html'], dir);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: scrape: refused IBOV, got b3: expected a saved JSON or CSV body, got an HTML page titled "Just a moment..." (Cloudflare challenge?)\n',
    });
    expect(existsSync(path.join(dir, 'lake'))).toBe(false);
  });

  it('answers usage mistakes with exit 2, the error and the help, touching nothing', async () => {
    const replay = path.join(FIXTURES, 'IBOVDia_15-12-23.csv');
    const cases: Array<[string[], string]> = [
      [['run', '--target', 'gcp'], 'error: run: --target must be local or aws, got "gcp"'],
      [['run', '--target', 'aws', '--replay', replay], 'error: run: --target aws needs --bucket or $LAKE_BUCKET, got neither'],
      [['run', '--target', 'aws', '--bucket', 'b', '--lake', 'x'], 'error: run: --lake is for --target local (aws writes to --bucket), got --lake x'],
      [['run', '--bucket', 'b'], 'error: run: --bucket and --job-name are for --target aws, got them with --target local'],
      [['run', '--replay', replay, '--index', 'IBOV,SMLL'], "error: run: --replay holds one index's answer, got --index IBOV,SMLL"],
      [['run', '--replay', replay, '--source', 'csv'], 'error: run: --replay reads a saved body, so --source and --base-url do not apply, got both'],
      [['run', '--lak', 'x'], "error: run: Unknown option '--lak'"],
      [['run', '--quotes-replay', 'x.zip'], "error: run: --quotes-replay goes with --replay (a live run fetches the D-1 session's COTAHIST from B3), got it alone"],
      [['run', '--replay', replay, '--quotes-base-url', 'http://127.0.0.1:1'], 'error: run: --replay reads saved bodies, so --quotes-base-url does not apply, got both'],
    ];
    const runs = await Promise.all(cases.map(([args]) => cli(args, dir, { LAKE_BUCKET: '' })));
    runs.forEach((run, i) => {
      expect([run.code, run.stdout, run.stderr.split('\n').slice(0, 3)]).toEqual([
        2,
        '',
        [cases[i][1], '', 'Usage: npm start -- run [--replay FILE [--quotes-replay FILE]] [--lake DIR] [--index IBOV] [--target local|aws] [--bucket NAME] [--verbose]'],
      ]);
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses --target aws without an emulator endpoint: in AWS the deployed stack runs the job', async () => {
    const run = await cli(['run', '--target', 'aws', '--bucket', 'b', '--replay', path.join(FIXTURES, 'IBOVDia_15-12-23.csv')], dir, { AWS_ENDPOINT_URL: '' });
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: run: --target aws drives an AWS emulator and needs AWS_ENDPOINT_URL (in AWS the deployed stack runs the pipeline), got none\n',
    });
  });

  it('prints its help, and is listed first by the top-level help', async () => {
    const [help, top] = await Promise.all([cli(['run', '--help'], dir), cli(['--help'], dir)]);
    expect([help.code, help.stderr, help.stdout.split('\n')[0]]).toEqual([
      0,
      '',
      'Usage: npm start -- run [--replay FILE [--quotes-replay FILE]] [--lake DIR] [--index IBOV] [--target local|aws] [--bucket NAME] [--verbose]',
    ]);
    expect(top.stdout.split('\n')[3]).toMatch(/^ {2}run +the whole pipeline for one day \(default\)/);
  });
});

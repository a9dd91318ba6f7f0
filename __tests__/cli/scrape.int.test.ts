import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { portfolioCsvPath, portfolioJsonPath } from '../../lib/b3/sources';
import { b3TradingCalendar } from '../../lib/calendar/trading-calendar';
import { cotahistDailyPath } from '../../lib/cotahist/source';
import { rawQuotesKey } from '../../lib/raw/quotes-contract';
import { rawObjectKey } from '../../lib/raw/raw-key';
import { redatedCotahistZip } from '../lib/cotahist/cotahist-fixtures';
import { liveSessionDate, redatedCsv, redatedJson } from '../adapters/b3-http/live-capture';
import { CLOUDFLARE_CHALLENGE, ReplayServer } from '../adapters/b3-http/replay-server';
import { readParquetWithDuckDB } from '../lib/raw/duckdb-parquet';
import { FIXTURES } from './capture-facts';
import { cli } from './cli-process';

const JSON_FIXTURE = path.join(FIXTURES, 'GetPortfolioDay_enus_seg2_2025-04-07.json');
const CSV_FIXTURE = path.join(FIXTURES, 'IBOVDia_21-08-23.csv');

describe('npm start -- scrape', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cli-scrape-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replays a saved JSON body into ./lake and prints one summary line', async () => {
    const run = await cli(['scrape', '--replay', JSON_FIXTURE], dir);
    const file = path.join(dir, 'lake/raw/portfolio/dt=2025-04-07/ibov.parquet');
    expect(run).toEqual({
      code: 0,
      stdout: `IBOV portfolio_date=2025-04-07 session_date=2025-04-04 rows=87 source=json-api -> ${file}\n`,
      stderr: '',
    });
    const seen = await readParquetWithDuckDB(file);
    expect(seen.rows).toHaveLength(87);
    expect(seen.rows[0]).toMatchObject({ ticker: 'ABEV3', portfolio_date: '2025-04-07', session_date: '2025-04-04' });
  });

  it('replays a saved CSV download into --lake', async () => {
    const run = await cli(['scrape', '--replay', CSV_FIXTURE, '--lake', 'elsewhere', '--index', 'ibov'], dir);
    expect(run.code).toBe(0);
    // 21/08/23 is a Monday: its weights come from Friday's close.
    const file = path.join(dir, 'elsewhere/raw/portfolio/dt=2023-08-21/ibov.parquet');
    // 89 lines: title, header, 85 rows, the two totals lines.
    expect(run.stdout).toBe(`IBOV portfolio_date=2023-08-21 session_date=2023-08-18 rows=85 source=csv-download -> ${file}\n`);
    expect((await readParquetWithDuckDB(file)).rows).toHaveLength(85);
  });

  it('refuses a bad body with one error line, exit 1 and nothing written', async () => {
    const bad = path.join(dir, 'challenge.html');
    writeFileSync(bad, CLOUDFLARE_CHALLENGE);
    const run = await cli(['scrape', '--replay', bad], dir);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'error: scrape: refused IBOV, got b3: expected a saved JSON or CSV body, got an HTML page titled "Just a moment..." (Cloudflare challenge?)\n',
    });
    expect(existsSync(path.join(dir, 'lake'))).toBe(false);
  });

  it('refuses a capture whose weights were tampered with, leaving the good file as it was', async () => {
    expect((await cli(['scrape', '--replay', JSON_FIXTURE], dir)).code).toBe(0);
    const good = readFileSync(path.join(dir, 'lake/raw/portfolio/dt=2025-04-07/ibov.parquet'));
    const tampered = path.join(dir, 'tampered.json');
    writeFileSync(tampered, readFileSync(JSON_FIXTURE, 'utf8').replace('"part":"2.663"', '"part":"12.663"'));
    const run = await cli(['scrape', '--replay', tampered], dir);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')).toHaveLength(2);
    expect(run.stderr).toMatch(/^error: scrape: refused IBOV, got b3: .*part/);
    expect(readFileSync(path.join(dir, 'lake/raw/portfolio/dt=2025-04-07/ibov.parquet')).equals(good)).toBe(true);
  });

  it('shows progress and the stack with --verbose', async () => {
    const run = await cli(['scrape', '--replay', path.join(dir, 'missing.json'), '--verbose'], dir);
    expect(run.code).toBe(1);
    const lines = run.stderr.split('\n');
    expect(lines[0]).toBe('scrape: fetching IBOV');
    expect(lines).toContain(`error: scrape: refused IBOV, got replay: cannot read the saved body, got ENOENT for ${path.join(dir, 'missing.json')}`);
    expect(run.stderr).toMatch(/\n {4}at .*scrape-portfolio\.ts/);
  });

  it('answers a usage mistake with exit 2, the error and the help', async () => {
    const run = await cli(['scrape', '--source', 'xml'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n').slice(0, 3)).toEqual([
      'error: scrape: --source must be json or csv, got "xml"',
      '',
      'Usage: npm start -- scrape [--index IBOV] [--lake DIR] [--replay FILE ...] [--source json|csv] [--verbose]',
    ]);
    const unknown = await cli(['scrape', '--replay', JSON_FIXTURE, '--lak', 'x'], dir);
    expect([unknown.code, unknown.stderr.split('\n')[0]]).toEqual([2, "error: scrape: Unknown option '--lak'"]);
    const both = await cli(['scrape', '--replay', JSON_FIXTURE, '--index', 'IBOV,SMLL'], dir);
    expect([both.code, both.stderr.split('\n')[0]]).toEqual([2, "error: scrape: --replay holds one index's answer, got --index IBOV,SMLL"]);
    expect(existsSync(path.join(dir, 'lake'))).toBe(false);
  });

  it('lists commands and prints help on stdout', async () => {
    const top = await cli(['--help'], dir);
    expect([top.code, top.stdout.split('\n')[0]]).toEqual([0, 'Usage: npm start -- <command> [options] [--verbose]']);
    expect(top.stdout).toMatch(/\n {2}scrape +fetch the D-1 portfolio/);
    const help = await cli(['scrape', '--help'], dir);
    expect([help.code, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toMatch(/^Usage: npm start -- scrape /);
    const unknown = await cli(['scrap'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split('\n')[0]).toMatch(/^error: unknown command "scrap", expected one of .*scrape/);
  });

  describe('live, against a loopback B3', () => {
    let server: ReplayServer;
    beforeAll(async () => {
      server = await ReplayServer.start();
    });
    afterAll(() => server.close());
    beforeEach(() => server.reset());

    // A live answer must be dated near today: the captures are served re-dated to today's session.
    const day = liveSessionDate();
    const session = b3TradingCalendar.previousTradingDay(day);

    it('fetches the JSON API from --base-url', async () => {
      server.route(portfolioJsonPath('IBOV', 1), { body: redatedJson(readFileSync(JSON_FIXTURE, 'utf8'), day, 'en-us') });
      server.route(cotahistDailyPath(session), { headers: { 'content-type': 'application/zip' }, body: redatedCotahistZip(session) });
      const run = await cli(['scrape', '--base-url', server.baseUrl, '--quotes-base-url', server.baseUrl], dir);
      expect([run.code, run.stderr]).toEqual([0, '']);
      expect(run.stdout).toBe(
        `IBOV portfolio_date=${day} session_date=${session} rows=87 source=json-api -> ${path.join(dir, 'lake', rawObjectKey('IBOV', day))}\n` +
          `COTAHIST session_date=${session} quotes=12226 -> ${path.join(dir, 'lake', rawQuotesKey(session))}\n`,
      );
      // Beside the portfolio, the COTAHIST of its D-1 session.
      expect(server.paths()).toEqual([portfolioJsonPath('IBOV', 1), cotahistDailyPath(session)]);
    });

    it('fetches the CSV download when --source csv, base URL from B3_BASE_URL', async () => {
      const csv = redatedCsv(readFileSync(CSV_FIXTURE, 'latin1'), day);
      server.route(portfolioCsvPath('IBOV'), { body: Buffer.from(csv, 'latin1').toString('base64') });
      server.route(cotahistDailyPath(session), { body: redatedCotahistZip(session) });
      const run = await cli(['scrape', '--source', 'csv'], dir, { B3_BASE_URL: server.baseUrl, B3_COTAHIST_BASE_URL: server.baseUrl });
      expect([run.code, run.stderr]).toEqual([0, '']);
      expect(run.stdout).toMatch(new RegExp(`^IBOV portfolio_date=${day} session_date=${session} rows=85 source=csv-download -> `));
    });

    it('refuses a live answer dated weeks ago with one line, writing nothing', async () => {
      server.route(portfolioJsonPath('IBOV', 1), { body: readFileSync(JSON_FIXTURE) });
      const run = await cli(['scrape', '--base-url', server.baseUrl], dir);
      expect([run.code, run.stdout]).toEqual([1, '']);
      expect(run.stderr).toMatch(
        /^error: scrape: refused IBOV, got b3: a live answer must be dated within 5 sessions of today \(\d{4}-\d{2}-\d{2} in São Paulo\), got 2025-04-07 \(more than 5 sessions before\)\n$/,
      );
      expect(existsSync(path.join(dir, 'lake'))).toBe(false);
    });

    it('fails with one line when B3 answers a Cloudflare challenge', async () => {
      const challenge = { status: 403, headers: { 'content-type': 'text/html' }, body: CLOUDFLARE_CHALLENGE };
      server.route(portfolioJsonPath('IBOV', 1), challenge).route(portfolioCsvPath('IBOV'), challenge);
      const run = await cli(['scrape', '--base-url', server.baseUrl], dir);
      expect(run.code).toBe(1);
      expect(run.stderr.split('\n')).toHaveLength(2);
      expect(run.stderr).toMatch(/^error: scrape: refused IBOV, got b3 http: both routes failed for IBOV, .*Just a moment/);
      expect(existsSync(path.join(dir, 'lake'))).toBe(false);
    });
  });
});

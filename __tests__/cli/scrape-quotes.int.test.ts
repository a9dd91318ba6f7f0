import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { portfolioJsonPath } from '../../lib/b3/sources';
import { b3TradingCalendar } from '../../lib/calendar/trading-calendar';
import { cotahistDailyPath } from '../../lib/cotahist/source';
import { rawQuotesKey } from '../../lib/raw/quotes-contract';
import { rawObjectKey } from '../../lib/raw/raw-key';
import { liveSessionDate, redatedJson } from '../adapters/b3-http/live-capture';
import { CLOUDFLARE_CHALLENGE, ReplayServer } from '../adapters/b3-http/replay-server';
import { zipSync } from 'fflate';
import {
  COTAHIST_DIR,
  TXT_2016_01_04_TRUNCATED,
  TXT_2021_03_25,
  ZIP_2024_11_08,
  cotahistBytes,
  monthlyCotahist,
  redatedCotahistZip,
} from '../lib/cotahist/cotahist-fixtures';
import { readParquetWithDuckDB } from '../lib/raw/duckdb-parquet';
import { FIXTURES } from './capture-facts';
import { cli } from './cli-process';

const JSON_FIXTURE = path.join(FIXTURES, 'GetPortfolioDay_enus_seg2_2025-04-07.json');

describe('npm start -- scrape and B3 COTAHIST', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cli-scrape-quotes-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const quotesFile = (session: string) => path.join(dir, 'lake', rawQuotesKey(session));

  it('--replay recognizes B3s zip and its text, and writes raw/quotes/dt=<session>/cotahist.parquet', async () => {
    const zip = await cli(['scrape', '--replay', path.join(COTAHIST_DIR, ZIP_2024_11_08)], dir);
    expect(zip).toEqual({ code: 0, stdout: `COTAHIST session_date=2024-11-08 quotes=12226 -> ${quotesFile('2024-11-08')}\n`, stderr: '' });
    const rows = (await readParquetWithDuckDB(quotesFile('2024-11-08'), 'ticker, market_type, forward_term_days')).rows;
    expect(rows).toHaveLength(12_226);
    expect(rows.find((r) => r.ticker === 'PETR4' && r.market_type === 10)).toMatchObject({ close_price: '36.18', traded_volume: '1790870570.00' });
    const text = await cli(['scrape', '--replay', path.join(COTAHIST_DIR, TXT_2021_03_25)], dir);
    expect([text.code, text.stdout]).toEqual([0, `COTAHIST session_date=2021-03-25 quotes=6212 -> ${quotesFile('2021-03-25')}\n`]);
  });

  it('--replay repeated: several COTAHIST files in one run, each its partition; a portfolio answer among them is a usage error', async () => {
    const both = await cli(['scrape', '--replay', path.join(COTAHIST_DIR, ZIP_2024_11_08), '--replay', path.join(COTAHIST_DIR, TXT_2021_03_25)], dir);
    expect(both).toEqual({
      code: 0,
      stdout: `COTAHIST session_date=2024-11-08 quotes=12226 -> ${quotesFile('2024-11-08')}\nCOTAHIST session_date=2021-03-25 quotes=6212 -> ${quotesFile('2021-03-25')}\n`,
      stderr: '',
    });
    mkdirSync(path.join(dir, 'other'));
    const mixed = await cli(['scrape', '--replay', JSON_FIXTURE, '--replay', path.join(COTAHIST_DIR, TXT_2021_03_25)], path.join(dir, 'other'));
    expect(mixed.code).toBe(2);
    expect(mixed.stderr.split('\n')[0]).toBe(
      `error: scrape: several --replay files must all be COTAHIST files (a portfolio answer is replayed alone), got ${JSON_FIXTURE}, ${path.join(COTAHIST_DIR, TXT_2021_03_25)}`,
    );
    expect(existsSync(path.join(dir, 'other', 'lake'))).toBe(false);
  });

  it('--replay of a monthly file (built from real daily files: no real one is in the fixtures) writes one partition per session', async () => {
    const monthly = path.join(dir, 'COTAHIST_M032021.ZIP');
    writeFileSync(monthly, zipSync({ 'COTAHIST_M032021.TXT': monthlyCotahist() }));
    const run = await cli(['scrape', '--replay', monthly], dir);
    expect(run).toEqual({
      code: 0,
      stdout: [
        `COTAHIST session_date=2021-03-23 quotes=6055 -> ${quotesFile('2021-03-23')}`,
        `COTAHIST session_date=2021-03-25 quotes=6212 -> ${quotesFile('2021-03-25')}`,
        `COTAHIST session_date=2021-03-26 quotes=6100 -> ${quotesFile('2021-03-26')}`,
        '',
      ].join('\n'),
      stderr: '',
    });
    expect((await readParquetWithDuckDB(quotesFile('2021-03-26'), 'ticker, market_type, forward_term_days')).rows).toHaveLength(6100);
    // Its staging is gone with the run.
    expect(existsSync(path.join(dir, 'lake', '.staging'))).toBe(false);
    // The same file as text, under B3's name: the same sessions.
    const text = path.join(dir, 'COTAHIST_M032021.TXT');
    writeFileSync(text, monthlyCotahist());
    expect((await cli(['scrape', '--replay', text], dir)).stdout.split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('refuses a damaged file in one line, writing nothing and leaving the existing partition as it was', async () => {
    const truncated = await cli(['scrape', '--replay', path.join(COTAHIST_DIR, TXT_2016_01_04_TRUNCATED)], dir);
    expect(truncated).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: cotahist: line 506 field TOTREG: the trailer counts every record, the file has 506, got 1745\n',
    });
    expect(existsSync(path.join(dir, 'lake', 'raw'))).toBe(false);

    expect((await cli(['scrape', '--replay', path.join(COTAHIST_DIR, TXT_2021_03_25)], dir)).code).toBe(0);
    const good = readFileSync(quotesFile('2021-03-25'));
    const text = Buffer.from(cotahistBytes(TXT_2021_03_25)).toString('latin1');
    const damaged = path.join(dir, 'damaged.TXT');
    // One price of the last quote record made non-numeric: the file is refused after all its other records were read.
    const at = text.lastIndexOf('\n01') + 1 + 108;
    writeFileSync(damaged, Buffer.from(text.slice(0, at) + 'X' + text.slice(at + 1), 'latin1'));
    const run = await cli(['scrape', '--replay', damaged], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: cotahist: line 6213 field PREULT: not a number, got "X\d{12}"\n$/);
    expect(readFileSync(quotesFile('2021-03-25')).equals(good)).toBe(true);
  });

  it('a COTAHIST replay takes no portfolio options', async () => {
    const run = await cli(['scrape', '--replay', path.join(COTAHIST_DIR, ZIP_2024_11_08), '--index', 'IBOV'], dir);
    expect([run.code, run.stderr.split('\n')[0]]).toEqual([2, 'error: scrape: --replay of a COTAHIST file takes no --index, got them']);
  });

  it('run --replay of a COTAHIST says it is scrape that replays one (usage, exit 2), writing nothing', async () => {
    const run = await cli(['run', '--replay', path.join(COTAHIST_DIR, ZIP_2024_11_08)], dir);
    expect([run.code, run.stdout, run.stderr.split('\n')[0]]).toEqual([
      2,
      '',
      `error: run: --replay takes a saved portfolio; a COTAHIST file is replayed by npm start -- scrape --replay FILE (then npm start -- refine), got ${path.join(COTAHIST_DIR, ZIP_2024_11_08)}`,
    ]);
    expect(existsSync(path.join(dir, 'lake'))).toBe(false);
  });

  describe('live, against a loopback B3', () => {
    let server: ReplayServer;
    beforeAll(async () => {
      server = await ReplayServer.start();
    });
    afterAll(() => server.close());
    beforeEach(() => server.reset());

    const day = liveSessionDate();
    const session = b3TradingCalendar.previousTradingDay(day);
    const portfolio = () => server.route(portfolioJsonPath('IBOV', 1), { body: redatedJson(readFileSync(JSON_FIXTURE, 'utf8'), day, 'en-us') });
    const scrape = () => cli(['scrape', '--base-url', server.baseUrl, '--quotes-base-url', server.baseUrl], dir);

    it('B3 answers 404 for the session: a clear error, no retry, the run fails (the schedule retries it)', async () => {
      portfolio();
      const run = await scrape();
      expect([run.code, run.stdout]).toEqual([1, '']);
      expect(run.stderr).toBe(
        `error: scrape: refused COTAHIST ${session}, got b3 http: GET ${server.baseUrl}${cotahistDailyPath(session)} answered HTTP 404\n`,
      );
      expect(server.paths().filter((p) => p === cotahistDailyPath(session))).toHaveLength(1);
      expect(existsSync(quotesFile(session))).toBe(false);
      // The portfolio, whole and accepted, is written; only the quotes are missing.
      expect(existsSync(path.join(dir, 'lake', rawObjectKey('IBOV', day)))).toBe(true);
    });

    it('B3 answers an HTML page instead of a zip: refused in one line, nothing written', async () => {
      portfolio();
      server.route(cotahistDailyPath(session), { headers: { 'content-type': 'text/html' }, body: CLOUDFLARE_CHALLENGE });
      const run = await scrape();
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `error: scrape: refused COTAHIST ${session}, got cotahist: expected a zip, got an HTML page titled "Just a moment..." (Cloudflare challenge?)\n`,
      );
      expect(existsSync(quotesFile(session))).toBe(false);
    });

    it('a 503 is retried with the portfolio policy, then the zip is read', async () => {
      portfolio();
      server.route(cotahistDailyPath(session), { status: 503, body: 'busy' }, { body: redatedCotahistZip(session) });
      const run = await scrape();
      expect([run.code, run.stderr]).toEqual([0, '']);
      expect(run.stdout.split('\n')[1]).toBe(`COTAHIST session_date=${session} quotes=12226 -> ${quotesFile(session)}`);
      expect(server.paths().filter((p) => p === cotahistDailyPath(session))).toHaveLength(2);
      expect((await readParquetWithDuckDB(quotesFile(session), 'ticker, market_type, forward_term_days')).rows).toHaveLength(12_226);
    });
  });
});

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { listSourceObjects, unseenObjects, type SourceBookmark } from '../../adapters/duckdb/job-bookmark';
import { withLakeLock } from '../../adapters/storage/lake-lock';
import { LAKE_WAIT_ENV } from '../../cli/lake-access';
import { cotahistDailyPath } from '../../lib/cotahist/source';
import { RAW_QUOTES_PREFIX } from '../../lib/lake/layout';
import { rawQuotesKey } from '../../lib/raw/quotes-contract';
import { COMMANDS } from '../../cli/commands';
import { runCli } from '../../cli/run-cli';
import { CLOUDFLARE_CHALLENGE, ReplayServer } from '../adapters/b3-http/replay-server';
import { redatedCotahistZip } from '../lib/cotahist/cotahist-fixtures';
import { readParquetWithDuckDB } from '../lib/raw/duckdb-parquet';
import { cli } from './cli-process';

// Thu 14 Nov 2024 to Thu 21 Nov: 15 Nov (Proclamation of the Republic) and 20 Nov (Black
// Consciousness, national from 2024) are B3 holidays, so four sessions.
const FROM = '2024-11-14';
const TO = '2024-11-21';
const SESSIONS = ['2024-11-14', '2024-11-18', '2024-11-19', '2024-11-21'];
// B3's real 2024-11-08 zip re-dated to each session: a real body for every day of the range.
const ZIPS = new Map(SESSIONS.map((s) => [s, redatedCotahistZip(s)]));

describe('npm start -- backfill against a loopback B3', () => {
  let server: ReplayServer;
  let dir: string;
  beforeAll(async () => {
    server = await ReplayServer.start();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.reset();
    dir = mkdtempSync(path.join(tmpdir(), 'cli-backfill-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const serveAll = () => SESSIONS.forEach((s) => server.route(cotahistDailyPath(s), { body: ZIPS.get(s)! }));
  const backfill = (from = FROM, to = TO, interval = '0') =>
    cli(['backfill', '--from', from, '--to', to, '--quotes-base-url', server.baseUrl, '--min-interval-ms', interval], dir);
  const quotesFile = (session: string) => path.join(dir, 'lake', rawQuotesKey(session));

  it('fetches every session of a range across two holidays, then a second run skips them all', async () => {
    serveAll();
    const first = await backfill();
    expect(first).toEqual({ code: 0, stdout: `backfill ${FROM}..${TO}: 4 sessions, fetched 4, skipped 0, failed 0\n`, stderr: '' });
    // The holidays and the weekend are never asked for.
    expect(server.paths()).toEqual(SESSIONS.map(cotahistDailyPath));
    for (const s of SESSIONS) expect(existsSync(quotesFile(s))).toBe(true);
    const rows = (await readParquetWithDuckDB(quotesFile('2024-11-19'), 'ticker, market_type, forward_term_days')).rows;
    expect(rows).toHaveLength(12_226);
    expect(new Set(rows.map((r) => r.session_date))).toEqual(new Set(['2024-11-19']));

    server.reset();
    const second = await backfill();
    expect(second).toEqual({ code: 0, stdout: `backfill ${FROM}..${TO}: 4 sessions, fetched 0, skipped 4, failed 0\n`, stderr: '' });
    expect(server.paths()).toEqual([]);
  });

  it('a 404 and an HTML page fail their sessions in the summary and the exit code; the others are written; a rerun fetches only those', async () => {
    serveAll();
    server.route(cotahistDailyPath('2024-11-18'), { status: 404, body: 'Not Found' });
    server.route(cotahistDailyPath('2024-11-19'), { headers: { 'content-type': 'text/html' }, body: CLOUDFLARE_CHALLENGE });
    const run = await backfill();
    const notFound = `b3 http: GET ${server.baseUrl}${cotahistDailyPath('2024-11-18')} answered HTTP 404`;
    expect(run).toEqual({
      code: 1,
      stdout: [
        `backfill ${FROM}..${TO}: 4 sessions, fetched 2, skipped 0, failed 2`,
        `  failed 2024-11-18: ${notFound}`,
        '  failed 2024-11-19: cotahist: expected a zip, got an HTML page titled "Just a moment..." (Cloudflare challenge?)',
        '',
      ].join('\n'),
      stderr: `error: backfill: 2 of 4 sessions failed (run it again to retry them), got 2024-11-18: ${notFound}\n`,
    });
    expect(SESSIONS.map((s) => existsSync(quotesFile(s)))).toEqual([true, false, false, true]);
    // A 404 is not retried within the run (no file there yet); the next backfill asks again.
    expect(server.paths().filter((p) => p === cotahistDailyPath('2024-11-18'))).toHaveLength(1);

    server.reset();
    serveAll();
    const rerun = await backfill();
    expect([rerun.code, rerun.stdout]).toEqual([0, `backfill ${FROM}..${TO}: 4 sessions, fetched 2, skipped 2, failed 0\n`]);
    expect(server.paths()).toEqual(['2024-11-18', '2024-11-19'].map(cotahistDailyPath));
  });

  it('keeps the requested least interval between requests', async () => {
    serveAll();
    const run = await backfill(FROM, TO, '400');
    expect(run.code).toBe(0);
    const gaps = server.requests.slice(1).map((r, i) => r.at - server.requests[i].at);
    expect(gaps).toHaveLength(3);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(395); // timer granularity
  });

  it('what a backfill adds is what the bookmark-driven refine has not seen: the new days, and only them', async () => {
    serveAll();
    expect((await backfill(FROM, '2024-11-18')).code).toBe(0);
    const lake = path.join(dir, 'lake');
    const before = await listSourceObjects(lake, path.join(lake, RAW_QUOTES_PREFIX), true);
    // A refine after the first backfill would have bookmarked these objects as they are.
    const seen: SourceBookmark = Object.fromEntries(before.map((o) => [o.key, o.fingerprint]));
    expect(Object.keys(seen)).toEqual(['2024-11-14', '2024-11-18'].map(rawQuotesKey));
    expect((await backfill()).stdout).toBe(`backfill ${FROM}..${TO}: 4 sessions, fetched 2, skipped 2, failed 0\n`);
    const after = await listSourceObjects(lake, path.join(lake, RAW_QUOTES_PREFIX), true);
    expect(unseenObjects(after, seen).map((o) => o.key)).toEqual(['2024-11-19', '2024-11-21'].map(rawQuotesKey));
  });

  it('draws a progress bar on a terminal stderr, and none in a pipe', async () => {
    serveAll();
    let stderr = '';
    let stdout = '';
    const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), stderrIsTty: true, env: {}, cwd: dir };
    const code = await runCli(['backfill', '--from', FROM, '--to', TO, '--quotes-base-url', server.baseUrl, '--min-interval-ms', '0'], COMMANDS, io);
    expect([code, stdout]).toEqual([0, `backfill ${FROM}..${TO}: 4 sessions, fetched 4, skipped 0, failed 0\n`]);
    const frames = stderr.split('\r').filter(Boolean);
    expect(frames).toEqual([
      `[########----------------------] 1/4 2024-11-14 fetched\x1b[K`,
      `[###############---------------] 2/4 2024-11-18 fetched\x1b[K`,
      `[#######################-------] 3/4 2024-11-19 fetched\x1b[K`,
      `[##############################] 4/4 2024-11-21 fetched\x1b[K\n`,
    ]);
    // In a pipe (the cli() runs above) stderr stays empty: no bar, no lines without --verbose.
  });

  it('holds the lake lock: while another writer has it, it waits, then fails in one line having asked B3 nothing', async () => {
    serveAll();
    const lake = path.join(dir, 'lake');
    const args = ['backfill', '--from', FROM, '--to', TO, '--quotes-base-url', server.baseUrl, '--min-interval-ms', '0'];
    const run = await withLakeLock(lake, { command: 'refine', waitMs: 0 }, () => cli(args, dir, { [LAKE_WAIT_ENV]: '1' }));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`\\nerror: lake lock: ${lake} is held by another writer, got pid ${process.pid} on .* \\(refine, since .*\\) still holding it after 1 s\\n$`));
    expect(server.paths()).toEqual([]);
  });

  it('usage: both days required and in order, the interval a whole number of ms', async () => {
    const missing = await cli(['backfill', '--from', FROM], dir);
    expect([missing.code, missing.stderr.split('\n')[0]]).toEqual([2, 'error: backfill: --to YYYY-MM-DD is required, got none']);
    const backwards = await cli(['backfill', '--from', TO, '--to', FROM], dir);
    expect(backwards.stderr.split('\n')[0]).toBe(`error: backfill: --from must not be after --to, got ${TO} after ${FROM}`);
    const bad = await cli(['backfill', '--from', FROM, '--to', '2024-11-31'], dir);
    expect(bad.stderr.split('\n')[0]).toBe('error: backfill: --to must be a YYYY-MM-DD day, got "2024-11-31"');
    const interval = await cli(['backfill', '--from', FROM, '--to', TO, '--min-interval-ms', '1s'], dir);
    expect(interval.stderr.split('\n')[0]).toBe('error: backfill: --min-interval-ms must be a whole number of ms, got "1s"');
    expect(existsSync(path.join(dir, 'lake'))).toBe(false);
  });
});

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { B3SourceError, B3HttpError } from '../../../adapters/b3-http/errors';
import { B3HttpSource, type B3HttpSourceOptions } from '../../../adapters/b3-http/b3-http-source';
import type { HttpTiming } from '../../../adapters/b3-http/http-get';
import { B3FormatError } from '../../../lib/b3/errors';
import { portfolioCsvPath, portfolioJsonPath } from '../../../lib/b3/sources';
import { CLOUDFLARE_CHALLENGE, ReplayServer } from './replay-server';

const FIXTURES = path.join(__dirname, '../../fixtures/b3');
const jsonBody = readFileSync(path.join(FIXTURES, 'GetPortfolioDay_enus_seg2_2025-04-07.json'), 'utf8');
// The download button's HTTP body is the base64 of the ISO-8859-1 CSV bytes.
const csvBody = readFileSync(path.join(FIXTURES, 'IBOVDia_15-12-23.csv')).toString('base64');

const PAGE1 = portfolioJsonPath('IBOV', 1);
const PAGE2 = portfolioJsonPath('IBOV', 2);
const CSV = portfolioCsvPath('IBOV');

/** Records every wait instead of waiting; jitter fixed at the midpoint; a fixed clock. */
function fakeTiming(nowMs = Date.parse('2025-04-07T12:00:00Z')): HttpTiming & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, now: () => nowMs };
}

/** The en-us capture split into two pages of 50 and 37 rows, as B3 pages a long answer. */
function twoPages(): [string, string] {
  const whole = JSON.parse(jsonBody) as { page: Record<string, number>; results: unknown[] };
  const page = (n: number, results: unknown[]) =>
    JSON.stringify({ ...whole, page: { pageNumber: n, pageSize: 50, totalRecords: 87, totalPages: 2 }, results });
  return [page(1, whole.results.slice(0, 50)), page(2, whole.results.slice(50))];
}

describe('B3HttpSource against a loopback server replaying recorded B3 bodies', () => {
  let server: ReplayServer;
  const logs: string[] = [];
  beforeAll(async () => {
    server = await ReplayServer.start();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.reset();
    logs.length = 0;
  });

  const source = (timing: HttpTiming, opts: Partial<B3HttpSourceOptions> = {}) =>
    new B3HttpSource({
      baseUrl: server.baseUrl,
      timing,
      policy: { attempts: 3, baseDelayMs: 1000, maxDelayMs: 15_000, timeoutMs: 2_000, maxRetryAfterMs: 30_000 },
      log: (line) => logs.push(line),
      ...opts,
    });

  it('reads one JSON page with browser-like headers', async () => {
    server.route(PAGE1, { body: jsonBody });
    const snap = await source(fakeTiming()).fetchPortfolio('ibov');
    expect([snap.indexCode, snap.portfolioDate, snap.source, snap.rows.length]).toEqual(['IBOV', '2025-04-07', 'json-api', 87]);
    expect(snap.rows[0]).toEqual({
      ticker: 'WEGE3', asset: 'WEG', shareType: 'ON NM', sector: 'Bens Indls / Máqs e Equips',
      theoreticalQty: 1243177587, weightPct: 2.663, sectorWeightPct: 2.663,
    });
    expect(server.paths()).toEqual([PAGE1]);
    expect(server.requests[0].headers['user-agent']).toMatch(/^Mozilla\/5\.0 .*Chrome\/\d+/);
    expect(server.requests[0].headers.accept).toBe('application/json, text/plain, */*');
  });

  it('follows page.totalPages and merges the pages in order', async () => {
    const [p1, p2] = twoPages();
    server.route(PAGE1, { body: p1 }).route(PAGE2, { body: p2 });
    const snap = await source(fakeTiming()).fetchPortfolio('IBOV');
    expect(server.paths()).toEqual([PAGE1, PAGE2]);
    expect(snap.rows.length).toBe(87);
    expect(snap.rows[50].ticker).toBe(JSON.parse(jsonBody).results[50].cod);
    expect(snap.totalTheoreticalQty).toBe(99015750716);
  });

  it('retries 5xx with exponential backoff and jitter, then succeeds', async () => {
    const timing = fakeTiming();
    server.route(PAGE1, { status: 503, body: 'busy' }, { status: 502, body: 'bad gateway' }, { body: jsonBody });
    const snap = await source(timing).fetchPortfolio('IBOV');
    expect(snap.rows.length).toBe(87);
    expect(server.paths()).toEqual([PAGE1, PAGE1, PAGE1]);
    // random() = 0.5: half of 1000 plus a quarter, then half of 2000 plus a quarter.
    expect(timing.sleeps).toEqual([750, 1500]);
  });

  it('honours Retry-After in seconds on a 429', async () => {
    const timing = fakeTiming();
    server.route(PAGE1, { status: 429, headers: { 'retry-after': '7' } }, { body: jsonBody });
    await source(timing).fetchPortfolio('IBOV');
    expect(timing.sleeps).toEqual([7000]);
  });

  it('honours Retry-After as an HTTP date, and caps a huge one', async () => {
    const timing = fakeTiming(Date.parse('2025-04-07T12:00:00Z'));
    server.route(
      PAGE1,
      { status: 503, headers: { 'retry-after': 'Mon, 07 Apr 2025 12:00:05 GMT' } },
      { status: 429, headers: { 'retry-after': '3600' } },
      { body: jsonBody },
    );
    await source(timing).fetchPortfolio('IBOV');
    expect(timing.sleeps).toEqual([5000, 30_000]);
  });

  it('times out a stalled request and retries it', async () => {
    const timing = fakeTiming();
    server.route(PAGE1, 'hang', { body: jsonBody });
    const started = Date.now();
    const snap = await source(timing, { policy: { attempts: 2, timeoutMs: 200 } }).fetchPortfolio('IBOV');
    expect(snap.rows.length).toBe(87);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(logs[0]).toMatch(/^b3 http: attempt 1 of http:\/\/127\.0\.0\.1:\d+\/indexProxy\/.* failed \(b3 http: GET .* timed out after 200 ms\), retrying in 750 ms$/);
  });

  it('retries a dropped connection', async () => {
    const timing = fakeTiming();
    server.route(PAGE1, 'reset', { body: jsonBody });
    await source(timing).fetchPortfolio('IBOV');
    expect(server.paths()).toEqual([PAGE1, PAGE1]);
    expect(logs[0]).toContain('network error');
  });

  it('falls back to the CSV download when the JSON API still fails after its retries', async () => {
    const timing = fakeTiming();
    server.route(PAGE1, { status: 500, body: 'oops' }).route(CSV, { body: csvBody });
    const snap = await source(timing).fetchPortfolio('IBOV');
    expect(server.paths()).toEqual([PAGE1, PAGE1, PAGE1, CSV]);
    expect([snap.source, snap.portfolioDate, snap.rows.length, snap.rows[0].sector]).toEqual(['csv-download', '2023-12-15', 86, null]);
    expect(snap.rows[0]).toEqual({
      ticker: 'RRRP3', asset: '3R PETROLEUM', shareType: 'ON NM', sector: null,
      theoreticalQty: 235661666, weightPct: 0.287, sectorWeightPct: null,
    });
    expect(logs[logs.length - 1]).toMatch(/^b3 http: json-api failed for IBOV, falling back to csv-download: .*HTTP 500 \(gave up after 3 attempts\)$/);
  });

  it('goes straight to the CSV download when chosen, and does not retry a 404', async () => {
    server.route(CSV, { status: 404, body: 'not found' });
    const err = await source(fakeTiming(), { source: 'csv' }).fetchPortfolio('IBOV').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(B3HttpError);
    expect((err as B3HttpError).status).toBe(404);
    expect((err as Error).message).toBe(`b3 http: GET ${server.baseUrl}${CSV} answered HTTP 404`);
    expect(server.paths()).toEqual([CSV]);
  });

  it('names a Cloudflare challenge on both routes in one clear error', async () => {
    const challenge = { status: 403, headers: { 'content-type': 'text/html' }, body: CLOUDFLARE_CHALLENGE };
    server.route(PAGE1, challenge).route(CSV, challenge);
    const err = await source(fakeTiming()).fetchPortfolio('IBOV').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(B3SourceError);
    expect((err as Error).message).toBe(
      `b3 http: both routes failed for IBOV, got json-api: b3 http: GET ${server.baseUrl}${PAGE1} answered HTTP 403, ` +
        'body is an HTML page titled "Just a moment..." (Cloudflare challenge?); ' +
        `csv-download: b3 http: GET ${server.baseUrl}${CSV} answered HTTP 403, body is an HTML page titled "Just a moment..." (Cloudflare challenge?)`,
    );
    expect(server.paths()).toEqual([PAGE1, CSV]);
  });

  it('refuses a challenge page served with HTTP 200 as a format error, not a crash', async () => {
    server.route(CSV, { status: 200, headers: { 'content-type': 'text/html' }, body: CLOUDFLARE_CHALLENGE });
    const err = await source(fakeTiming(), { source: 'csv' }).fetchPortfolio('IBOV').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(B3FormatError);
    expect((err as Error).message).toBe('b3: expected a base64 CSV download, got an HTML page titled "Just a moment..." (Cloudflare challenge?)');
  });

  it('falls back to CSV when the JSON answer is 200 but not a portfolio', async () => {
    server.route(PAGE1, { body: '{"message":"Service unavailable"}' }).route(CSV, { body: csvBody });
    const snap = await source(fakeTiming()).fetchPortfolio('IBOV');
    expect(snap.source).toBe('csv-download');
    expect(logs[0]).toBe(
      'b3 http: json-api failed for IBOV, falling back to csv-download: b3: expected a JSON portfolio with page and results, got an object with keys [message]',
    );
  });
});

import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createHandler } from '../../../functions/scraper/create-handler';
import { defaultDeps } from '../../../functions/scraper/deps';
import { portfolioCsvPath, portfolioJsonPath } from '../../../lib/b3/sources';
import { b3TradingCalendar } from '../../../lib/calendar/trading-calendar';
import { ScrapeError } from '../../../lib/pipeline/scrape-portfolio';
import { cotahistDailyPath } from '../../../lib/cotahist/source';
import { rawQuotesKey } from '../../../lib/raw/quotes-contract';
import { rawObjectKey } from '../../../lib/raw/raw-key';
import { bundleFunction, PROJECT_ROOT } from '../../../stacks/bundling/bundle-function';
import { liveSessionDate, redatedJson } from '../../adapters/b3-http/live-capture';
import { CLOUDFLARE_CHALLENGE, ReplayServer } from '../../adapters/b3-http/replay-server';
import { emulatorS3 } from '../../adapters/storage/emulator-s3';
import { redatedCotahistZip } from '../../lib/cotahist/cotahist-fixtures';
import { readParquetWithDuckDB } from '../../lib/raw/duckdb-parquet';

const FIXTURES = path.join(__dirname, '../../fixtures/b3');
// A live answer must be dated near today: the capture is served re-dated to today's session.
const DAY = liveSessionDate();
const SESSION = b3TradingCalendar.previousTradingDay(DAY);
const jsonBody = redatedJson(readFileSync(path.join(FIXTURES, 'GetPortfolioDay_enus_seg2_2025-04-07.json'), 'utf8'), DAY, 'en-us');
const KEY = rawObjectKey('IBOV', DAY);
const QUOTES_KEY = rawQuotesKey(SESSION);
// B3's real 2024-11-08 zip re-dated to the D-1 session of the re-dated portfolio.
const cotahistZip = redatedCotahistZip(SESSION);
const runNode = promisify(execFile);

describe('scraper Lambda against a loopback B3 and the emulator S3', () => {
  const s3 = emulatorS3();
  let server: ReplayServer;
  let dir: string;
  let bucket: string;
  let n = 0;

  beforeAll(async () => {
    server = await ReplayServer.start();
    dir = mkdtempSync(path.join(tmpdir(), 'scraper-handler-'));
    // Keep jest's output readable; the bundled run below checks the JSON logs themselves.
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    s3.destroy();
  });
  beforeEach(async () => {
    server.reset();
    bucket = `scraper-lake-${process.pid}-${++n}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  const env = (extra: Record<string, string> = {}) => ({
    AWS_ENDPOINT_URL: process.env.AWS_ENDPOINT_URL,
    LAKE_BUCKET: bucket,
    B3_BASE_URL: server.baseUrl,
    B3_COTAHIST_BASE_URL: server.baseUrl,
    ...extra,
  });
  const keys = async () => (await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents?.map((o) => o.Key) ?? [];
  const download = async (key: string) => {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const file = path.join(dir, `${bucket}.parquet`);
    writeFileSync(file, await out.Body!.transformToByteArray());
    return file;
  };

  it('writes the IBOV portfolio and its D-1 session\'s COTAHIST to S3 as raw Parquet and returns the summary', async () => {
    server.route(portfolioJsonPath('IBOV', 1), { body: jsonBody }).route(cotahistDailyPath(SESSION), { body: cotahistZip });
    const handler = createHandler(() => defaultDeps(env()));
    const out = await handler({});
    expect(out).toEqual({
      written: [{ index: 'IBOV', portfolio_date: DAY, session_date: SESSION, rows: 87, key: KEY, location: `s3://${bucket}/${KEY}`, source: 'json-api' }],
      quotes: [{ session_date: SESSION, quotes: 12_226, key: QUOTES_KEY, location: `s3://${bucket}/${QUOTES_KEY}` }],
    });
    expect(await keys()).toEqual([KEY, QUOTES_KEY].sort());
    const quotes = await readParquetWithDuckDB(await download(QUOTES_KEY), 'ticker, market_type, forward_term_days');
    expect(quotes.rows).toHaveLength(12_226);
    expect(quotes.rows.find((r) => r.ticker === 'PETR4' && r.market_type === 10)).toMatchObject({ session_date: SESSION, close_price: '36.18' });
    const seen = await readParquetWithDuckDB(await download(KEY));
    expect(seen.rows).toHaveLength(87);
    expect(seen.rows.find((r) => r.ticker === 'TAEE11')).toMatchObject({
      index_code: 'IBOV', portfolio_date: DAY, session_date: SESSION, asset: 'TAESA', share_type: 'UNT N2',
      sector: 'Utilidade Públ / Energ Elétrica', theoretical_qty: '218568234', weight_pct: 0.368, sector_weight_pct: 11.917,
      total_theoretical_qty: '99015750716', reductor: 16036751.16744128, source: 'json-api',
    });
  });

  it('throws (so retries and the DLQ work) and writes nothing when B3 answers a Cloudflare challenge', async () => {
    const challenge = { status: 403, headers: { 'content-type': 'text/html' }, body: CLOUDFLARE_CHALLENGE };
    server.route(portfolioJsonPath('IBOV', 1), challenge).route(portfolioCsvPath('IBOV'), challenge);
    const handler = createHandler(() => defaultDeps(env()));
    const err = await handler({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScrapeError);
    expect((err as Error).message).toMatch(/^scrape: refused IBOV, got b3 http: both routes failed for IBOV, got json-api: .*HTTP 403, body is an HTML page titled "Just a moment\.\.\."/);
    expect(await keys()).toEqual([]);
  });

  it.each([
    ['answers 404', { status: 404, body: 'Not Found' }, `b3 http: GET {base}${cotahistDailyPath(SESSION)} answered HTTP 404`],
    [
      'answers an HTML page instead of the zip',
      { headers: { 'content-type': 'text/html' }, body: CLOUDFLARE_CHALLENGE },
      'cotahist: expected a zip, got an HTML page titled "Just a moment..." (Cloudflare challenge?)',
    ],
  ])('fails the invocation (the schedule retries it) when B3 %s for the session, writing no quotes', async (_what, reply, reason) => {
    server.route(portfolioJsonPath('IBOV', 1), { body: jsonBody }).route(cotahistDailyPath(SESSION), reply);
    const handler = createHandler(() => defaultDeps(env()));
    const err = await handler({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScrapeError);
    expect((err as Error).message).toBe(`scrape: refused COTAHIST ${SESSION}, got ${reason.replace('{base}', server.baseUrl)}`);
    // A 404 is not retried inside the invocation: the file is not there yet, the schedule tries later.
    expect(server.paths().filter((p) => p === cotahistDailyPath(SESSION))).toHaveLength(1);
    // The portfolio was whole and is kept; the session's quotes are not written.
    expect(await keys()).toEqual([KEY]);
  });

  it('reports every missing variable as a config error on invocation, and builds deps once', async () => {
    const bad = createHandler(() => defaultDeps({}));
    await expect(bad({})).rejects.toThrow('config: missing environment variable(s) LAKE_BUCKET');

    server.route(portfolioJsonPath('IBOV', 1), { body: jsonBody }).route(cotahistDailyPath(SESSION), { body: cotahistZip });
    let built = 0;
    const handler = createHandler(() => (built++, defaultDeps(env())));
    await handler({});
    await handler({});
    expect(built).toBe(1);
  });

  it('as the deployed bundle: small, runs in plain node with the SDK external, logs JSON', async () => {
    const bundle = bundleFunction('scraper', dir);
    expect(bundle.sizeBytes).toBeLessThanOrEqual(250 * 1024);
    const code = execFileSync('unzip', ['-p', bundle.zipPath, 'index.js']);
    const runDir = mkdtempSync(path.join(dir, 'run-'));
    writeFileSync(path.join(runDir, 'index.js'), code);
    server.route(portfolioJsonPath('IBOV', 1), { body: jsonBody }).route(cotahistDailyPath(SESSION), { body: cotahistZip });
    // Asynchronous on purpose: the replay server answering it lives in this process's event loop.
    const run = await runNode(
      process.execPath,
      [
        '-e',
        "const ctx = { awsRequestId: 'req-42', functionName: 'b3-scraper', functionVersion: '$LATEST', memoryLimitInMB: '256', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:b3-scraper' };" +
          "require('./index.js').handler({}, ctx).then((o) => require('fs').writeFileSync('out.json', JSON.stringify(o)))",
      ],
      {
        cwd: runDir,
        // Lambda's runtime provides @aws-sdk/*; here the project's node_modules stands in for it.
        env: { ...process.env, ...env(), POWERTOOLS_LOG_LEVEL: 'INFO', NODE_PATH: path.join(PROJECT_ROOT, 'node_modules') },
      },
    );
    expect(run.stderr.replace(/\(node:\d+\) Warning: NodeVersionSupportWarning[\s\S]*?--trace-warnings[^\n]*\n/, '')).toBe('');
    const out = JSON.parse(readFileSync(path.join(runDir, 'out.json'), 'utf8'));
    expect(out.written.map((w: { key: string; rows: number }) => [w.key, w.rows])).toEqual([[KEY, 87]]);
    expect(out.quotes.map((q: { key: string; quotes: number }) => [q.key, q.quotes])).toEqual([[QUOTES_KEY, 12_226]]);
    const logs = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logs.map((l) => [l.level, l.service, l.message])).toEqual([
      ['INFO', 'b3-scraper', 'scrape: fetching IBOV'],
      ['INFO', 'b3-scraper', `scrape: wrote 87 rows of IBOV ${DAY} to s3://${bucket}/${KEY}`],
      ['INFO', 'b3-scraper', `scrape: fetching COTAHIST ${SESSION}`],
      ['INFO', 'b3-scraper', `scrape: reading COTAHIST ${SESSION} from ${server.baseUrl}${cotahistDailyPath(SESSION)}`],
      ['INFO', 'b3-scraper', `scrape: wrote 12226 quotes of ${SESSION} to s3://${bucket}/${QUOTES_KEY}`],
      ['INFO', 'b3-scraper', 'raw portfolio written'],
      ['INFO', 'b3-scraper', 'raw quotes written'],
    ]);
    expect(logs.map((l) => [l.function_request_id, l.function_name])).toEqual(Array(7).fill(['req-42', 'b3-scraper']));
    expect(logs[5]).toMatchObject({ index: 'IBOV', portfolio_date: DAY, session_date: SESSION, rows: 87, key: KEY });
    expect(logs[6]).toMatchObject({ session_date: SESSION, quotes: 12_226, key: QUOTES_KEY });
    expect(await keys()).toEqual([KEY, QUOTES_KEY].sort());
  });
});

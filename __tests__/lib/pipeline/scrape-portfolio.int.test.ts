import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { B3HttpSource } from '../../../adapters/b3-http/b3-http-source';
import { ReplayFileSource } from '../../../adapters/b3-http/replay-file-source';
import { portfolioJsonPath } from '../../../lib/b3/sources';
import { LocalLakeStore } from '../../../adapters/storage/local-lake-store';
import { b3TradingCalendar } from '../../../lib/calendar/trading-calendar';
import { scrapePortfolios, ScrapeError, type ScrapeDeps } from '../../../lib/pipeline/scrape-portfolio';
import type { B3Source } from '../../../lib/ports/b3-source';
import { FIXTURES } from '../../cli/capture-facts';
import { readParquetWithDuckDB } from '../raw/duckdb-parquet';
import { PerIndexSource } from '../../adapters/b3-http/per-index-source';
import { CLOUDFLARE_CHALLENGE, ReplayServer } from '../../adapters/b3-http/replay-server';
import { rawObjectKey } from '../../../lib/raw/raw-key';

const JSON_2025_04_07 = path.join(FIXTURES, 'GetPortfolioDay_enus_seg2_2025-04-07.json');
const CSV_2023_12_15 = path.join(FIXTURES, 'IBOVDia_15-12-23.csv');

describe('scrapePortfolios into a local lake', () => {
  let dir: string;
  let lake: LocalLakeStore;
  let challenge: string;
  const progress: string[] = [];
  const deps = (source: B3Source, at = '2025-04-06T21:30:00.000Z'): ScrapeDeps => ({
    source,
    store: lake,
    calendar: b3TradingCalendar,
    clock: { now: () => new Date(at) },
    progress: (line) => progress.push(line),
  });

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'scrape-'));
    lake = new LocalLakeStore(path.join(dir, 'lake'));
    challenge = path.join(dir, 'challenge.html');
    writeFileSync(challenge, CLOUDFLARE_CHALLENGE);
    progress.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the JSON capture under its portfolio date with the D-1 session', async () => {
    const written = await scrapePortfolios(deps(new ReplayFileSource(JSON_2025_04_07)), ['IBOV']);
    const file = path.join(dir, 'lake/raw/portfolio/dt=2025-04-07/ibov.parquet');
    expect(written).toEqual([
      { index: 'IBOV', portfolio_date: '2025-04-07', session_date: '2025-04-04', rows: 87, key: 'raw/portfolio/dt=2025-04-07/ibov.parquet', location: file, source: 'json-api' },
    ]);
    const seen = await readParquetWithDuckDB(file);
    expect(seen.rows).toHaveLength(87);
    expect(new Set(seen.rows.map((r) => `${r.portfolio_date} ${r.session_date} ${r.source} ${r.ingested_at}`))).toEqual(
      new Set(['2025-04-07 2025-04-04 json-api 2025-04-06 21:30:00+00']),
    );
    expect(progress).toEqual(['scrape: fetching IBOV', `scrape: wrote 87 rows of IBOV 2025-04-07 to ${file}`]);
  });

  it('writes the CSV capture of Friday 2023-12-15 with Thursday as its session', async () => {
    const [w] = await scrapePortfolios(deps(new ReplayFileSource(CSV_2023_12_15)), ['IBOV']);
    expect([w.portfolio_date, w.session_date, w.rows, w.source, w.key]).toEqual(['2023-12-15', '2023-12-14', 86, 'csv-download', 'raw/portfolio/dt=2023-12-15/ibov.parquet']);
    const seen = await readParquetWithDuckDB(w.location);
    expect(seen.rows.find((r) => r.ticker === 'RRRP3')).toMatchObject({ sector: null, sector_weight_pct: null, theoretical_qty: '235661666', weight_pct: 0.287 });
  });

  it('a refused answer writes nothing and leaves the existing good object untouched', async () => {
    await scrapePortfolios(deps(new ReplayFileSource(JSON_2025_04_07)), ['IBOV']);
    const good = readFileSync(path.join(dir, 'lake/raw/portfolio/dt=2025-04-07/ibov.parquet'));
    const err = await scrapePortfolios(deps(new ReplayFileSource(challenge)), ['IBOV']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScrapeError);
    expect((err as Error).message).toBe(
      'scrape: refused IBOV, got b3: expected a saved JSON or CSV body, got an HTML page titled "Just a moment..." (Cloudflare challenge?)',
    );
    expect(await lake.list('')).toEqual(['raw/portfolio/dt=2025-04-07/ibov.parquet']);
    expect(readFileSync(path.join(dir, 'lake/raw/portfolio/dt=2025-04-07/ibov.parquet')).equals(good)).toBe(true);
  });

  it('the same day again overwrites the same key', async () => {
    await scrapePortfolios(deps(new ReplayFileSource(JSON_2025_04_07), '2025-04-06T21:30:00.000Z'), ['IBOV']);
    await scrapePortfolios(deps(new ReplayFileSource(JSON_2025_04_07), '2025-04-07T09:15:00.000Z'), ['IBOV']);
    expect(await lake.list('raw/')).toEqual(['raw/portfolio/dt=2025-04-07/ibov.parquet']);
    const seen = await readParquetWithDuckDB(path.join(dir, 'lake/raw/portfolio/dt=2025-04-07/ibov.parquet'));
    expect(seen.rows).toHaveLength(87);
    expect(new Set(seen.rows.map((r) => r.ingested_at))).toEqual(new Set(['2025-04-07 09:15:00+00']));
  });

  it('writes each good index and still fails the run when another is refused', async () => {
    const source = new PerIndexSource({ IBOV: JSON_2025_04_07, SMLL: challenge });
    const err = await scrapePortfolios(deps(source), ['SMLL', 'IBOV']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScrapeError);
    expect((err as ScrapeError).failures.map((f) => f.index)).toEqual(['SMLL']);
    expect((err as Error).message).toBe(
      'scrape: refused SMLL, got b3: expected a saved JSON or CSV body, got an HTML page titled "Just a moment..." (Cloudflare challenge?)',
    );
    const both = await scrapePortfolios(deps(new PerIndexSource({ IBOV: challenge, SMLL: challenge })), ['IBOV', 'SMLL']).catch((e: unknown) => e);
    expect((both as Error).message).toBe(
      'scrape: refused IBOV, SMLL, got IBOV: b3: expected a saved JSON or CSV body, got an HTML page titled "Just a moment..." (Cloudflare challenge?); ' +
        'SMLL: b3: expected a saved JSON or CSV body, got an HTML page titled "Just a moment..." (Cloudflare challenge?)',
    );
    expect((err as ScrapeError).written.map((w) => w.key)).toEqual(['raw/portfolio/dt=2025-04-07/ibov.parquet']);
    expect(await lake.list('')).toEqual(['raw/portfolio/dt=2025-04-07/ibov.parquet']);
  });

  it('refuses an empty index list', async () => {
    await expect(scrapePortfolios(deps(new ReplayFileSource(JSON_2025_04_07)), [])).rejects.toThrow('scrape: no index to scrape, got an empty list');
  });

  describe('a live answer must be dated a session near today in São Paulo', () => {
    let server: ReplayServer;
    beforeAll(async () => {
      server = await ReplayServer.start();
    });
    afterAll(() => server.close());
    // B3 over HTTP (a loopback B3), serving the 2025-04-07 capture with its header.date set to `date` (MM/DD/YY).
    const live = (date = '04/07/25'): B3Source => {
      server.reset();
      const body = readFileSync(JSON_2025_04_07, 'utf8').replace('"date":"04/07/25"', `"date":"${date}"`);
      server.route(portfolioJsonPath('IBOV', 1), { body });
      return new B3HttpSource({ baseUrl: server.baseUrl });
    };
    const refusal = async (source: B3Source, at: string): Promise<string> => {
      const err = await scrapePortfolios(deps(source, at), ['IBOV']).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ScrapeError);
      expect(await lake.list('')).toEqual([]);
      return (err as Error).message;
    };

    it.each([
      ['2025-04-06T21:30:00Z', 'Sunday evening, the Monday portfolio published'],
      ['2025-04-07T12:00:00Z', 'the same day'],
      ['2025-04-14T12:00:00Z', 'five sessions later'],
      ['2025-03-31T12:00:00Z', 'five sessions earlier'],
      ['2025-04-15T02:30:00Z', 'five sessions later in São Paulo (23:30 on 04-14), six in UTC'],
    ])('accepts 2025-04-07 at %s (%s)', async (at) => {
      const [w] = await scrapePortfolios(deps(live(), at), ['IBOV']);
      expect([w.portfolio_date, w.key]).toEqual(['2025-04-07', rawObjectKey('IBOV', '2025-04-07')]);
    });

    it('refuses one more than five sessions before today, writing nothing', async () => {
      expect(await refusal(live(), '2025-04-15T12:00:00Z')).toBe(
        'scrape: refused IBOV, got b3: a live answer must be dated within 5 sessions of today (2025-04-15 in São Paulo), got 2025-04-07 (more than 5 sessions before)',
      );
    });

    it('refuses one more than five sessions after today (a clock gone wrong)', async () => {
      expect(await refusal(live(), '2025-03-28T12:00:00Z')).toBe(
        'scrape: refused IBOV, got b3: a live answer must be dated within 5 sessions of today (2025-03-28 in São Paulo), got 2025-04-07 (more than 5 sessions after)',
      );
    });

    it('refuses a portfolio dated a weekend or a holiday', async () => {
      expect(await refusal(live('04/05/25'), '2025-04-05T12:00:00Z')).toBe(
        'scrape: refused IBOV, got b3: a live answer must be dated a B3 trading day, got 2025-04-05 (a Saturday)',
      );
      expect(await refusal(live('04/18/25'), '2025-04-17T22:00:00Z')).toBe(
        'scrape: refused IBOV, got b3: a live answer must be dated a B3 trading day, got 2025-04-18 (a B3 holiday)',
      );
    });

    it('--replay still accepts any valid past day, years later', async () => {
      const [w] = await scrapePortfolios(deps(new ReplayFileSource(CSV_2023_12_15), '2026-12-01T12:00:00Z'), ['IBOV']);
      expect([w.portfolio_date, w.session_date]).toEqual(['2023-12-15', '2023-12-14']);
    });
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ReplayFileSource } from '../../../adapters/b3-http/replay-file-source';
import { LocalLakeStore } from '../../../adapters/storage/local-lake-store';
import { b3TradingCalendar } from '../../../lib/calendar/trading-calendar';
import { scrapePortfolios, ScrapeError, type ScrapeDeps } from '../../../lib/pipeline/scrape-portfolio';
import type { B3Source } from '../../../lib/ports/b3-source';
import { FIXTURES } from '../../cli/capture-facts';
import { readParquetWithDuckDB } from '../raw/duckdb-parquet';
import { PerIndexSource } from '../../adapters/b3-http/per-index-source';
import { CLOUDFLARE_CHALLENGE } from '../../adapters/b3-http/replay-server';

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
});

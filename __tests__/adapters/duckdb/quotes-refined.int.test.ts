import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bookmarkPath } from '../../../adapters/duckdb/job-bookmark';
import { localCatalogPath, openLocalCatalog } from '../../../adapters/duckdb/local-catalog';
import { runGlueJobLocally } from '../../../adapters/duckdb/run-glue-job-locally';
import { b3QuotesRefinedJob } from '../../../glue-jobs/b3-quotes-refined';
import { QUOTES_REFINED_COLUMNS, QUOTES_REFINED_PREFIX, QUOTES_REFINED_TABLE } from '../../../lib/refined/quotes-refined-contract';
import { TXT_2021_03_25, ZIP_2024_11_08 } from '../../lib/cotahist/cotahist-fixtures';
import { writeRawQuotes } from './raw-quotes-from-fixtures';

const job = () => b3QuotesRefinedJob({ jobName: 'b3-quotes-refined', roleArn: 'arn:aws:iam::123456789012:role/glue', bucket: 'lake' });
const DUCK_TYPES = { date: 'DATE', string: 'VARCHAR', double: 'DOUBLE', int: 'INTEGER', bigint: 'BIGINT' } as const;

async function query(lake: string, sql: string): Promise<Record<string, unknown>[]> {
  const catalog = await openLocalCatalog(lake);
  try {
    return (await catalog.conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    catalog.close();
  }
}

/** Each session folder's files and their bytes. */
function sessionFiles(lake: string): Record<string, Buffer[]> {
  const root = join(lake, QUOTES_REFINED_PREFIX);
  return Object.fromEntries(readdirSync(root).sort().map((day) => [day, readdirSync(join(root, day)).sort().map((f) => readFileSync(join(root, day, f)))]));
}

describe('b3-quotes-refined run locally on real COTAHIST files', () => {
  let lake: string;
  beforeEach(() => {
    lake = mkdtempSync(join(tmpdir(), 'quotes-refined-'));
  });
  afterEach(() => rmSync(lake, { recursive: true, force: true }));

  it('PETR4 on 2024-11-08: open 35.85, high 36.32, low 35.54, close 36.18, 80,702 trades, 49,792,700 shares, R$ 1,790,870,570.00', async () => {
    writeRawQuotes(lake, ZIP_2024_11_08, '2024-11-08');
    const result = await runGlueJobLocally({ job: job(), lakeDir: lake });
    expect(result.catalogUpdated).toEqual([QUOTES_REFINED_TABLE]);
    expect(result.days).toEqual(['2024-11-08']);
    const [petr4] = await query(lake, `SELECT * FROM ${QUOTES_REFINED_TABLE} WHERE ticker = 'PETR4'`);
    expect(petr4).toEqual({
      session_date: expect.anything(), ticker: 'PETR4', isin: 'BRPETRACNPR6', company_name: 'PETROBRAS', specification: 'PN      N2', bdi_code: '02',
      open_price: 35.85, high_price: 36.32, low_price: 35.54, avg_price: 35.96, close_price: 36.18,
      trades: 80_702, shares_traded: 49_792_700n, volume_brl: 1_790_870_570.0, quote_factor: 1, dt: expect.anything(),
    });
    const [days] = await query(lake, `SELECT CAST(session_date AS VARCHAR) AS s, CAST(dt AS VARCHAR) AS d FROM ${QUOTES_REFINED_TABLE} WHERE ticker = 'PETR4'`);
    expect(days).toEqual({ s: '2024-11-08', d: '2024-11-08' });
  });

  it('holds only the spot lot market (TPMERC 010), one row per ticker, in the contract columns and types', async () => {
    const quotes = writeRawQuotes(lake, ZIP_2024_11_08, '2024-11-08');
    await runGlueJobLocally({ job: job(), lakeDir: lake });
    const spot = quotes.filter((q) => q.market_type === 10);
    expect(spot.length).toBeGreaterThan(0);
    expect(spot.length).toBeLessThan(quotes.length);
    const rows = await query(lake, `SELECT ticker FROM ${QUOTES_REFINED_TABLE} ORDER BY ticker`);
    expect(rows.map((r) => r.ticker)).toEqual(spot.map((q) => q.ticker).sort());
    // An option (TPMERC 070) of the same file is left out.
    expect(quotes.find((q) => q.ticker === 'PETRK113')?.market_type).toBe(70);
    expect(rows.some((r) => r.ticker === 'PETRK113')).toBe(false);
    const described = await query(lake, `DESCRIBE ${QUOTES_REFINED_TABLE}`);
    expect(described.map((c) => [c.column_name, c.column_type])).toEqual(QUOTES_REFINED_COLUMNS.map((c) => [c.name, DUCK_TYPES[c.type]]));
  });

  it('divides by FATCOT: a fund quoted per thousand shares (FNAM11, close R$ 0.36 per 1,000) is R$ 0.00036 a share', async () => {
    const quotes = writeRawQuotes(lake, ZIP_2024_11_08, '2024-11-08');
    const fnam = quotes.find((q) => q.ticker === 'FNAM11');
    expect(fnam).toMatchObject({ market_type: 10, quote_factor: 1000, close_price: 36n });
    await runGlueJobLocally({ job: job(), lakeDir: lake });
    const [row] = await query(lake, `SELECT close_price, quote_factor, volume_brl FROM ${QUOTES_REFINED_TABLE} WHERE ticker = 'FNAM11'`);
    expect(row).toEqual({ close_price: 0.36 / 1000, quote_factor: 1000, volume_brl: 47_947.64 });
  });

  it('one file per session, partitioned by dt only; a rerun of a session replaces it with the same bytes', async () => {
    writeRawQuotes(lake, ZIP_2024_11_08, '2024-11-08');
    writeRawQuotes(lake, TXT_2021_03_25, '2021-03-25');
    await runGlueJobLocally({ job: job(), lakeDir: lake });
    const first = sessionFiles(lake);
    expect(Object.keys(first)).toEqual(['dt=2021-03-25', 'dt=2024-11-08']);
    expect(Object.values(first).map((files) => files.length)).toEqual([1, 1]);
    const count = async () => (await query(lake, `SELECT count(*) AS n FROM ${QUOTES_REFINED_TABLE}`))[0].n;
    const before = await count();

    const rerun = await runGlueJobLocally({ job: job(), lakeDir: lake, date: '2024-11-08' });
    expect(rerun.purged.map((p) => p.values)).toEqual([['2024-11-08']]);
    expect(sessionFiles(lake)).toEqual(first);
    await runGlueJobLocally({ job: job(), lakeDir: lake, all: true });
    expect(sessionFiles(lake)).toEqual(first);
    expect(await count()).toBe(before);
  });

  it('an empty run (nothing new for the bookmark) succeeds and publishes nothing', async () => {
    writeRawQuotes(lake, ZIP_2024_11_08, '2024-11-08');
    await runGlueJobLocally({ job: job(), lakeDir: lake });
    const files = sessionFiles(lake);
    const bookmark = readFileSync(bookmarkPath(lake, 'b3-quotes-refined'), 'utf8');
    const again = await runGlueJobLocally({ job: job(), lakeDir: lake });
    expect(again).toMatchObject({ days: [], newObjects: [], rows: 0, catalogUpdated: [] });
    expect(again.purged.flatMap((p) => p.values)).toEqual([]);
    expect(sessionFiles(lake)).toEqual(files);
    expect(readFileSync(bookmarkPath(lake, 'b3-quotes-refined'), 'utf8')).toBe(bookmark);
  });

  it('an empty lake: the run succeeds, writes no table and registers nothing', async () => {
    const result = await runGlueJobLocally({ job: job(), lakeDir: lake });
    expect(result).toMatchObject({ days: [], rows: 0, catalogUpdated: [] });
    expect(existsSync(join(lake, QUOTES_REFINED_PREFIX))).toBe(false);
    expect(existsSync(localCatalogPath(lake))).toBe(false);
  });
});

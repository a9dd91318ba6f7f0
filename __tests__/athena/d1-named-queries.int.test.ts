import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalCatalog } from '../../adapters/duckdb/local-catalog';
import { readD1Session } from '../../adapters/duckdb/d1-session-reader';
import { duckdbQuery } from '../../adapters/report/refined-report-reader';
import { parseReplayedBody } from '../../lib/b3/replay';
import type { IsoDate } from '../../lib/calendar/iso-date';
import { checkD1Weights } from '../../lib/d1-session/weight-check';
import { CSV_2021_03_26, fixtureBytes } from '../lib/b3/b3-fixtures';
import { refinePortfolioCapture } from '../support/d1-lake';
import { spotQuotes, refineQuotesFixture } from '../support/quotes-refined-from-fixture';

const QUERIES = join(__dirname, '..', '..', 'athena', 'queries');
type Row = Record<string, unknown>;

/**
 * Two portfolio days over real quotes: 2021-03-26 against its D-1 2021-03-25, and the same
 * composition filed as 2021-03-29's against 2021-03-26 (consecutive sessions, so the latest day
 * has returns; its weights are the 2021-03-26 ones, so its check fails, as a wrong session must).
 */
describe('the D-1 named queries, run unchanged on the local catalog', () => {
  let lake: string;
  let run: (file: string) => Promise<Row[]>;
  let close: () => void;
  let query: (sql: string) => Promise<Row[]>;

  beforeAll(async () => {
    lake = mkdtempSync(join(tmpdir(), 'athena-d1-'));
    await refinePortfolioCapture(lake, CSV_2021_03_26, '2021-03-25');
    await refinePortfolioCapture(lake, CSV_2021_03_26, '2021-03-26', '2021-03-29');
    await refineQuotesFixture(lake, 'COTAHIST_D25032021.TXT');
    await refineQuotesFixture(lake, 'COTAHIST_D26032021.TXT');
    const catalog = await openLocalCatalog(lake);
    close = catalog.close;
    const q = duckdbQuery(catalog.conn);
    query = q;
    const asDays = (row: Row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'bigint' ? Number(v) : v]));
    run = async (file) => (await catalog.conn.runAndReadAll(readFileSync(join(QUERIES, file), 'utf8'))).getRowObjectsJS().map(asDays);
  });
  afterAll(() => {
    close();
    rmSync(lake, { recursive: true, force: true });
  });

  it('d1-session-movers: the ten largest |returns| of the latest day, against closes computed here', async () => {
    const before = new Map(spotQuotes('COTAHIST_D25032021.TXT').map((x) => [x.ticker, Number(x.close_price) / 100 / x.quote_factor]));
    const after = new Map(spotQuotes('COTAHIST_D26032021.TXT').map((x) => [x.ticker, x]));
    const tickers = parseReplayedBody(fixtureBytes(CSV_2021_03_26), 'IBOV').rows.map((r) => r.ticker);
    const expected = tickers
      .map((t) => ({ t, ret: Number(after.get(t)!.close_price) / 100 / after.get(t)!.quote_factor / before.get(t)! - 1 }))
      .sort((a, b) => Math.abs(b.ret) - Math.abs(a.ret))
      .slice(0, 10);
    const rows = await run('d1-session-movers.sql');
    expect(rows.map((r) => [r.dt, r.session_date, r.previous_session_date])).toEqual(Array(10).fill(['2021-03-29', '2021-03-26', '2021-03-25']));
    expect(rows.map((r) => r.ticker)).toEqual(expected.map((e) => e.t));
    rows.forEach((r, i) => {
      expect(r.session_return).toBeCloseTo(expected[i].ret, 12);
      expect(r.volume_brl).toBe(Number(after.get(expected[i].t)!.traded_volume) / 100);
    });
  });

  it('d1-index-level-history: one level per day, 113,765 at the 2021-03-25 close', async () => {
    const rows = await run('d1-index-level-history.sql');
    expect(rows.map((r) => [r.dt, r.session_date, r.constituents, r.quoted])).toEqual([
      ['2021-03-26', '2021-03-25', 82, 82],
      ['2021-03-29', '2021-03-26', 82, 82],
    ]);
    expect(Math.abs((rows[0].index_level as number) - 113_765)).toBeLessThanOrEqual(1);
    const later = checkD1Weights((await readD1Session(query, 'IBOV', '2021-03-29'))!);
    expect(rows[1].index_level).toBeCloseTo(later.indexLevel!, 6);
  });

  it('d1-weight-check: the same verdict as the check npm start and the report print', async () => {
    const rows = await run('d1-weight-check.sql');
    const checks = await Promise.all((['2021-03-26', '2021-03-29'] as IsoDate[]).map(async (d) => checkD1Weights((await readD1Session(query, 'IBOV', d))!)));
    expect(rows.map((r) => [r.dt, r.constituents, r.quoted, r.reproduced])).toEqual(checks.map((c) => [c.portfolioDate, c.constituents, c.constituents - c.withoutQuote.length, c.reproduced]));
    rows.forEach((r, i) => expect(r.max_deviation_pp).toBeCloseTo(Math.abs(checks[i].maxDeviation!.deviationPp), 12));
    expect(checks.map((c) => c.ok)).toEqual([true, false]);
  });
});

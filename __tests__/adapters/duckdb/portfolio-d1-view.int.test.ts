import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalCatalog } from '../../../adapters/duckdb/local-catalog';
import { readD1Session } from '../../../adapters/duckdb/d1-session-reader';
import type { D1Session } from '../../../lib/d1-session/d1-session';
import { duckdbQuery } from '../../../adapters/report/refined-report-reader';
import { parseReplayedBody } from '../../../lib/b3/replay';
import type { IsoDate } from '../../../lib/calendar/iso-date';
import { D1_VIEW, D1_VIEW_COLUMNS } from '../../../lib/d1-session/portfolio-d1-view';
import { checkD1Weights, formatD1Check, formatIndexPoints } from '../../../lib/d1-session/weight-check';
import { CSV_2021_03_26, CSV_2024_11_11_SECTORS, fixtureBytes } from '../../lib/b3/b3-fixtures';
import { refinePortfolioCapture } from '../../support/d1-lake';
import { spotQuotes, refineQuotesFixture } from '../../support/quotes-refined-from-fixture';

const lakes: string[] = [];
afterAll(() => lakes.forEach((l) => rmSync(l, { recursive: true, force: true })));

async function d1(lake: string, portfolioDate: IsoDate): Promise<D1Session> {
  const catalog = await openLocalCatalog(lake);
  try {
    const session = await readD1Session(duckdbQuery(catalog.conn), 'IBOV', portfolioDate);
    if (session === null) throw new Error(`test: no ${D1_VIEW} rows for ${portfolioDate}`);
    return session;
  } finally {
    catalog.close();
  }
}

const newLake = () => {
  const lake = mkdtempSync(join(tmpdir(), 'd1-view-'));
  lakes.push(lake);
  return lake;
};

describe('b3_portfolio_d1 on the real pairs: each portfolio beside its pregão D-1 quotes', () => {
  it('2024-11-11 against COTAHIST 2024-11-08 (quotes cataloged first): 86/86 reproduced, the index at 127,830', async () => {
    const lake = newLake();
    await refineQuotesFixture(lake, 'COTAHIST_D08112024.ZIP');
    await refinePortfolioCapture(lake, CSV_2024_11_11_SECTORS, '2024-11-08');
    const session = await d1(lake, '2024-11-11');
    const check = checkD1Weights(session);
    expect({ ok: check.ok, constituents: check.constituents, reproduced: check.reproduced, withoutQuote: check.withoutQuote }).toEqual({
      ok: true,
      constituents: 86,
      reproduced: 86,
      withoutQuote: [],
    });
    expect(Math.abs(check.maxDeviation!.deviationPp)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(check.indexLevel! - 127_830)).toBeLessThanOrEqual(1);
    expect(formatIndexPoints(check.indexLevel!)).toMatch(/^127,83[01]$/);
    expect(formatD1Check(check)).toMatch(/^B3 weights reproduced from the D-1 closes: 86\/86 tickers, max deviation 0\.00\d\d pp$/);
    // The acceptance values of PETR4 on 2024-11-08 reach the view per share.
    const petr4 = session.rows.find((r) => r.ticker === 'PETR4')!;
    expect({ close: petr4.close_price, trades: petr4.trades, volume: petr4.volume_brl }).toEqual({ close: 36.18, trades: 80_702, volume: 1_790_870_570 });
  });

  it('2021-03-26 against COTAHIST 2021-03-25 (portfolio first): 82/82 reproduced, the index at 113,765, weights as computed here from the parsed files', async () => {
    const lake = newLake();
    await refinePortfolioCapture(lake, CSV_2021_03_26, '2021-03-25');
    await refineQuotesFixture(lake, 'COTAHIST_D25032021.TXT');
    const session = await d1(lake, '2021-03-26');
    const check = checkD1Weights(session);
    expect({ ok: check.ok, constituents: check.constituents, reproduced: check.reproduced }).toEqual({ ok: true, constituents: 82, reproduced: 82 });
    expect(Math.abs(check.indexLevel! - 113_765)).toBeLessThanOrEqual(1);

    // An independent computation from the parsed portfolio and the parsed COTAHIST.
    const portfolio = parseReplayedBody(fixtureBytes(CSV_2021_03_26), 'IBOV');
    const close = new Map(spotQuotes('COTAHIST_D25032021.TXT').map((q) => [q.ticker, Number(q.close_price) / 100 / q.quote_factor]));
    const total = portfolio.rows.reduce((s, r) => s + r.theoreticalQty * close.get(r.ticker)!, 0);
    const expected = new Map(portfolio.rows.map((r) => [r.ticker, (100 * r.theoreticalQty * close.get(r.ticker)!) / total - r.weightPct]));
    for (const r of session.rows) expect({ ticker: r.ticker, dev: r.weight_deviation_pp! }).toEqual({ ticker: r.ticker, dev: expect.closeTo(expected.get(r.ticker)!, 9) });
    expect(total / portfolio.reductor).toBeCloseTo(check.indexLevel!, 6);
  });

  it.each(['COTAHIST_D26032021.TXT', 'COTAHIST_D23032021.TXT'])('the wrong session %s taken as the D-1 of 2021-03-26 fails the check, naming the tickers', async (file) => {
    const lake = newLake();
    await refinePortfolioCapture(lake, CSV_2021_03_26, '2021-03-25');
    await refineQuotesFixture(lake, file, { asSession: '2021-03-25' });
    const check = checkD1Weights(await d1(lake, '2021-03-26'));
    expect(check.ok).toBe(false);
    expect(check.offTolerance.length).toBeGreaterThan(0);
    expect(Math.abs(check.maxDeviation!.deviationPp)).toBeGreaterThan(0.01);
    const line = formatD1Check(check);
    expect(line).toMatch(/^warning: B3 weights not reproduced from the D-1 closes: \d+\/82 tickers, max deviation 0\.\d{4} pp; over 0\.01 pp: /);
    expect(line).toContain(check.offTolerance[0].ticker);
  });

  it('the wrong session under its own date leaves every constituent without a quote: rows kept, quote columns null, a warning', async () => {
    const lake = newLake();
    await refinePortfolioCapture(lake, CSV_2021_03_26, '2021-03-25');
    await refineQuotesFixture(lake, 'COTAHIST_D26032021.TXT');
    const session = await d1(lake, '2021-03-26');
    expect(session.rows).toHaveLength(82);
    expect(session.rows.every((r) => r.close_price === null && r.volume_brl === null && r.index_points === null)).toBe(true);
    const check = checkD1Weights(session);
    expect({ ok: check.ok, without: check.withoutQuote.length, level: check.indexLevel }).toEqual({ ok: false, without: 82, level: null });
  });

  it('a constituent without a quote keeps its row (LEFT JOIN) and is named in the warning', async () => {
    const lake = newLake();
    await refinePortfolioCapture(lake, CSV_2021_03_26, '2021-03-25');
    await refineQuotesFixture(lake, 'COTAHIST_D25032021.TXT', { dropTickers: ['VALE3'] });
    const session = await d1(lake, '2021-03-26');
    const vale = session.rows.find((r) => r.ticker === 'VALE3')!;
    expect(vale).toMatchObject({ weight_pct: expect.any(Number), close_price: null, volume_brl: null, trades: null, weight_deviation_pp: null, index_points: null });
    const check = checkD1Weights(session);
    expect({ ok: check.ok, without: check.withoutQuote, level: check.indexLevel }).toEqual({ ok: false, without: ['VALE3'], level: null });
    expect(formatD1Check(check)).toMatch(/; without a quote in session 2021-03-25: VALE3$/);
  });

  it('the view has the documented columns, in order, with their types', async () => {
    const lake = newLake();
    await refinePortfolioCapture(lake, CSV_2021_03_26, '2021-03-25');
    await refineQuotesFixture(lake, 'COTAHIST_D25032021.TXT');
    const catalog = await openLocalCatalog(lake);
    try {
      const cols = (await catalog.conn.runAndReadAll(`DESCRIBE ${D1_VIEW}`)).getRowObjectsJS().map((r) => [r.column_name, r.column_type]);
      const duck = { date: 'DATE', string: 'VARCHAR', bigint: 'BIGINT', int: 'INTEGER', double: 'DOUBLE' } as const;
      expect(cols).toEqual(D1_VIEW_COLUMNS.map((c) => [c.name, duck[c.hiveType]]));
    } finally {
      catalog.close();
    }
  });
});

describe('b3_portfolio_d1: the session return, only against the session before', () => {
  // The 2021-03-26 composition filed as 2021-03-29's portfolio (D-1 2021-03-26): the quotes and
  // returns are B3's real ones of 2021-03-25 and 2021-03-26, consecutive sessions.
  const expectedReturns = () => {
    const before = new Map(spotQuotes('COTAHIST_D25032021.TXT').map((q) => [q.ticker, Number(q.close_price) / q.quote_factor]));
    return new Map(spotQuotes('COTAHIST_D26032021.TXT').map((q) => [q.ticker, Number(q.close_price) / q.quote_factor / before.get(q.ticker)! - 1]));
  };

  it('consecutive sessions in the lake (Thursday, Friday): close ÷ previous close − 1', async () => {
    const lake = newLake();
    await refineQuotesFixture(lake, 'COTAHIST_D25032021.TXT');
    await refineQuotesFixture(lake, 'COTAHIST_D26032021.TXT');
    await refinePortfolioCapture(lake, CSV_2021_03_26, '2021-03-26', '2021-03-29');
    const session = await d1(lake, '2021-03-29');
    expect(session.previousSessionDate).toBe('2021-03-25');
    const returns = expectedReturns();
    for (const r of session.rows) expect({ ticker: r.ticker, ret: r.session_return }).toEqual({ ticker: r.ticker, ret: expect.closeTo(returns.get(r.ticker)!, 12) });
  });

  it('across a holiday the portfolio of the session names its D-1: 2021-03-24 treated as a holiday, 2021-03-25 returns against 2021-03-23', async () => {
    const lake = newLake();
    await refineQuotesFixture(lake, 'COTAHIST_D23032021.TXT');
    await refineQuotesFixture(lake, 'COTAHIST_D25032021.TXT');
    // The portfolio of 2021-03-25 (the 03-26 composition refiled) says its D-1 is 2021-03-23.
    await refinePortfolioCapture(lake, CSV_2021_03_26, '2021-03-23', '2021-03-25');
    await refinePortfolioCapture(lake, CSV_2021_03_26, '2021-03-25');
    const session = await d1(lake, '2021-03-26');
    expect(session.previousSessionDate).toBe('2021-03-23');
    const before = new Map(spotQuotes('COTAHIST_D23032021.TXT').map((q) => [q.ticker, Number(q.close_price) / q.quote_factor]));
    const petr4 = spotQuotes('COTAHIST_D25032021.TXT').find((q) => q.ticker === 'PETR4')!;
    expect(session.rows.find((r) => r.ticker === 'PETR4')!.session_return).toBeCloseTo(Number(petr4.close_price) / before.get('PETR4')! - 1, 12);
  });

  it('a previous session missing from the lake gives a null return, never one against an older session', async () => {
    const lake = newLake();
    await refineQuotesFixture(lake, 'COTAHIST_D23032021.TXT');
    await refineQuotesFixture(lake, 'COTAHIST_D25032021.TXT');
    await refinePortfolioCapture(lake, CSV_2021_03_26, '2021-03-25');
    const session = await d1(lake, '2021-03-26');
    expect(session.previousSessionDate).toBeNull();
    expect(session.rows.filter((r) => r.session_return !== null)).toEqual([]);
    expect(session.rows.every((r) => r.close_price !== null)).toBe(true);
  });
});

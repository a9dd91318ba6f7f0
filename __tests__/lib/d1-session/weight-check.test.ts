import { checkD1Weights, formatD1Check, formatIndexLevel, formatIndexPoints, type D1Row } from '../../../lib/d1-session/weight-check';

const row = (ticker: string, deviation: number | null, points = 1000): D1Row => ({
  ticker,
  weight_pct: 10,
  close_price: deviation === null ? null : 20,
  weight_deviation_pp: deviation,
  index_points: deviation === null ? null : points,
});
const day = (rows: D1Row[]) => ({ indexCode: 'IBOV', portfolioDate: '2024-11-11', sessionDate: '2024-11-08', rows });

describe('the cross-source check: B3 weights against the D-1 closes', () => {
  it('holds when every constituent has a quote within 0.01 pp; the level is the sum of the points', () => {
    const c = checkD1Weights(day([row('PETR4', 0.0009, 1200.5), row('VALE3', -0.0004, 800.25)]));
    expect(c).toMatchObject({ ok: true, constituents: 2, reproduced: 2, maxDeviation: { ticker: 'PETR4', deviationPp: 0.0009 }, indexLevel: 2000.75 });
    expect(formatD1Check(c)).toBe('B3 weights reproduced from the D-1 closes: 2/2 tickers, max deviation 0.0009 pp');
    expect(formatIndexLevel(c)).toBe('IBOV at the D-1 close 2024-11-08: 2,001 points (Σ qty × close ÷ reductor)');
  });

  it('warns naming the tickers over 0.01 pp (by size, either sign) and those without a quote; no level then', () => {
    const c = checkD1Weights(day([row('PETR4', 0.002), row('VALE3', -0.2871), row('ITUB4', 0.0101), row('BBAS3', null)]));
    expect(c).toMatchObject({ ok: false, reproduced: 1, withoutQuote: ['BBAS3'], indexLevel: null });
    expect(formatD1Check(c)).toBe(
      'warning: B3 weights not reproduced from the D-1 closes: 1/4 tickers, max deviation 0.2871 pp; over 0.01 pp: VALE3 (0.2871 pp), ITUB4 (0.0101 pp); without a quote in session 2024-11-08: BBAS3',
    );
    expect(formatIndexLevel(c)).toBe('IBOV at the D-1 close 2024-11-08: not reconstructed, 1 constituent(s) without a quote');
  });

  it('exactly 0.01 pp still counts as reproduced', () => {
    expect(checkD1Weights(day([row('PETR4', 0.01)])).ok).toBe(true);
  });

  it('a session with no quote at all is a warning listing every ticker, with no maximum', () => {
    const c = checkD1Weights(day([row('PETR4', null), row('VALE3', null)]));
    expect(formatD1Check(c)).toBe('warning: B3 weights not reproduced from the D-1 closes: 0/2 tickers; without a quote in session 2024-11-08: PETR4, VALE3');
  });

  it('refuses rows that are not the view: none, a repeated ticker, a close without a deviation', () => {
    expect(() => checkD1Weights(day([]))).toThrow('d1 check: no constituents for IBOV 2024-11-11, got 0 rows');
    expect(() => checkD1Weights(day([row('PETR4', 0), row('PETR4', 0)]))).toThrow('d1 check: ticker repeated in IBOV 2024-11-11, got PETR4');
    expect(() => checkD1Weights(day([{ ...row('PETR4', 0), weight_deviation_pp: Number.NaN }]))).toThrow(/^d1 check: PETR4 in IBOV 2024-11-11 has a close but not a finite weight/);
    expect(() => checkD1Weights({ ...day([row('PETR4', 0)]), sessionDate: '08/11/2024' })).toThrow('d1 check: dates must be YYYY-MM-DD, got 2024-11-11 and 08/11/2024');
  });

  it('index points read to the unit with thousands separators', () => {
    expect([formatIndexPoints(127_830.4), formatIndexPoints(113_765.5), formatIndexPoints(999.4)]).toEqual(['127,830', '113,766', '999']);
  });
});

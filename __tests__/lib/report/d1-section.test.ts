import { parse } from 'node-html-parser';
import type { D1Session, D1SessionRow } from '../../../lib/d1-session/d1-session';
import { renderReportHtml, type RenderedChart } from '../../../lib/report/report-html';
import { buildReportModel, type LatestDayRow } from '../../../lib/report/report-model';
import { d1SessionSpec, reportSpecs } from '../../../lib/report/report-specs';

const latest: LatestDayRow[] = ['PETR4', 'VALE3', 'ITUB4'].map((ticker, i) => ({
  ticker, company_name: ticker, share_class: 'ON', sector: null, weight_pct: 30 + i, session_date: '2024-11-08',
}));
const quoted = (ticker: string, ret: number | null, volume: number, dev = 0.0004): D1SessionRow => ({
  ticker, company_name: `<${ticker}>`, weight_pct: 30, close_price: 36.18, weight_deviation_pp: dev, index_points: 40_000,
  volume_brl: volume, trades: 80_702, session_return: ret,
});
const session = (rows: D1SessionRow[], previous: string | null = '2024-11-07'): D1Session => ({
  indexCode: 'IBOV', portfolioDate: '2024-11-11', sessionDate: '2024-11-08', previousSessionDate: previous, rows,
});
const model = (d1Session?: D1Session | null) =>
  buildReportModel({ indexCode: 'IBOV', portfolioDate: '2024-11-11', latestRows: latest, history: [], totalRows: 3, dayCount: 1, d1Session });
const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>';
const charts = (m: ReturnType<typeof model>): RenderedChart[] => reportSpecs(m).map((c) => ({ id: c.id, title: c.title, svg }));

describe('the report\'s pregão D-1 section', () => {
  it('ranks the moves by |return| and the volumes by size, and charts the moves when returns are known', () => {
    const m = model(session([quoted('PETR4', 0.012, 1.79e9), quoted('VALE3', -0.031, 1.2e9), quoted('ITUB4', 0.004, 2.1e9)]));
    expect(m.d1!.biggestMoves.map((x) => [x.ticker, x.returnPct])).toEqual([['VALE3', -3.1], ['PETR4', 1.2], ['ITUB4', 0.4]]);
    expect(m.d1!.largestVolumes.map((x) => x.ticker)).toEqual(['ITUB4', 'PETR4', 'VALE3']);
    const spec = d1SessionSpec(m)!;
    expect(spec.title).toBe('Biggest moves of the D-1 session 2024-11-08');
    expect((spec.spec as { data: { values: { ticker: string }[] } }).data.values.map((v) => v.ticker)).toEqual(['VALE3', 'PETR4', 'ITUB4']);
    expect(reportSpecs(m).map((c) => c.id)).toEqual(['top-weights', 'sector-weights', 'weight-history', 'd1-session']);
  });

  it('charts the volumes when no previous session is in the lake', () => {
    const m = model(session([quoted('PETR4', null, 1.79e9), quoted('VALE3', null, 1.2e9), quoted('ITUB4', null, 2.1e9)], null));
    expect(m.d1!.biggestMoves).toEqual([]);
    expect(d1SessionSpec(m)!.title).toBe('Largest volumes of the D-1 session 2024-11-08');
  });

  it('shows the check line, the level and the tables, escaped, with the chart inside the section', () => {
    const m = model(session([quoted('PETR4', 0.012, 1.79e9), quoted('VALE3', -0.031, 1.2e9), quoted('ITUB4', 0.004, 2.1e9)]));
    const doc = parse(renderReportHtml(m, charts(m)));
    const d1 = doc.querySelector('section#d1')!;
    expect(d1.querySelector('h2')!.text).toBe('Pregão D-1 session 2024-11-08');
    expect(d1.querySelector('p.check')!.text).toBe('B3 weights reproduced from the D-1 closes: 3/3 tickers, max deviation 0.0004 pp');
    expect(d1.querySelectorAll('p.warning')).toHaveLength(0);
    expect(d1.querySelectorAll('dl.facts dd').map((dd) => dd.text)).toEqual(['120,000 points', '2024-11-07']);
    expect(d1.querySelectorAll('table.d1-moves tbody tr').map((tr) => tr.querySelectorAll('td').map((td) => td.text))[0]).toEqual([
      'VALE3', '<VALE3>', '36.18', '-3.10 %', '1,200.0', '80702',
    ]);
    expect(d1.querySelectorAll('table.d1-volumes tbody tr').map((tr) => tr.querySelector('td')!.text)).toEqual(['ITUB4', 'PETR4', 'VALE3']);
    expect(d1.innerHTML).not.toContain('<VALE3>');
    expect(d1.querySelector('figure#d1-session > svg')).not.toBeNull();
    expect(doc.querySelectorAll('figure')).toHaveLength(4);
  });

  it('a failed check is a warning, naming the tickers; a constituent without a quote leaves no level', () => {
    const m = model(session([quoted('PETR4', 0.01, 1e9, 0.25), quoted('VALE3', 0.01, 1e9), { ...quoted('ITUB4', null, 0), close_price: null, volume_brl: null, trades: null, weight_deviation_pp: null, index_points: null }]));
    const d1 = parse(renderReportHtml(m, charts(m))).querySelector('section#d1')!;
    expect(d1.querySelector('p.check.warning')!.text).toBe(
      'warning: B3 weights not reproduced from the D-1 closes: 1/3 tickers, max deviation 0.2500 pp; over 0.01 pp: PETR4 (0.2500 pp); without a quote in session 2024-11-08: ITUB4',
    );
    expect(d1.querySelectorAll('dl.facts dd')[0].text).toBe('not reconstructed: 1 constituent(s) without a quote');
  });

  it('with no quotes in the lake the section says so, as a warning, and adds no chart', () => {
    const m = model(null);
    const doc = parse(renderReportHtml(m, charts(m)));
    expect(doc.querySelector('section#d1 p.check.warning')!.text).toBe(
      'warning: no quotes of the D-1 session 2024-11-08 in the lake (b3_quotes_refined): weights not checked, no index level',
    );
    expect(doc.querySelectorAll('figure')).toHaveLength(3);
  });

  it("a day whose D-1 quotes are not in the lake while other days' are (the view's rows, none quoted): the same warning, no chart", () => {
    const unquoted = (ticker: string): D1SessionRow => ({ ...quoted(ticker, null, 0), close_price: null, volume_brl: null, trades: null, weight_deviation_pp: null, index_points: null });
    const m = model(session(['PETR4', 'VALE3', 'ITUB4'].map(unquoted), null));
    expect(m.d1).toBeNull();
    const doc = parse(renderReportHtml(m, charts(m)));
    expect(doc.querySelector('section#d1 p.check.warning')!.text).toBe(
      'warning: no quotes of the D-1 session 2024-11-08 in the lake (b3_quotes_refined): weights not checked, no index level',
    );
    expect(reportSpecs(m).map((c) => c.id)).toEqual(['top-weights', 'sector-weights', 'weight-history']);
  });

  it('refuses D-1 rows of another day or session', () => {
    expect(() => model({ ...session([quoted('PETR4', null, 1)]), sessionDate: '2024-11-07' })).toThrow(
      'report: the D-1 rows must be of 2024-11-11 (session 2024-11-08), got 2024-11-11 (session 2024-11-07)',
    );
  });
});

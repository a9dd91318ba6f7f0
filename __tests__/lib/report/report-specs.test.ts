import { buildReportModel, type LatestDayRow } from '../../../lib/report/report-model';
import { reportSpecs, sectorWeightsSpec, topWeightsSpec, weightHistorySpec } from '../../../lib/report/report-specs';

const rows: LatestDayRow[] = [
  ['VALE3', 11.025, 'Mats Básicos / Mineração'],
  ['ITUB4', 8.044, 'Financ e Outros / Interms Financs'],
  ['PETR4', 7.502, 'Petróleo, Gás e Biocombustíveis'],
  ['PETR3', 4.171, 'Petróleo, Gás e Biocombustíveis'],
  ['ELET3', 3.958, null],
].map(([ticker, weight_pct, sector]) => ({
  ticker: ticker as string,
  company_name: 'X',
  share_class: 'ON NM',
  sector: sector as string | null,
  weight_pct: weight_pct as number,
  session_date: '2025-04-04',
}));

const model = buildReportModel(
  {
    indexCode: 'IBOV',
    portfolioDate: '2025-04-07',
    latestRows: rows,
    history: [
      { dt: '2025-04-07', ticker: 'ITUB4', weight_pct: 8.044 },
      { dt: '2025-04-07', ticker: 'VALE3', weight_pct: 11.025 },
      { dt: '2022-12-08', ticker: 'VALE3', weight_pct: 19.1 },
    ],
    totalRows: 90,
    dayCount: 2,
  },
  3,
);

// A Vega-Lite spec is plain JSON: reading it back as JSON checks exactly what the renderer gets.
const json = (v: unknown) => JSON.parse(JSON.stringify(v));

describe('report specs', () => {
  it('top weights: inline rows in rank order, bars sorted by that order, value labels', () => {
    const { id, title, spec } = json(topWeightsSpec(model));
    expect([id, title]).toEqual(['top-weights', 'Largest weights on 2025-04-07']);
    expect(spec.title).toEqual({ text: 'Largest weights on 2025-04-07', subtitle: 'top 3 of 5 tickers, % of the IBOV portfolio' });
    expect(spec.data.values).toEqual([
      { rank: 1, ticker: 'VALE3', company_name: 'X', weight_pct: 11.025 },
      { rank: 2, ticker: 'ITUB4', company_name: 'X', weight_pct: 8.044 },
      { rank: 3, ticker: 'PETR4', company_name: 'X', weight_pct: 7.502 },
    ]);
    expect(spec.encoding.y).toEqual({ field: 'ticker', type: 'nominal', sort: ['VALE3', 'ITUB4', 'PETR4'], title: null });
    expect(spec.layer.map((l: { mark: { type: string } }) => l.mark.type)).toEqual(['bar', 'text']);
  });

  it('sector weights: one bar per sector, largest first, unknown sector named', () => {
    const { id, spec } = json(sectorWeightsSpec(model));
    expect(id).toBe('sector-weights');
    expect(spec.data.values).toEqual([
      { sector: 'Petróleo, Gás e Biocombustíveis', weight_pct: 11.673, ticker_count: 2, label: '11.67 (2)' },
      { sector: 'Mats Básicos / Mineração', weight_pct: 11.025, ticker_count: 1, label: '11.03 (1)' },
      { sector: 'Financ e Outros / Interms Financs', weight_pct: 8.044, ticker_count: 1, label: '8.04 (1)' },
      { sector: 'Unknown sector', weight_pct: 3.958, ticker_count: 1, label: '3.96 (1)' },
    ]);
    expect(spec.encoding.y.sort).toEqual(['Petróleo, Gás e Biocombustíveis', 'Mats Básicos / Mineração', 'Financ e Outros / Interms Financs', 'Unknown sector']);
    expect(spec.title.text).toBe('Weight by sector on 2025-04-07');
  });

  it('weight history: one line per ticker in rank order, dates as UTC days', () => {
    const { id, title, spec } = json(weightHistorySpec(model));
    expect([id, title]).toEqual(['weight-history', 'Weight history of the 2 largest tickers']);
    expect(spec.title.subtitle).toBe('2022-12-08 to 2025-04-07, 2 portfolio days in the lake');
    expect(spec.data.values).toEqual([
      { dt: '2022-12-08', ticker: 'VALE3', weight_pct: 19.1 },
      { dt: '2025-04-07', ticker: 'VALE3', weight_pct: 11.025 },
      { dt: '2025-04-07', ticker: 'ITUB4', weight_pct: 8.044 },
    ]);
    expect(spec.mark).toEqual({ type: 'line', point: true, strokeWidth: 2 });
    expect(spec.encoding.x).toEqual({ field: 'dt', type: 'temporal', timeUnit: 'utcyearmonthdate', title: 'portfolio date' });
    expect(spec.encoding.color.scale.domain).toEqual(['VALE3', 'ITUB4']);
  });

  it('drops the points on a long history, where they would only blur the lines', () => {
    const withDays = (n: number) =>
      buildReportModel({
        indexCode: 'IBOV',
        portfolioDate: '2025-04-07',
        latestRows: rows,
        history: Array.from({ length: n }, (_, i) => ({ dt: new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10), ticker: 'VALE3', weight_pct: 11 })),
        totalRows: n,
        dayCount: n,
      });
    expect(weightHistorySpec(withDays(60)).spec).toMatchObject({ mark: { type: 'line', point: true } });
    expect(weightHistorySpec(withDays(61)).spec).toMatchObject({ mark: { type: 'line', point: false } });
  });

  it('puts the three charts in page order and never points at a URL', () => {
    const specs = reportSpecs(model);
    expect(specs.map((s) => s.id)).toEqual(['top-weights', 'sector-weights', 'weight-history']);
    const text = JSON.stringify(specs);
    expect(text).not.toMatch(/"url"|https?:/);
  });
});

import {
  buildReportModel,
  sectorWeights,
  UNKNOWN_SECTOR,
  ReportError,
  type LatestDayRow,
  type ReportInput,
} from '../../../lib/report/report-model';

function row(ticker: string, weight_pct: number, sector: string | null = 'Financ e Outros / Interms Financs'): LatestDayRow {
  return { ticker, company_name: `${ticker} SA`, share_class: 'ON NM', sector, weight_pct, session_date: '2025-04-04' };
}

const latestRows: LatestDayRow[] = [
  row('ITUB4', 8.044),
  row('VALE3', 11.025, 'Mats Básicos / Mineração'),
  row('PETR4', 7.502, 'Petróleo, Gás e Biocombustíveis'),
  row('PETR3', 4.171, 'Petróleo, Gás e Biocombustíveis'),
  // Equal weights: the order must not depend on the reader, so ties go by ticker.
  row('BBDC4', 3.16),
  row('B3SA3', 3.16, null),
  row('ABEV3', 0.1, null),
  row('AZUL4', 0.2, null),
];

const input: ReportInput = {
  indexCode: 'IBOV',
  portfolioDate: '2025-04-07',
  latestRows,
  history: [
    { dt: '2025-04-07', ticker: 'VALE3', weight_pct: 11.025 },
    { dt: '2025-04-07', ticker: 'ITUB4', weight_pct: 8.044 },
    { dt: '2023-12-15', ticker: 'ITUB4', weight_pct: 7.1 },
    { dt: '2022-12-08', ticker: 'VALE3', weight_pct: 19.1 },
  ],
  totalRows: 350,
  dayCount: 4,
};

describe('buildReportModel', () => {
  const model = buildReportModel(input, 3);

  it('ranks the latest day by weight, ties by ticker, and keeps the top N', () => {
    expect(model.topWeights.map((w) => [w.rank, w.ticker, w.weightPct])).toEqual([
      [1, 'VALE3', 11.025],
      [2, 'ITUB4', 8.044],
      [3, 'PETR4', 7.502],
    ]);
    const all = buildReportModel(input, 100).topWeights.map((w) => w.ticker);
    expect(all).toEqual(['VALE3', 'ITUB4', 'PETR4', 'PETR3', 'B3SA3', 'BBDC4', 'AZUL4', 'ABEV3']);
  });

  it('always keeps five leaders for the header table, whatever N is', () => {
    expect(model.leaders.map((w) => w.ticker)).toEqual(['VALE3', 'ITUB4', 'PETR4', 'PETR3', 'B3SA3']);
    expect(model.leaders[4]).toEqual({
      rank: 5,
      ticker: 'B3SA3',
      companyName: 'B3SA3 SA',
      shareClass: 'ON NM',
      sector: null,
      weightPct: 3.16,
    });
  });

  it('carries the header facts', () => {
    expect([model.indexCode, model.portfolioDate, model.sessionDate, model.latestRowCount, model.totalRows, model.dayCount, model.firstDay]).toEqual([
      'IBOV', '2025-04-07', '2025-04-04', 8, 350, 4, '2022-12-08',
    ]);
  });

  it('sorts the history by day then rank, and lists its tickers in rank order', () => {
    expect(model.historyTickers).toEqual(['VALE3', 'ITUB4']);
    expect(model.history.map((p) => `${p.dt} ${p.ticker}`)).toEqual([
      '2022-12-08 VALE3',
      '2023-12-15 ITUB4',
      '2025-04-07 VALE3',
      '2025-04-07 ITUB4',
    ]);
  });

  it('sums sectors, groups null sectors as unknown, and drops float noise', () => {
    expect(sectorWeights(latestRows)).toEqual([
      { sector: 'Petróleo, Gás e Biocombustíveis', weightPct: 11.673, tickerCount: 2 },
      { sector: 'Financ e Outros / Interms Financs', weightPct: 11.204, tickerCount: 2 },
      { sector: 'Mats Básicos / Mineração', weightPct: 11.025, tickerCount: 1 },
      { sector: UNKNOWN_SECTOR, weightPct: 3.46, tickerCount: 3 },
    ]);
    // 0.1 + 0.2 is 0.30000000000000004 in floating point.
    expect(sectorWeights([row('ABEV3', 0.1, null), row('AZUL4', 0.2, null)])).toEqual([
      { sector: UNKNOWN_SECTOR, weightPct: 0.3, tickerCount: 2 },
    ]);
  });

  it('falls back to the portfolio date as first day when there is no history', () => {
    expect(buildReportModel({ ...input, history: [] }).firstDay).toBe('2025-04-07');
  });
});

describe('buildReportModel refusals', () => {
  const cases: [string, ReportInput, number, string][] = [
    ['no rows', { ...input, latestRows: [] }, 15, 'report: no refined rows for index IBOV on 2025-04-07, got 0 rows'],
    ['top N of zero', input, 0, 'report: top N must be a positive integer, got 0'],
    ['fractional top N', input, 1.5, 'report: top N must be a positive integer, got 1.5'],
    [
      'two sessions for one day',
      { ...input, latestRows: [row('VALE3', 11), { ...row('ITUB4', 8), session_date: '2025-04-03' }] },
      15,
      'report: 2025-04-07 must have one session_date, got 2025-04-03, 2025-04-04',
    ],
    [
      'a session not before the portfolio date',
      { ...input, latestRows: [{ ...row('VALE3', 11), session_date: '2025-04-07' }] },
      15,
      'report: session_date must precede portfolio date 2025-04-07, got 2025-04-07',
    ],
    ['a repeated ticker', { ...input, latestRows: [row('VALE3', 11), row('VALE3', 10)] }, 15, 'report: ticker repeated on 2025-04-07, got VALE3'],
    ['a NaN weight', { ...input, latestRows: [row('VALE3', Number.NaN)] }, 15, 'report: weight_pct of VALE3 is not a number, got NaN'],
    [
      'history of a ticker absent from the latest day',
      { ...input, history: [{ dt: '2025-04-07', ticker: 'XPTO3', weight_pct: 1 }] },
      15,
      'report: history ticker is not in the latest day 2025-04-07, got XPTO3',
    ],
    ['a malformed date', { ...input, portfolioDate: '2025-02-30' }, 15, 'report: portfolio date is not YYYY-MM-DD, got 2025-02-30'],
  ];
  it.each(cases)('refuses %s', (_name, bad, topN, message) => {
    expect(() => buildReportModel(bad, topN)).toThrow(new ReportError(message));
    expect(() => buildReportModel(bad, topN)).toThrow(ReportError);
  });
});

import type { TopLevelSpec } from 'vega-lite/build/index';
import type { ReportModel } from './report-model';

// vega-lite ships its types behind package "exports", which this project's node10 resolution
// ignores; the build path holds the same declarations and the import is type-only.

/** Shared look: one font, no chart border, so the three SVGs read as one page. */
const CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6' },
  title: { fontSize: 15, subtitleFontSize: 12, anchor: 'start' as const, subtitleColor: '#555' },
};

const BAR_COLOR = '#1f5f99';
/** Above this many days the history chart draws plain lines. */
const MAX_POINT_DAYS = 60;
const SECTOR_COLOR = '#2e8b57';

const CHART_IDS = ['top-weights', 'sector-weights', 'weight-history', 'd1-session'] as const;
export type ChartId = (typeof CHART_IDS)[number];

export interface ChartSpec {
  readonly id: ChartId;
  /** The chart's title text, also used as the figure's accessible caption. */
  readonly title: string;
  readonly spec: TopLevelSpec;
}

/** Horizontal bars of the top N weights of the latest day, in rank order, labelled with the value. */
export function topWeightsSpec(model: ReportModel): ChartSpec {
  const title = `Largest weights on ${model.portfolioDate}`;
  const order = model.topWeights.map((w) => w.ticker);
  return {
    id: 'top-weights',
    title,
    spec: {
      config: CONFIG,
      title: { text: title, subtitle: `top ${model.topWeights.length} of ${model.latestRowCount} tickers, % of the ${model.indexCode} portfolio` },
      width: 560,
      height: { step: 20 },
      data: {
        values: model.topWeights.map((w) => ({ rank: w.rank, ticker: w.ticker, company_name: w.companyName, weight_pct: w.weightPct })),
      },
      encoding: {
        y: { field: 'ticker', type: 'nominal', sort: order, title: null },
        x: { field: 'weight_pct', type: 'quantitative', title: 'weight (%)' },
      },
      layer: [
        { mark: { type: 'bar', color: BAR_COLOR } },
        {
          mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 },
          encoding: { text: { field: 'weight_pct', type: 'quantitative', format: '.3f' } },
        },
      ],
    },
  };
}

/** Horizontal bars of each sector's summed weight on the latest day, largest first. */
export function sectorWeightsSpec(model: ReportModel): ChartSpec {
  const title = `Weight by sector on ${model.portfolioDate}`;
  return {
    id: 'sector-weights',
    title,
    spec: {
      config: CONFIG,
      title: { text: title, subtitle: `${model.sectorWeights.length} sectors, sum of weight_pct; number of tickers in brackets` },
      width: 420,
      height: { step: 18 },
      data: {
        values: model.sectorWeights.map((s) => ({
          sector: s.sector,
          weight_pct: s.weightPct,
          ticker_count: s.tickerCount,
          label: `${s.weightPct.toFixed(2)} (${s.tickerCount})`,
        })),
      },
      encoding: {
        y: { field: 'sector', type: 'nominal', sort: model.sectorWeights.map((s) => s.sector), title: null, axis: { labelLimit: 400 } },
        x: { field: 'weight_pct', type: 'quantitative', title: 'weight (%)' },
      },
      layer: [
        { mark: { type: 'bar', color: SECTOR_COLOR } },
        { mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 }, encoding: { text: { field: 'label', type: 'nominal' } } },
      ],
    },
  };
}

/** One line per ticker (the largest of the latest day) across every day in the lake. */
export function weightHistorySpec(model: ReportModel): ChartSpec {
  const title = `Weight history of the ${model.historyTickers.length} largest tickers`;
  return {
    id: 'weight-history',
    title,
    spec: {
      config: CONFIG,
      title: {
        text: title,
        subtitle: `${model.firstDay} to ${model.portfolioDate}, ${model.dayCount} portfolio day${model.dayCount === 1 ? '' : 's'} in the lake`,
      },
      width: 720,
      height: 300,
      data: { values: model.history.map((p) => ({ dt: p.dt, ticker: p.ticker, weight_pct: p.weight_pct })) },
      // Points keep a ticker seen on one day visible; past MAX_POINT_DAYS they only blur the lines.
      // utc: the dates carry no zone (YYYY-MM-DD), so no reader's clock can shift a day.
      mark: { type: 'line', point: new Set(model.history.map((p) => p.dt)).size <= MAX_POINT_DAYS, strokeWidth: 2 },
      encoding: {
        x: { field: 'dt', type: 'temporal', timeUnit: 'utcyearmonthdate', title: 'portfolio date' },
        y: { field: 'weight_pct', type: 'quantitative', title: 'weight (%)' },
        color: { field: 'ticker', type: 'nominal', scale: { domain: [...model.historyTickers] }, title: 'ticker' },
      },
    },
  };
}

const GAIN_COLOR = '#2e8b57';
const LOSS_COLOR = '#b22222';

/**
 * The pregão D-1 chart: the constituents' biggest moves (session return, green up, red down) when
 * the previous session is in the lake; otherwise their largest volumes, which need no other day.
 */
export function d1SessionSpec(model: ReportModel): ChartSpec | null {
  const d1 = model.d1;
  if (d1 === null) return null;
  const byReturn = d1.biggestMoves.length > 0;
  const rows = byReturn ? d1.biggestMoves : d1.largestVolumes;
  const title = byReturn ? `Biggest moves of the D-1 session ${d1.sessionDate}` : `Largest volumes of the D-1 session ${d1.sessionDate}`;
  const subtitle = byReturn
    ? `${rows.length} largest |close / previous close - 1| among the ${model.indexCode} constituents, against ${d1.previousSessionDate}`
    : `${rows.length} largest traded volumes among the ${model.indexCode} constituents, R$ millions (no previous session in the lake: no returns)`;
  const field = byReturn ? 'return_pct' : 'volume_mbrl';
  return {
    id: 'd1-session',
    title,
    spec: {
      config: CONFIG,
      title: { text: title, subtitle },
      width: 560,
      height: { step: 20 },
      data: {
        values: rows.map((m) => ({ ticker: m.ticker, return_pct: m.returnPct, volume_mbrl: m.volumeBrl / 1e6, gain: (m.returnPct ?? 0) >= 0 })),
      },
      encoding: {
        y: { field: 'ticker', type: 'nominal', sort: rows.map((m) => m.ticker), title: null },
        x: { field, type: 'quantitative', title: byReturn ? 'session return (%)' : 'volume (R$ millions)' },
      },
      layer: [
        {
          mark: { type: 'bar' },
          encoding: byReturn
            ? { color: { field: 'gain', type: 'nominal', scale: { domain: [true, false], range: [GAIN_COLOR, LOSS_COLOR] }, legend: null } }
            : { color: { value: BAR_COLOR } },
        },
        { mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 }, encoding: { text: { field, type: 'quantitative', format: byReturn ? '+.2f' : ',.1f' } } },
      ],
    },
  };
}

/** The report's charts, in page order: three, and the D-1 session's when the lake has its quotes. */
export function reportSpecs(model: ReportModel): ChartSpec[] {
  const d1 = d1SessionSpec(model);
  return [topWeightsSpec(model), sectorWeightsSpec(model), weightHistorySpec(model), ...(d1 ? [d1] : [])];
}

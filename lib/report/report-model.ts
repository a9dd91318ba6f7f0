import { isIsoDate, type IsoDate } from '../calendar/iso-date';
import type { D1Session } from '../d1-session/d1-session';
import { PipelineError } from '../errors';
import { buildD1Section, type D1SectionModel } from './d1-section';

/** Raised when the report's input is empty or breaks the refined contract. */
export class ReportError extends PipelineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReportError';
  }
}

/** One refined row of the latest portfolio day, the columns the report shows. */
export interface LatestDayRow {
  readonly ticker: string;
  readonly company_name: string;
  readonly share_class: string;
  readonly sector: string | null;
  readonly weight_pct: number;
  readonly session_date: IsoDate;
}

/** One day of one ticker's weight, for the history chart. */
export interface WeightPoint {
  readonly dt: IsoDate;
  readonly ticker: string;
  readonly weight_pct: number;
}

/** What the report is built from: the latest day whole, plus the history of its largest tickers. */
export interface ReportInput {
  readonly indexCode: string;
  /** The latest `dt` (portfolio_date) in the lake for this index. */
  readonly portfolioDate: IsoDate;
  readonly latestRows: readonly LatestDayRow[];
  readonly history: readonly WeightPoint[];
  /** Rows and distinct days of this index in the whole lake. */
  readonly totalRows: number;
  readonly dayCount: number;
  /** The latest day beside its D-1 quotes (view b3_portfolio_d1); null when the lake has none. */
  readonly d1Session?: D1Session | null;
}

export interface RankedWeight {
  readonly rank: number;
  readonly ticker: string;
  readonly companyName: string;
  readonly shareClass: string;
  readonly sector: string | null;
  readonly weightPct: number;
}

export interface SectorWeight {
  /** The sector's name, or UNKNOWN_SECTOR when the source carried none (CSV download days). */
  readonly sector: string;
  readonly weightPct: number;
  readonly tickerCount: number;
}

export interface ReportModel {
  readonly indexCode: string;
  readonly portfolioDate: IsoDate;
  readonly sessionDate: IsoDate;
  readonly latestRowCount: number;
  readonly totalRows: number;
  readonly dayCount: number;
  /** The top N of the latest day, largest weight first (ties by ticker). */
  readonly topWeights: readonly RankedWeight[];
  /** Always the top 5, whatever N is: the header's table. */
  readonly leaders: readonly RankedWeight[];
  readonly sectorWeights: readonly SectorWeight[];
  /** Tickers of the history chart, largest weight on the latest day first. */
  readonly historyTickers: readonly string[];
  readonly history: readonly WeightPoint[];
  readonly firstDay: IsoDate;
  /** The pregão D-1 section; null when the lake has no quotes of the session. */
  readonly d1: D1SectionModel | null;
}

export const UNKNOWN_SECTOR = 'Unknown sector';
const LEADER_COUNT = 5;
export const DEFAULT_TOP_N = 15;
export const DEFAULT_HISTORY_TICKERS = 5;

/** Largest weight first; equal weights by ticker so the order never depends on the reader. */
export function byWeightDesc(a: { weight_pct: number; ticker: string }, b: { weight_pct: number; ticker: string }): number {
  return b.weight_pct - a.weight_pct || (a.ticker < b.ticker ? -1 : a.ticker > b.ticker ? 1 : 0);
}

export function assertTopN(topN: number, what = 'top N'): number {
  if (!Number.isSafeInteger(topN) || topN < 1) throw new ReportError(`report: ${what} must be a positive integer, got ${topN}`);
  return topN;
}

/** Ranks, aggregates and checks the input; everything the specs and the page need. */
export function buildReportModel(input: ReportInput, topN: number = DEFAULT_TOP_N): ReportModel {
  assertTopN(topN);
  const { latestRows, history } = input;
  if (latestRows.length === 0) {
    throw new ReportError(`report: no refined rows for index ${input.indexCode} on ${input.portfolioDate}, got 0 rows`);
  }
  if (!isIsoDate(input.portfolioDate)) throw new ReportError(`report: portfolio date is not YYYY-MM-DD, got ${input.portfolioDate}`);
  const sessionDates = [...new Set(latestRows.map((r) => r.session_date))];
  // One portfolio day comes from exactly one D-1 session; two would mean mixed partitions.
  if (sessionDates.length !== 1) {
    throw new ReportError(`report: ${input.portfolioDate} must have one session_date, got ${sessionDates.sort().join(', ')}`);
  }
  const sessionDate = sessionDates[0];
  if (!(sessionDate < input.portfolioDate)) {
    throw new ReportError(`report: session_date must precede portfolio date ${input.portfolioDate}, got ${sessionDate}`);
  }
  const d1 = input.d1Session;
  if (d1 && (d1.portfolioDate !== input.portfolioDate || d1.sessionDate !== sessionDate)) {
    throw new ReportError(`report: the D-1 rows must be of ${input.portfolioDate} (session ${sessionDate}), got ${d1.portfolioDate} (session ${d1.sessionDate})`);
  }
  const seen = new Set<string>();
  for (const row of latestRows) {
    if (seen.has(row.ticker)) throw new ReportError(`report: ticker repeated on ${input.portfolioDate}, got ${row.ticker}`);
    if (!Number.isFinite(row.weight_pct)) throw new ReportError(`report: weight_pct of ${row.ticker} is not a number, got ${row.weight_pct}`);
    seen.add(row.ticker);
  }

  const ranked = [...latestRows].sort(byWeightDesc).map(
    (r, i): RankedWeight => ({
      rank: i + 1,
      ticker: r.ticker,
      companyName: r.company_name,
      shareClass: r.share_class,
      sector: r.sector,
      weightPct: r.weight_pct,
    }),
  );
  const historyTickers = [...new Set(history.map((p) => p.ticker))];
  const rankOf = new Map(ranked.map((r) => [r.ticker, r.rank]));
  for (const t of historyTickers) {
    if (!rankOf.has(t)) throw new ReportError(`report: history ticker is not in the latest day ${input.portfolioDate}, got ${t}`);
  }
  historyTickers.sort((a, b) => (rankOf.get(a) ?? 0) - (rankOf.get(b) ?? 0));
  const sortedHistory = [...history].sort((a, b) => (a.dt < b.dt ? -1 : a.dt > b.dt ? 1 : 0) || (rankOf.get(a.ticker) ?? 0) - (rankOf.get(b.ticker) ?? 0));
  const firstDay = sortedHistory.length > 0 ? sortedHistory[0].dt : input.portfolioDate;

  return {
    indexCode: input.indexCode,
    portfolioDate: input.portfolioDate,
    sessionDate,
    latestRowCount: latestRows.length,
    totalRows: input.totalRows,
    dayCount: input.dayCount,
    topWeights: ranked.slice(0, topN),
    leaders: ranked.slice(0, LEADER_COUNT),
    sectorWeights: sectorWeights(latestRows),
    historyTickers,
    history: sortedHistory,
    firstDay,
    // The view has a row per constituent even when its D-1 session's quotes are not in the lake
    // (other days' are): with no row quoted, the section says there are no quotes.
    d1: d1 && d1.rows.some((r) => r.close_price !== null) ? buildD1Section(d1) : null,
  };
}

/** Sum of weight_pct per sector, largest first; null sectors grouped as UNKNOWN_SECTOR. */
export function sectorWeights(rows: readonly LatestDayRow[]): SectorWeight[] {
  const sums = new Map<string, { weightPct: number; tickerCount: number }>();
  for (const row of rows) {
    const key = row.sector ?? UNKNOWN_SECTOR;
    const acc = sums.get(key) ?? { weightPct: 0, tickerCount: 0 };
    acc.weightPct += row.weight_pct;
    acc.tickerCount += 1;
    sums.set(key, acc);
  }
  return [...sums.entries()]
    // Rounded to 1e-6: B3 weights have 3 decimals, so this only drops float noise (0.30000000000000004).
    .map(([sector, s]) => ({ sector, weightPct: Math.round(s.weightPct * 1e6) / 1e6, tickerCount: s.tickerCount }))
    .sort((a, b) => b.weightPct - a.weightPct || (a.sector < b.sector ? -1 : a.sector > b.sector ? 1 : 0));
}

import { isIsoDate, type IsoDate } from '../calendar/iso-date';
import { PipelineError } from '../errors';

/** Raised when the rows handed to the check break the view's contract (not when the check fails). */
export class D1CheckError extends PipelineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'D1CheckError';
  }
}

/**
 * B3 rounds `Part. (%)` to 3 decimals, so a weight reproduced from the right closes is off by at
 * most 0.0005 pp plus float noise; measured on the real pairs: 0.0086 pp at most (2021-03-26).
 * The same day's closes miss by up to 0.30 pp, so 0.01 pp separates the two.
 */
export const WEIGHT_TOLERANCE_PP = 0.01;

/** One constituent of a portfolio day, as the view `b3_portfolio_d1` gives it. */
export interface D1Row {
  readonly ticker: string;
  readonly weight_pct: number;
  /** Null when the D-1 session has no quote of the ticker. */
  readonly close_price: number | null;
  readonly weight_deviation_pp: number | null;
  readonly index_points: number | null;
}

export interface D1Day {
  readonly indexCode: string;
  readonly portfolioDate: IsoDate;
  readonly sessionDate: IsoDate;
  readonly rows: readonly D1Row[];
}

export interface WeightDeviation {
  readonly ticker: string;
  readonly deviationPp: number;
}

/** Whether the portfolio's weights (one B3 source) follow from the session's closes (the other). */
export interface D1WeightCheck {
  readonly indexCode: string;
  readonly portfolioDate: IsoDate;
  readonly sessionDate: IsoDate;
  readonly tolerancePp: number;
  readonly constituents: number;
  /** Constituents with a quote whose weight is within the tolerance. */
  readonly reproduced: number;
  /** The largest |deviation| among quoted constituents; null when none has a quote. */
  readonly maxDeviation: WeightDeviation | null;
  /** Σ index_points: the index at the D-1 close; null unless every constituent has a quote. */
  readonly indexLevel: number | null;
  /** Over the tolerance, largest first. */
  readonly offTolerance: readonly WeightDeviation[];
  readonly withoutQuote: readonly string[];
  readonly ok: boolean;
}

const byTicker = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Checks one portfolio day and index; refuses rows that are not the view's (empty, repeated, NaN). */
export function checkD1Weights(day: D1Day, tolerancePp: number = WEIGHT_TOLERANCE_PP): D1WeightCheck {
  const at = `${day.indexCode} ${day.portfolioDate}`;
  if (!isIsoDate(day.portfolioDate) || !isIsoDate(day.sessionDate)) {
    throw new D1CheckError(`d1 check: dates must be YYYY-MM-DD, got ${day.portfolioDate} and ${day.sessionDate}`);
  }
  if (day.rows.length === 0) throw new D1CheckError(`d1 check: no constituents for ${at}, got 0 rows`);
  const seen = new Set<string>();
  const deviations: WeightDeviation[] = [];
  const withoutQuote: string[] = [];
  let indexLevel = 0;
  for (const r of day.rows) {
    if (seen.has(r.ticker)) throw new D1CheckError(`d1 check: ticker repeated in ${at}, got ${r.ticker}`);
    seen.add(r.ticker);
    if (r.close_price === null) {
      withoutQuote.push(r.ticker);
      continue;
    }
    const finite = [r.close_price, r.weight_pct, r.weight_deviation_pp, r.index_points].every((v) => typeof v === 'number' && Number.isFinite(v));
    if (!finite) {
      throw new D1CheckError(`d1 check: ${r.ticker} in ${at} has a close but not a finite weight, deviation and points, got ${JSON.stringify(r)}`);
    }
    deviations.push({ ticker: r.ticker, deviationPp: r.weight_deviation_pp as number });
    indexLevel += r.index_points as number;
  }
  const largestFirst = (a: WeightDeviation, b: WeightDeviation) => Math.abs(b.deviationPp) - Math.abs(a.deviationPp) || byTicker(a.ticker, b.ticker);
  deviations.sort(largestFirst);
  const offTolerance = deviations.filter((d) => Math.abs(d.deviationPp) > tolerancePp);
  return {
    indexCode: day.indexCode,
    portfolioDate: day.portfolioDate,
    sessionDate: day.sessionDate,
    tolerancePp,
    constituents: day.rows.length,
    reproduced: deviations.length - offTolerance.length,
    maxDeviation: deviations[0] ?? null,
    indexLevel: withoutQuote.length === 0 ? indexLevel : null,
    offTolerance,
    withoutQuote: withoutQuote.sort(byTicker),
    ok: offTolerance.length === 0 && withoutQuote.length === 0,
  };
}

const pp = (x: number) => `${Math.abs(x).toFixed(4)} pp`;
const MAX_NAMED = 12;
const names = (list: readonly string[]) => (list.length > MAX_NAMED ? `${list.slice(0, MAX_NAMED).join(', ')} and ${list.length - MAX_NAMED} more` : list.join(', '));

/** The check's one line: "B3 weights reproduced from the D-1 closes: 86/86 tickers, max deviation 0.0009 pp", or a warning naming the tickers. */
export function formatD1Check(c: D1WeightCheck): string {
  const max = c.maxDeviation ? `, max deviation ${pp(c.maxDeviation.deviationPp)}` : '';
  if (c.ok) return `B3 weights reproduced from the D-1 closes: ${c.reproduced}/${c.constituents} tickers${max}`;
  const problems = [
    ...(c.offTolerance.length ? [`over ${c.tolerancePp} pp: ${names(c.offTolerance.map((d) => `${d.ticker} (${pp(d.deviationPp)})`))}`] : []),
    ...(c.withoutQuote.length ? [`without a quote in session ${c.sessionDate}: ${names(c.withoutQuote)}`] : []),
  ];
  return `warning: B3 weights not reproduced from the D-1 closes: ${c.reproduced}/${c.constituents} tickers${max}; ${problems.join('; ')}`;
}

/** 127830.4 → "127,830": points to the unit, as B3 quotes the index. */
export function formatIndexPoints(points: number): string {
  return Math.round(points).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The index level line, when every constituent has a close. */
export function formatIndexLevel(c: D1WeightCheck): string {
  return c.indexLevel === null
    ? `${c.indexCode} at the D-1 close ${c.sessionDate}: not reconstructed, ${c.withoutQuote.length} constituent(s) without a quote`
    : `${c.indexCode} at the D-1 close ${c.sessionDate}: ${formatIndexPoints(c.indexLevel)} points (Σ qty × close ÷ reductor)`;
}

import type { IsoDate } from '../calendar/iso-date';
import type { D1Session, D1SessionRow } from '../d1-session/d1-session';
import { checkD1Weights, formatD1Check, type D1WeightCheck } from '../d1-session/weight-check';

/** One constituent's D-1 session as the section lists it. */
export interface D1Move {
  readonly ticker: string;
  readonly companyName: string;
  readonly weightPct: number;
  readonly closePrice: number;
  /** close ÷ previous close − 1, in percent; null when the previous session is not in the lake. */
  readonly returnPct: number | null;
  readonly volumeBrl: number;
  readonly trades: number;
}

/** The report's pregão D-1 section: the check, the index level, the moves and the volumes. */
export interface D1SectionModel {
  readonly sessionDate: IsoDate;
  readonly previousSessionDate: IsoDate | null;
  readonly check: D1WeightCheck;
  readonly checkLine: string;
  /** Largest |return| first; empty when no return is known. */
  readonly biggestMoves: readonly D1Move[];
  /** Largest volume first. */
  readonly largestVolumes: readonly D1Move[];
}

/** Rows in each of the section's tables; the chart shows CHART_ROWS. */
export const D1_TABLE_ROWS = 5;
export const D1_CHART_ROWS = 15;

const byTicker = (a: D1Move, b: D1Move) => (a.ticker < b.ticker ? -1 : a.ticker > b.ticker ? 1 : 0);

function toMove(r: D1SessionRow): D1Move | null {
  if (r.close_price === null || r.volume_brl === null || r.trades === null) return null;
  return {
    ticker: r.ticker,
    companyName: r.company_name,
    weightPct: r.weight_pct,
    closePrice: r.close_price,
    returnPct: r.session_return === null ? null : 100 * r.session_return,
    volumeBrl: r.volume_brl,
    trades: r.trades,
  };
}

/** Builds the section from the view's rows of the report's day (the caller checks they are that day's). */
export function buildD1Section(session: D1Session): D1SectionModel {
  const check = checkD1Weights(session);
  const moves = session.rows.map(toMove).filter((m): m is D1Move => m !== null);
  const withReturn = moves.filter((m) => m.returnPct !== null);
  return {
    sessionDate: session.sessionDate,
    previousSessionDate: session.previousSessionDate,
    check,
    checkLine: formatD1Check(check),
    biggestMoves: [...withReturn].sort((a, b) => Math.abs(b.returnPct!) - Math.abs(a.returnPct!) || byTicker(a, b)).slice(0, D1_CHART_ROWS),
    largestVolumes: [...moves].sort((a, b) => b.volumeBrl - a.volumeBrl || byTicker(a, b)).slice(0, D1_CHART_ROWS),
  };
}

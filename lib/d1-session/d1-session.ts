import type { IsoDate } from '../calendar/iso-date';
import type { D1Day, D1Row } from './weight-check';

/** A constituent's pregão D-1, as the view b3_portfolio_d1 gives it (the report's section reads these). */
export interface D1SessionRow extends D1Row {
  readonly company_name: string;
  readonly volume_brl: number | null;
  readonly trades: number | null;
  /** Null when the previous session is not in the lake. */
  readonly session_return: number | null;
}

/** One portfolio day of one index beside its D-1 session. */
export interface D1Session extends D1Day {
  readonly rows: readonly D1SessionRow[];
  /** The session the returns are against, when known. */
  readonly previousSessionDate: IsoDate | null;
}

import { existsSync } from 'node:fs';
import { isIsoDate, type IsoDate } from '../../lib/calendar/iso-date';
import { D1_VIEW } from '../../lib/d1-session/portfolio-d1-view';
import type { D1Session, D1SessionRow } from '../../lib/d1-session/d1-session';
import { checkD1Weights, D1CheckError, type D1WeightCheck } from '../../lib/d1-session/weight-check';
import type { QueryFn } from '../report/refined-report-reader';
import { localCatalogPath, openCatalogInstance } from './local-catalog';

const INDEX_CODE = /^[A-Z0-9]{2,12}$/;

/**
 * One portfolio day of one index from the view b3_portfolio_d1, or null when the catalog has no
 * such view (no quotes cataloged yet). Numbers are cast to DOUBLE so no bigint comes back.
 */
export async function readD1Session(query: QueryFn, indexCode: string, portfolioDate: IsoDate): Promise<D1Session | null> {
  if (!INDEX_CODE.test(indexCode)) throw new D1CheckError(`d1 session: index code must be 2-12 letters or digits, got ${indexCode}`);
  if (!isIsoDate(portfolioDate)) throw new D1CheckError(`d1 session: portfolio date must be YYYY-MM-DD, got ${portfolioDate}`);
  const [view] = await query(`SELECT count(*)::DOUBLE AS n FROM duckdb_views() WHERE view_name = '${D1_VIEW}' AND NOT internal`);
  if (view?.n !== 1) return null;
  const rows = await query(
    `SELECT ticker, company_name, CAST(session_date AS VARCHAR) AS session_date,
            CAST(previous_session_date AS VARCHAR) AS previous_session_date,
            CAST(weight_pct AS DOUBLE) AS weight_pct, CAST(close_price AS DOUBLE) AS close_price,
            CAST(volume_brl AS DOUBLE) AS volume_brl, CAST(trades AS DOUBLE) AS trades,
            CAST(weight_deviation_pp AS DOUBLE) AS weight_deviation_pp, CAST(index_points AS DOUBLE) AS index_points,
            CAST(session_return AS DOUBLE) AS session_return
       FROM ${D1_VIEW} WHERE index_code = '${indexCode}' AND dt = DATE '${portfolioDate}'
      ORDER BY ticker`,
  );
  if (rows.length === 0) return null;
  const sessions = [...new Set(rows.map((r) => r.session_date))];
  if (sessions.length !== 1 || typeof sessions[0] !== 'string' || !isIsoDate(sessions[0])) {
    throw new D1CheckError(`d1 session: ${indexCode} ${portfolioDate} must have one session_date, got ${sessions.join(', ')}`);
  }
  const previous = [...new Set(rows.map((r) => r.previous_session_date))];
  return {
    indexCode,
    portfolioDate,
    sessionDate: sessions[0],
    previousSessionDate: previous.length === 1 && typeof previous[0] === 'string' && isIsoDate(previous[0]) ? previous[0] : null,
    rows: rows.map(toRow),
  };
}

function nullableNumber(value: unknown, column: string): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new D1CheckError(`d1 session: column ${column} must be a finite number or null, got ${String(value)}`);
  return value;
}

function toRow(r: Record<string, unknown>): D1SessionRow {
  const weight = nullableNumber(r.weight_pct, 'weight_pct');
  if (weight === null) throw new D1CheckError(`d1 session: weight_pct of ${String(r.ticker)} is null, got null`);
  return {
    ticker: String(r.ticker),
    company_name: String(r.company_name),
    weight_pct: weight,
    close_price: nullableNumber(r.close_price, 'close_price'),
    weight_deviation_pp: nullableNumber(r.weight_deviation_pp, 'weight_deviation_pp'),
    index_points: nullableNumber(r.index_points, 'index_points'),
    volume_brl: nullableNumber(r.volume_brl, 'volume_brl'),
    trades: nullableNumber(r.trades, 'trades'),
    session_return: nullableNumber(r.session_return, 'session_return'),
  };
}

/**
 * The cross-source check of each portfolio day, read from the local catalog (read-only); null for
 * a day when the lake has no quotes cataloged (no view yet), so the caller can say so.
 */
export async function checkD1Days(lakeDir: string, days: readonly { readonly index: string; readonly portfolio_date: IsoDate }[]): Promise<(D1WeightCheck | null)[]> {
  if (!existsSync(localCatalogPath(lakeDir))) return days.map(() => null);
  const instance = await openCatalogInstance(lakeDir, 'READ_ONLY');
  const conn = await instance.connect();
  try {
    const query: QueryFn = async (sql) => (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
    const out: (D1WeightCheck | null)[] = [];
    for (const d of days) {
      const session = await readD1Session(query, d.index, d.portfolio_date);
      out.push(session === null ? null : checkD1Weights(session));
    }
    return out;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

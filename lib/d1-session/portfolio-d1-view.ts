import { DAILY_TABLE } from '../refined/refined-contract';
import { QUOTES_REFINED_TABLE } from '../refined/quotes-refined-contract';

/**
 * The view `b3_portfolio_d1` (issue 10): each row of `b3_portfolio_daily` beside its pregão D-1
 * quote from `b3_quotes_refined`. One SQL text, written in the subset Athena (Trino) and DuckDB
 * both run unchanged: the deployed Glue view and the local catalog's view are this text.
 */
export const D1_VIEW = 'b3_portfolio_d1';

/** The tables the view reads; locally it is created once all of them are cataloged. */
export const D1_VIEW_SOURCES: readonly string[] = [DAILY_TABLE, QUOTES_REFINED_TABLE];

/** A view column with its Hive (Glue catalog) and Presto (view JSON) type names. */
export interface ViewColumn {
  readonly name: string;
  readonly hiveType: 'date' | 'string' | 'bigint' | 'int' | 'double';
  readonly comment: string;
}

export const D1_VIEW_COLUMNS: readonly ViewColumn[] = [
  { name: 'dt', hiveType: 'date', comment: 'portfolio_date' },
  { name: 'index_code', hiveType: 'string', comment: 'index, e.g. IBOV' },
  { name: 'ticker', hiveType: 'string', comment: 'B3 trading code' },
  { name: 'company_name', hiveType: 'string', comment: 'from the portfolio' },
  { name: 'sector', hiveType: 'string', comment: 'null on CSV-download days' },
  { name: 'theoretical_qty', hiveType: 'bigint', comment: 'theoretical quantity in the portfolio' },
  { name: 'weight_pct', hiveType: 'double', comment: "B3's weight, percent" },
  { name: 'reductor', hiveType: 'double', comment: "the index's reductor" },
  { name: 'session_date', hiveType: 'date', comment: 'the pregão D-1 the weights come from' },
  { name: 'previous_session_date', hiveType: 'date', comment: 'the session before session_date, when known' },
  { name: 'close_price', hiveType: 'double', comment: 'D-1 close per share, R$; null without a quote' },
  { name: 'previous_close_price', hiveType: 'double', comment: 'close of previous_session_date, R$' },
  { name: 'volume_brl', hiveType: 'double', comment: 'D-1 traded volume, R$' },
  { name: 'trades', hiveType: 'int', comment: 'D-1 number of trades' },
  { name: 'weight_from_close_pct', hiveType: 'double', comment: 'qty x close / sum over (dt, index_code), percent' },
  { name: 'weight_deviation_pp', hiveType: 'double', comment: 'weight_from_close_pct - weight_pct, percentage points' },
  { name: 'index_points', hiveType: 'double', comment: 'qty x close / reductor; summed over (dt, index_code): the index at the D-1 close' },
  { name: 'session_return', hiveType: 'double', comment: 'close / previous close - 1; null when the previous session is not in the lake' },
];

/**
 * The previous session of a quote session S, known two ways that are never wrong:
 * - a portfolio whose own day is S names its D-1 (the trading calendar's, written by the scraper);
 * - the lake's latest earlier session L is the previous one when no weekday lies between them
 *   (L is the day before, or S a Monday and L the Friday before; 1970-01-02 was a Friday).
 * Otherwise (a gap over a holiday with no portfolio of S) it stays unknown, and so does the return:
 * a return across a missing session would be silent and wrong.
 */
export const D1_VIEW_SQL = `WITH lake_sessions AS (
  SELECT session_date, lag(session_date) OVER (ORDER BY session_date) AS earlier_session
    FROM (SELECT DISTINCT dt AS session_date FROM ${QUOTES_REFINED_TABLE}) quote_sessions
),
calendar_previous AS (
  SELECT DISTINCT dt AS session_date, session_date AS previous_session FROM ${DAILY_TABLE}
),
previous_sessions AS (
  SELECT s.session_date,
         CASE
           WHEN c.previous_session IS NOT NULL THEN c.previous_session
           WHEN date_diff('day', s.earlier_session, s.session_date) = 1 THEN s.earlier_session
           WHEN date_diff('day', s.earlier_session, s.session_date) = 3
            AND date_diff('day', DATE '1970-01-02', s.earlier_session) % 7 = 0 THEN s.earlier_session
         END AS previous_session
    FROM lake_sessions s
    LEFT JOIN calendar_previous c ON c.session_date = s.session_date
),
with_quotes AS (
  SELECT p.dt, p.index_code, p.ticker, p.company_name, p.sector, p.theoretical_qty, p.weight_pct, p.reductor,
         p.session_date, ps.previous_session AS previous_session_date,
         q.close_price, prev.close_price AS previous_close_price, q.volume_brl, q.trades,
         p.theoretical_qty * q.close_price AS close_value
    FROM ${DAILY_TABLE} p
    LEFT JOIN ${QUOTES_REFINED_TABLE} q ON q.dt = p.session_date AND q.ticker = p.ticker
    LEFT JOIN previous_sessions ps ON ps.session_date = p.session_date
    LEFT JOIN ${QUOTES_REFINED_TABLE} prev ON prev.dt = ps.previous_session AND prev.ticker = p.ticker
)
SELECT dt, index_code, ticker, company_name, sector, theoretical_qty, weight_pct, reductor,
       session_date, previous_session_date, close_price, previous_close_price, volume_brl, trades,
       100 * close_value / sum(close_value) OVER (PARTITION BY dt, index_code) AS weight_from_close_pct,
       100 * close_value / sum(close_value) OVER (PARTITION BY dt, index_code) - weight_pct AS weight_deviation_pp,
       close_value / reductor AS index_points,
       close_price / previous_close_price - 1 AS session_return
  FROM with_quotes`;

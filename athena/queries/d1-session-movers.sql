-- The D-1 session's biggest moves among the IBOV constituents, with their volume.
-- Runs unchanged on Athena (Trino) and on the local DuckDB catalog. Reads the view b3_portfolio_d1.
-- session_return is close / previous session's close - 1; null when that session is not in the lake.
-- Parameter: the params CTE picks the portfolio day; by default the latest one in the view.
-- To choose a day, replace its SELECT with:  SELECT DATE '2024-11-11' AS day
WITH params AS (
  SELECT max(dt) AS day FROM b3_portfolio_d1 WHERE index_code = 'IBOV'
)
SELECT d.dt, d.session_date, d.previous_session_date, d.ticker, d.company_name, d.weight_pct,
       d.previous_close_price, d.close_price, d.session_return, d.volume_brl, d.trades
FROM b3_portfolio_d1 d
JOIN params p ON d.dt = p.day
WHERE d.index_code = 'IBOV'
ORDER BY abs(d.session_return) DESC NULLS LAST, d.volume_brl DESC NULLS LAST, d.ticker
LIMIT 10

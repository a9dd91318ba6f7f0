-- Top 10 weights of the IBOV portfolio on one day.
-- Runs unchanged on Athena (Trino) and on the local DuckDB catalog.
-- Parameter: the params CTE picks the day; by default the latest one in the table.
-- To choose a day, replace its SELECT with:  SELECT DATE '2025-04-07' AS day
WITH params AS (
  SELECT max(dt) AS day FROM b3_portfolio_refined
)
SELECT r.dt, r.ticker, r.company_name, r.sector, r.weight_pct
FROM b3_portfolio_refined r
JOIN params p ON r.dt = p.day
WHERE r.index_code = 'IBOV'
ORDER BY r.weight_pct DESC, r.ticker
LIMIT 10

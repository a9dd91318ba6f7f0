-- Tickers that entered or left the IBOV portfolio between two days.
-- Runs unchanged on Athena (Trino) and on the local DuckDB catalog. A history: it reads the
-- day-partitioned table (one object a day), not the date × ticker one.
-- Parameters: the params CTE gives from_day and to_day; by default the two latest days.
-- To choose them, replace its SELECT with:
--   SELECT DATE '2023-12-15' AS from_day, DATE '2025-04-07' AS to_day
WITH params AS (
  SELECT min(dt) AS from_day, max(dt) AS to_day
  FROM (SELECT DISTINCT dt FROM b3_portfolio_daily ORDER BY dt DESC LIMIT 2) AS latest
),
from_tickers AS (
  SELECT r.ticker FROM b3_portfolio_daily r JOIN params p ON r.dt = p.from_day WHERE r.index_code = 'IBOV'
),
to_tickers AS (
  SELECT r.ticker FROM b3_portfolio_daily r JOIN params p ON r.dt = p.to_day WHERE r.index_code = 'IBOV'
)
SELECT p.from_day, p.to_day, m.ticker, m.movement
FROM (
  SELECT ticker, 'entered' AS movement FROM to_tickers WHERE ticker NOT IN (SELECT ticker FROM from_tickers)
  UNION ALL
  SELECT ticker, 'left' AS movement FROM from_tickers WHERE ticker NOT IN (SELECT ticker FROM to_tickers)
) AS m
CROSS JOIN params p
ORDER BY m.movement, m.ticker

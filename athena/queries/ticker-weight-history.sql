-- One ticker's weight in the IBOV portfolio, day by day.
-- Runs unchanged on Athena (Trino) and on the local DuckDB catalog. A history: it reads the
-- day-partitioned table (one object a day), not the date × ticker one.
-- Parameter: the params CTE names the ticker (default PETR4); edit the literal.
WITH params AS (
  SELECT 'PETR4' AS ticker
)
SELECT r.dt, r.ticker, r.weight_pct, r.theoretical_qty, r.days_since_rebalance
FROM b3_portfolio_daily r
JOIN params p ON r.ticker = p.ticker
WHERE r.index_code = 'IBOV'
ORDER BY r.dt

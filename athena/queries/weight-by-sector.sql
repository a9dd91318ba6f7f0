-- Weight of each sector in the IBOV portfolio on one day (unknown sector shown as such:
-- the CSV download carries no sector).
-- Runs unchanged on Athena (Trino) and on the local DuckDB catalog.
-- Parameter: the params CTE picks the day; by default the latest one in the table.
-- To choose a day, replace its SELECT with:  SELECT DATE '2025-04-07' AS day
WITH params AS (
  SELECT max(dt) AS day FROM b3_portfolio_refined
)
SELECT r.dt,
       COALESCE(r.sector, '(unknown)') AS sector_name,
       count(*) AS tickers,
       round(sum(r.weight_pct), 3) AS sector_weight_pct
FROM b3_portfolio_refined r
JOIN params p ON r.dt = p.day
WHERE r.index_code = 'IBOV'
GROUP BY r.dt, COALESCE(r.sector, '(unknown)')
ORDER BY sector_weight_pct DESC, sector_name

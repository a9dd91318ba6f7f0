-- Weight of each sector in the IBOV portfolio, day by day (unknown sector shown as such:
-- the CSV download carries no sector).
-- Runs unchanged on Athena (Trino) and on the local DuckDB catalog. A history: it reads the
-- day-partitioned table (one object a day), not the date × ticker one.
SELECT d.dt,
       COALESCE(d.sector, '(unknown)') AS sector_name,
       count(*) AS tickers,
       round(sum(d.weight_pct), 3) AS sector_weight_pct
FROM b3_portfolio_daily d
WHERE d.index_code = 'IBOV'
GROUP BY d.dt, COALESCE(d.sector, '(unknown)')
ORDER BY d.dt, sector_weight_pct DESC, sector_name

-- The IBOV level at each D-1 close in the lake, rebuilt from B3's two sources.
-- Runs unchanged on Athena (Trino) and on the local DuckDB catalog. Reads the view b3_portfolio_d1.
-- index_level is sum(theoretical_qty * close / reductor) over the portfolio's constituents; it is
-- null on a day where a constituent has no quote (the level would be too low, not missing).
SELECT d.dt, d.session_date,
       count(*) AS constituents,
       count(d.close_price) AS quoted,
       CASE WHEN count(d.close_price) = count(*) THEN sum(d.index_points) END AS index_level
FROM b3_portfolio_d1 d
WHERE d.index_code = 'IBOV'
GROUP BY d.dt, d.session_date
ORDER BY d.dt

-- Do B3's two sources agree? Each day's IBOV weights against the weights of its D-1 closes.
-- Runs unchanged on Athena (Trino) and on the local DuckDB catalog. Reads the view b3_portfolio_d1.
-- A weight is reproduced within 0.01 pp (B3 rounds to 0.001 %; the same day's closes miss by up
-- to 0.30 pp), the tolerance of lib/d1-session/weight-check.ts that `npm start` and the report use.
SELECT d.dt, d.session_date,
       count(*) AS constituents,
       count(d.close_price) AS quoted,
       sum(CASE WHEN abs(d.weight_deviation_pp) <= 0.01 THEN 1 ELSE 0 END) AS reproduced,
       max(abs(d.weight_deviation_pp)) AS max_deviation_pp
FROM b3_portfolio_d1 d
WHERE d.index_code = 'IBOV'
GROUP BY d.dt, d.session_date
ORDER BY d.dt

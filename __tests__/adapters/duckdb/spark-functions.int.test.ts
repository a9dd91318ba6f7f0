import { DuckDBInstance } from '@duckdb/node-api';
import { translateSparkSql } from '../../../lib/glue-dag/spark-sql';

/**
 * Each translated function, run on DuckDB, gives what Spark gives. The expected values are
 * the examples of Spark's SQL function reference (spark.apache.org/docs/latest/api/sql).
 */
const CASES: ReadonlyArray<[string, string | null]> = [
  ["datediff(DATE '2009-07-31', DATE '2009-07-30')", '1'],
  ["date_add(DATE '2016-07-30', 1)", '2016-07-31'],
  ["date_sub(DATE '2016-07-30', 1)", '2016-07-29'],
  ["add_months(DATE '2016-08-31', 1)", '2016-09-30'],
  ['make_date(2013, 7, 15)', '2013-07-15'],
  ["last_day(DATE '2009-01-12')", '2009-01-31'],
  ["to_date('2009-07-30')", '2009-07-30'],
  ["year(DATE '2016-07-30')", '2016'],
  ["quarter(DATE '2016-08-31')", '3'],
  ["month(DATE '2016-07-30')", '7'],
  ["dayofmonth(DATE '2009-07-30')", '30'],
  ["day(DATE '2009-07-30')", '30'],
  ["dayofweek(DATE '2009-07-30')", '5'],
  ["dayofyear(DATE '2016-04-09')", '100'],
  ["weekofyear(DATE '2008-02-20')", '8'],
  ['nvl(NULL, 2)', '2'],
  ['nullif(2, 2)', null],
  ["if(1 < 2, 'a', 'b')", 'a'],
  ["concat('Spark', 'SQL')", 'SparkSQL'],
  ["concat('Spark', NULL)", null],
  ["upper('SparkSql')", 'SPARKSQL'],
  ["length('Spark SQL ')", '10'],
  ["substring('Spark SQL', 5, 1)", 'k'],
  ['round(2.5, 0)', '3'],
  ['abs(-1)', '1'],
];

describe('Spark functions translated to DuckDB keep Spark semantics', () => {
  it.each(CASES)('%s = %s', async (expr, expected) => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      const sql = translateSparkSql(`SELECT CAST(${expr} AS STRING) AS v`).sql;
      const value = (await conn.runAndReadAll(sql)).getRowsJS()[0][0];
      expect(value === null ? null : String(value).replace(/\.0$/, '')).toBe(expected);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});

import type { CodeGenConfigurationNode } from '@aws-sdk/client-glue';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { execFileSync } from 'node:child_process';
import { SPARK_FUNCTIONS, SPARK_SESSION_SQL, translateSparkSql } from '../../../lib/glue-dag/spark-sql';
import { translateNode } from '../../../lib/glue-dag/to-sql';

/**
 * Spark SQL translated to DuckDB, executed, gives what Spark 3.5 gives with
 * spark.sql.ansi.enabled=false (Glue 5.0). Unless a note says otherwise, expected values are
 * the examples of Spark's SQL function reference (spark.apache.org/docs/3.5.0/api/sql/) or
 * follow from its definitions there, written as Spark prints them (CAST(... AS STRING)).
 */
type Case = readonly [spark: string, expected: string | null];

const CASES: Readonly<Record<string, readonly Case[]>> = {
  datediff: [
    ["datediff('2009-07-31', '2009-07-30')", '1'],
    ["datediff('2009-07-30', '2009-07-31')", '-1'], // (end, start): negative when end is first
    ["datediff(DATE '2024-03-01', DATE '2024-02-28')", '2'], // leap year
    ["datediff(DATE '2023-03-01', DATE '2023-02-28')", '1'],
    ["datediff('2009-07-31 23:59:59', '2009-07-30')", '1'], // a timestamp string is cast to its date
    ["datediff(NULL, DATE '2020-01-01')", null],
    ["datediff('abc', DATE '2020-01-01')", null], // non-ANSI: a bad date string is NULL
  ],
  date_add: [
    ["date_add('2016-07-30', 1)", '2016-07-31'],
    ["date_add(DATE '2024-02-28', 1)", '2024-02-29'],
    ["date_add(DATE '2023-02-28', 1)", '2023-03-01'],
    ["date_add(DATE '2024-03-01', -1)", '2024-02-29'], // a negative count goes back
    ["date_add(DATE '2024-12-31', 1)", '2025-01-01'],
    ['date_add(NULL, 1)', null],
    ["date_add(DATE '2020-01-01', NULL)", null],
  ],
  date_sub: [
    ["date_sub('2016-07-30', 1)", '2016-07-29'],
    ["date_sub(DATE '2024-03-01', 1)", '2024-02-29'],
    ["date_sub(DATE '2024-02-28', -1)", '2024-02-29'],
    ['date_sub(NULL, 1)', null],
  ],
  add_months: [
    ["add_months('2016-08-31', 1)", '2016-09-30'],
    ["add_months(DATE '2024-01-31', 1)", '2024-02-29'],
    ["add_months(DATE '2023-01-31', 1)", '2023-02-28'],
    // Spark 3.0 migration guide: a month end is no longer moved to the next month's end.
    ["add_months(DATE '2019-02-28', 1)", '2019-03-28'],
    ["add_months(DATE '2016-03-31', -1)", '2016-02-29'],
    ["add_months(DATE '2024-02-29', 12)", '2025-02-28'],
    ['add_months(NULL, 1)', null],
  ],
  make_date: [
    ['make_date(2013, 7, 15)', '2013-07-15'],
    ['make_date(2019, 7, NULL)', null],
    // "returns NULL on invalid inputs" when spark.sql.ansi.enabled is false; DuckDB throws.
    ['make_date(2019, 13, 1)', null],
    ['make_date(2019, 2, 30)', null],
    ['make_date(2023, 2, 29)', null],
    ['make_date(2024, 2, 29)', '2024-02-29'],
  ],
  last_day: [
    ["last_day('2009-01-12')", '2009-01-31'],
    ["last_day(DATE '2024-02-10')", '2024-02-29'],
    ["last_day(DATE '2023-02-10')", '2023-02-28'],
    ["last_day(DATE '2023-12-31')", '2023-12-31'],
    ['last_day(NULL)', null],
  ],
  to_date: [
    ["to_date('2009-07-30 04:17:52')", '2009-07-30'],
    ["to_date('2024-02-29')", '2024-02-29'],
    ["to_date('2023-02-29')", null],
    ["to_date('abc')", null],
    ['to_date(NULL)', null],
    // Glue's session time zone is UTC: 23:30 at -03:00 is the next day there.
    ["to_date(CAST('2024-01-31 23:30:00-03:00' AS TIMESTAMP))", '2024-02-01'],
  ],
  year: [["year('2016-07-30')", '2016'], ['year(NULL)', null]],
  quarter: [["quarter('2016-08-31')", '3'], ["quarter(DATE '2016-12-31')", '4']],
  month: [["month('2016-07-30')", '7'], ["month(DATE '2024-02-29')", '2']],
  dayofmonth: [["dayofmonth('2009-07-30')", '30'], ["dayofmonth(DATE '2024-02-29')", '29']],
  day: [["day('2009-07-30')", '30'], ['day(NULL)', null]],
  dayofweek: [
    ["dayofweek('2009-07-30')", '5'],
    ["dayofweek(DATE '2023-01-01')", '1'], // Sunday
    ["dayofweek(DATE '2022-12-31')", '7'], // Saturday
  ],
  dayofyear: [["dayofyear('2016-04-09')", '100'], ["dayofyear(DATE '2024-12-31')", '366'], ["dayofyear(DATE '2023-12-31')", '365']],
  weekofyear: [
    ["weekofyear('2008-02-20')", '8'],
    ["weekofyear(DATE '2021-01-01')", '53'], // ISO 8601: the last week of 2020
    ["weekofyear(DATE '2024-12-30')", '1'],
  ],
  sum: [
    ['(SELECT sum(x) FROM (VALUES (1), (2), (NULL)) AS t(x))', '3'],
    ['(SELECT sum(x) FROM (VALUES (CAST(NULL AS INT))) AS t(x))', null],
    ['(SELECT sum(x) FROM (VALUES (0.5D), (0.25D)) AS t(x))', '0.75'],
    // Non-ANSI integral arithmetic wraps as Java's long does (sql-ref-ansi-compliance.html).
    ['(SELECT sum(x) FROM (VALUES (9223372036854775807L), (1L)) AS t(x))', '-9223372036854775808'],
    ['(SELECT sum(DISTINCT x) FROM (VALUES (1), (1), (2)) AS t(x))', '3'],
  ],
  count: [['(SELECT count(x) FROM (VALUES (1), (NULL)) AS t(x))', '1'], ['(SELECT count(*) FROM (VALUES (1), (NULL)) AS t(x))', '2']],
  avg: [['(SELECT avg(x) FROM (VALUES (1), (2)) AS t(x))', '1.5'], ['(SELECT avg(x) FROM (VALUES (CAST(NULL AS INT))) AS t(x))', null]],
  min: [['(SELECT min(x) FROM (VALUES (-1), (NULL), (3)) AS t(x))', '-1']],
  max: [['(SELECT max(x) FROM (VALUES (-1), (NULL), (3)) AS t(x))', '3']],
  coalesce: [['coalesce(NULL, 1, NULL)', '1'], ['coalesce(NULL, NULL)', null]],
  nvl: [['nvl(NULL, 2)', '2'], ['nvl(1, 2)', '1']],
  nullif: [['nullif(2, 2)', null], ['nullif(2, 3)', '2']],
  if: [["if(1 < 2, 'a', 'b')", 'a'], ["if(NULL, 'a', 'b')", 'b']],
  upper: [["upper('SparkSql')", 'SPARKSQL'], ['upper(NULL)', null]],
  lower: [["lower('SparkSql')", 'sparksql']],
  trim: [["trim('    SparkSQL   ')", 'SparkSQL'], ["length(trim('\\tA\\t'))", '3']], // spaces only, not tabs
  length: [["length('Spark SQL ')", '10'], ["length('')", '0'], ["length('\\u00e9')", '1'], ['length(NULL)', null]],
  substring: [
    ["substring('Spark SQL', 5)", 'k SQL'],
    ["substring('Spark SQL', -3)", 'SQL'],
    ["substring('Spark SQL', 5, 1)", 'k'],
    ["substring('Spark SQL', 0, 1)", 'S'], // position 0 is position 1 (UTF8String.substringSQL)
    ["substring('Spark', -10, 3)", ''],
    ["substring('Spark', 3, -1)", ''],
    ["substring('Spark', 10)", ''],
    ['substring(NULL, 1)', null],
  ],
  substr: [["substr('Spark SQL', -3, 2)", 'SQ']],
  concat: [["concat('Spark', 'SQL')", 'SparkSQL'], ["concat('Spark', NULL)", null], ["concat('a', 1)", 'a1']],
  round: [
    ['round(2.5, 0)', '3'],
    ['round(-2.5, 0)', '-3'], // HALF_UP rounds ties away from zero
    ['round(2.675, 2)', '2.68'],
    ['round(CAST(2.675 AS DOUBLE), 2)', '2.68'], // Spark rounds the double's decimal spelling
    ['round(125, -1)', '130'],
    ['round(NULL)', null],
  ],
  abs: [['abs(-1)', '1'], ['abs(-1.5)', '1.5'], ['abs(CAST(-2147483648 AS INT))', '-2147483648'], ['abs(NULL)', null]],
};

/** Operators, literals and CAST as Spark's parser and non-ANSI semantics read them. */
const SYNTAX: readonly Case[] = [
  ["CAST('abc' AS INT)", null],
  ["CAST('3.7' AS INT)", '3'], // integral casts truncate toward zero
  ['CAST(3.7 AS INT)', '3'],
  ['CAST(-3.7 AS INT)', '-3'],
  ['CAST(CAST(-3.7 AS DOUBLE) AS BIGINT)', '-3'],
  // Spark 3.0 migration guide: whitespace around a string is trimmed before an integral cast.
  ["CAST(' 12 ' AS INT)", '12'],
  ['CAST(1.5 AS DECIMAL(10,2))', '1.50'],
  ["CAST('2.675' AS DECIMAL(3, 2))", '2.68'],
  ['CAST(123.4 AS DECIMAL(3,1))', null], // decimal overflow is NULL when not ANSI
  ['CAST(1.4 AS DECIMAL)', '1'], // DECIMAL alone is DECIMAL(10, 0)
  ["CAST('2023-02-29' AS DATE)", null],
  ["CAST('abc' AS DOUBLE)", null],
  ["TRY_CAST('abc' AS INT)", null],
  ['3 / 2', '1.5'], // `/` always divides as floating point
  ['2L / 2L', '1.0'],
  ['1 / 0', null], // division by zero is NULL when not ANSI
  ['1.5D / 0D', null],
  ['1 % 0', null],
  ['-7 % 3', '-1'],
  ['NULL <=> NULL', 'true'],
  ['true <=> NULL', 'false'],
  ['2 <=> 2', 'true'],
  ['1L + 1Y', '2'],
  ['1D', '1.0'],
  ['1.50BD', '1.50'],
  ["'it\\'s'", "it's"],
  ["'it''s'", 'its'], // two adjacent literals, not an escaped quote
  ["'a' 'b'", 'ab'],
  ["'\\\\'", '\\'],
  ["length('a\\nb')", '3'],
  ["'\\u00e9\\101'", 'éA'],
  ["'100\\%'", '100\\%'], // \% keeps its backslash, for LIKE
  ["length(r'\\n')", '2'],
  ['"double quoted"', 'double quoted'],
  ["'a_c' LIKE 'a\\_c'", 'true'], // Spark's LIKE escapes with a backslash by default
  ["'abc' LIKE 'a\\_c'", 'false'],
  ["'abc' LIKE 'a_c'", 'true'],
  ["'100%' LIKE '100\\%'", 'true'],
  ["'a' LIKE NULL", null],
];

describe('Spark SQL translated to DuckDB keeps Spark 3.5 non-ANSI semantics', () => {
  let instance: DuckDBInstance;
  let conn: DuckDBConnection;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    conn = await instance.connect();
    for (const statement of SPARK_SESSION_SQL) await conn.run(statement);
  });
  afterAll(() => {
    conn.closeSync();
    instance.closeSync();
  });
  const value = async (expr: string) => {
    const sql = translateSparkSql(`SELECT CAST(${expr} AS STRING) AS v`).sql;
    const v = (await conn.runAndReadAll(sql)).getRowsJS()[0][0];
    return v === null ? null : String(v);
  };
  const typeOf = async (sparkSql: string) =>
    String((await conn.runAndReadAll(`SELECT typeof(v) FROM (${translateSparkSql(sparkSql).sql}) LIMIT 1`)).getRowsJS()[0][0]);

  it('has edge cases for every supported function', () => {
    const tested = new Set([...Object.keys(CASES), 'row_number', 'rank', 'dense_rank', 'lag', 'lead']);
    expect(Object.keys(SPARK_FUNCTIONS).filter((f) => !tested.has(f))).toEqual([]);
  });

  it.each(Object.entries(CASES).flatMap(([, cases]) => cases))('%s = %s', async (spark, expected) => {
    expect(await value(spark)).toBe(expected);
  });

  it.each(SYNTAX)('%s = %s', async (spark, expected) => {
    expect(await value(spark)).toBe(expected);
  });

  it('gives Spark result types: sum of integers BIGINT, of doubles DOUBLE; `/` DOUBLE; 1L BIGINT', async () => {
    expect(await typeOf('SELECT sum(x) AS v FROM (VALUES (1), (2)) AS t(x)')).toBe('BIGINT');
    expect(await typeOf('SELECT sum(x) OVER (ORDER BY x) AS v FROM (VALUES (1), (2)) AS t(x)')).toBe('BIGINT');
    expect(await typeOf('SELECT sum(x) AS v FROM (VALUES (1.5D)) AS t(x)')).toBe('DOUBLE');
    expect(await typeOf('SELECT 3 / 2 AS v')).toBe('DOUBLE');
    expect(await typeOf('SELECT 1L AS v')).toBe('BIGINT');
    expect(await typeOf("SELECT CAST('1' AS DECIMAL(10, 2)) AS v")).toBe('DECIMAL(10,2)');
  });

  // [Spark SQL, what the local run gives, what Spark gives]: written down in lib/glue-dag/spark-sql.ts.
  it.each([
    // Spark: DECIMAL(2,1) / DECIMAL(2,1) is DECIMAL(8,6) (scale max(6, s1 + p2 + 1)).
    ['CAST(1 AS DECIMAL(2,1)) / CAST(3 AS DECIMAL(2,1))', '0.3333333333333333', '0.333333'],
    ["CAST(TIMESTAMP '2020-01-01 00:00:00' AS INT)", null, '1577836800'],
    ['CAST(12345678901234567.9BD AS BIGINT)', '12345678901234568', '12345678901234567'],
    ['CAST(3000000000L AS INT)', null, '-1294967296'],
    ["CAST('2020' AS DATE)", null, '2020-01-01'],
    ["CAST(' true ' AS BOOLEAN)", null, 'true'],
    ['CAST(123456789.0D AS STRING)', '123456789.0', '1.23456789E8'],
  ])('differs from Spark, known: %s is %s locally, %s in Spark', async (spark, local, inSpark) => {
    const got = await value(spark);
    expect(got).toBe(local);
    expect(got).not.toBe(inSpark);
  });

  it('differs from Spark, known: sum of a string column does not bind locally', async () => {
    await expect(conn.runAndReadAll(translateSparkSql("SELECT sum(x) FROM (VALUES ('1')) AS t(x)").sql)).rejects.toThrow('spark_sum_result');
  });

  it('runs the window functions as Spark does: ties, offsets and defaults', async () => {
    const rows = async (sql: string) => (await conn.runAndReadAll(translateSparkSql(sql).sql)).getRowsJS().map((r) => r.map((v) => (v === null ? null : String(v))));
    // The rank example of Spark's reference, with its tie.
    expect(await rows(`SELECT a, b, rank() OVER (PARTITION BY a ORDER BY b) AS r, dense_rank() OVER (PARTITION BY a ORDER BY b) AS d,
        row_number() OVER (PARTITION BY a ORDER BY b) AS n FROM (VALUES ('A1', 2), ('A1', 1), ('A2', 3), ('A1', 1)) AS tab(a, b) ORDER BY a, b, n`)).toEqual([
      ['A1', '1', '1', '1', '1'], ['A1', '1', '1', '1', '2'], ['A1', '2', '3', '2', '3'], ['A2', '3', '1', '1', '1'],
    ]);
    expect(await rows('SELECT b, lag(b) OVER (ORDER BY b) AS l, lead(b, 2, -1) OVER (ORDER BY b) AS e FROM (VALUES (1), (2), (3)) AS tab(b) ORDER BY b')).toEqual([
      ['1', null, '3'], ['2', '1', '-1'], ['3', '2', '-1'],
    ]);
  });
});

describe('the Aggregate node keeps Spark result types on DuckDB', () => {
  it('sum of a BIGINT or INT column is BIGINT, of a DOUBLE column DOUBLE; count is BIGINT', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      for (const statement of SPARK_SESSION_SQL) await conn.run(statement);
      await conn.run('CREATE TEMP VIEW src AS SELECT * FROM (VALUES (1, 9223372036854775807::BIGINT, 2::INTEGER, 0.5::DOUBLE), (1, 1, 3, 0.25)) AS t(g, big, small, d)');
      const nodes: Record<string, CodeGenConfigurationNode> = {
        agg: { Aggregate: { Name: 'agg', Inputs: ['src'], Groups: [['g']], Aggs: [
          { Column: ['big'], AggFunc: 'sum' }, { Column: ['small'], AggFunc: 'sum' }, { Column: ['d'], AggFunc: 'sum' },
          { Column: ['small'], AggFunc: 'sumDistinct' }, { Column: ['d'], AggFunc: 'count' },
        ] } },
      };
      const step = translateNode('agg', nodes, { sourceFiles: () => [], columnsOf: () => ['g', 'big', 'small', 'd'] });
      if (step.kind !== 'view') throw new Error(`expected a view, got ${step.kind}`);
      await conn.run(`CREATE TEMP VIEW agg AS ${step.sql}`);
      const described = (await conn.runAndReadAll('DESCRIBE agg')).getRowObjectsJS().map((r) => [r.column_name, r.column_type]);
      expect(described).toEqual([
        ['g', 'INTEGER'], ['sum(big)', 'BIGINT'], ['sum(small)', 'BIGINT'], ['sum(d)', 'DOUBLE'], ['sum(DISTINCT small)', 'BIGINT'], ['count(d)', 'BIGINT'],
      ]);
      // Spark's long sum wraps (non-ANSI), where DuckDB's HUGEINT would hold 2^63.
      const row = (await conn.runAndReadAll('SELECT * FROM agg')).getRowsJS()[0].map(String);
      expect(row).toEqual(['1', '-9223372036854775808', '5', '0.75', '5', '2']);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});

describe("the session's time zone is Glue's UTC, whatever the machine's", () => {
  it('on a machine in America/Sao_Paulo, DuckDB defaults to it and SPARK_SESSION_SQL sets UTC', () => {
    const sql = translateSparkSql("SELECT CAST(to_date(CAST('2024-01-31 23:30:00-03:00' AS TIMESTAMP)) AS STRING)").sql;
    const script = `const { DuckDBInstance } = require('@duckdb/node-api');
      (async () => {
        const conn = await (await DuckDBInstance.create(':memory:')).connect();
        const read = async (q) => (await conn.runAndReadAll(q)).getRowsJS()[0].map(String);
        const before = await read("SELECT current_setting('TimeZone')");
        for (const s of JSON.parse(process.env.SESSION_SQL)) await conn.run(s);
        console.log(JSON.stringify([...before, ...(await read("SELECT current_setting('TimeZone')")), ...(await read(process.env.QUERY))]));
      })();`;
    const out = execFileSync(process.execPath, ['-e', script], {
      env: { ...process.env, TZ: 'America/Sao_Paulo', SESSION_SQL: JSON.stringify(SPARK_SESSION_SQL), QUERY: sql },
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual(['America/Sao_Paulo', 'UTC', '2024-02-01']);
  });
});

import { SPARK_FUNCTIONS, translateSparkSql } from '../../../lib/glue-dag/spark-sql';

const t = (sql: string) => translateSparkSql(sql).sql;

describe('translateSparkSql', () => {
  it("turns Spark's datediff(end, start) into DuckDB's date_diff('day', start, end) as INT", () => {
    expect(t('SELECT datediff(dt, session_date) AS d FROM x')).toBe(
      "SELECT CAST(date_diff('day', TRY_CAST(session_date AS DATE), TRY_CAST(dt AS DATE)) AS INTEGER) AS d FROM x",
    );
  });

  it('translates nested calls inside out and reports the functions used', () => {
    const r = translateSparkSql('SELECT datediff(dt, make_date(year(dt), 9, 1)) FROM x');
    expect(r.sql).toBe(
      "SELECT CAST(date_diff('day', TRY_CAST(try(make_date(CAST(year(TRY_CAST(dt AS DATE)) AS INTEGER), 9, 1)) AS DATE), TRY_CAST(dt AS DATE)) AS INTEGER) FROM x",
    );
    expect([...r.functions].sort()).toEqual(['datediff', 'make_date', 'year']);
  });

  it('quotes backtick identifiers and reads double-quoted text as a string literal', () => {
    expect(t('SELECT s.`sum(weight_pct)` AS w FROM s WHERE a = "it\\\'s"')).toBe(`SELECT s."sum(weight_pct)" AS w FROM s WHERE a = 'it''s'`);
  });

  it('leaves keywords before parentheses, qualified names and table aliases with columns alone', () => {
    expect(t('SELECT x FROM (SELECT 1 AS x) AS t WHERE x IN (1, 2) AND EXISTS (SELECT 1)')).toBe(
      'SELECT x FROM (SELECT 1 AS x) AS t WHERE x IN (1, 2) AND EXISTS (SELECT 1)',
    );
    expect(t('SELECT a FROM (VALUES (1)) AS v(a) JOIN (VALUES (2)) w(b) ON true')).toBe('SELECT a FROM (VALUES (1)) AS v(a) JOIN (VALUES (2)) w(b) ON true');
  });

  it.each([
    ['CAST(x AS DECIMAL(10,2))', 'TRY_CAST(x AS DECIMAL(10, 2))'],
    ['CAST(x AS decimal)', 'TRY_CAST(x AS DECIMAL(10, 0))'],
    ['CAST(x AS NUMERIC(38, 0))', 'TRY_CAST(x AS DECIMAL(38, 0))'],
    ['CAST(x AS INT)', 'TRY_CAST(spark_trunc(x) AS INTEGER)'],
    ['CAST(x AS LONG)', 'TRY_CAST(spark_trunc(x) AS BIGINT)'],
    ['CAST(x AS STRING)', 'TRY_CAST(x AS VARCHAR)'],
    ['CAST(x AS TIMESTAMP)', 'TRY_CAST(x AS TIMESTAMPTZ)'],
    ['TRY_CAST(x AS DOUBLE)', 'TRY_CAST(x AS DOUBLE)'],
    ['CAST(CASE WHEN a THEN 1 END AS INT)', 'TRY_CAST(spark_trunc(CASE WHEN a THEN 1 END) AS INTEGER)'],
  ])('CAST with the type after AS: %s -> %s', (spark, duck) => {
    expect(t(`SELECT ${spark}`)).toBe(`SELECT ${duck}`);
  });

  it.each([
    ['dayofweek(d)', 'CAST(dayofweek(TRY_CAST(d AS DATE)) + 1 AS INTEGER)'],
    ['date_add(d, 3)', 'CAST(TRY_CAST(d AS DATE) + CAST(3 AS INTEGER) AS DATE)'],
    ['date_sub(d, 3)', 'CAST(TRY_CAST(d AS DATE) - CAST(3 AS INTEGER) AS DATE)'],
    ['add_months(d, 1)', 'CAST(TRY_CAST(d AS DATE) + to_months(CAST(1 AS INTEGER)) AS DATE)'],
    ['nvl(a, b)', 'coalesce(a, b)'],
    ['if(a > 1, b, c)', '(CASE WHEN a > 1 THEN b ELSE c END)'],
    ['concat(a, b)', '(CAST(a AS VARCHAR) || CAST(b AS VARCHAR))'],
    ['count(*)', 'count(*)'],
    ['to_date(s)', 'TRY_CAST(s AS DATE)'],
    ['substring(s, 0, 2)', 'spark_substring(s, 0, 2)'],
    ['sum(x)', 'spark_sum_result(x, sum(x))'],
    ['sum(DISTINCT x)', 'spark_sum_result(x, sum(DISTINCT x))'],
    ['sum(x) OVER (PARTITION BY year(d))', 'spark_sum_result(x, sum(x) OVER (PARTITION BY CAST(year(TRY_CAST(d AS DATE)) AS INTEGER)))'],
    ['sum(x) FILTER (WHERE x > 0)', 'spark_sum_result(x, sum(x) FILTER (WHERE x > 0))'],
  ])('%s -> %s', (spark, duck) => {
    expect(t(`SELECT ${spark}`)).toBe(`SELECT ${duck}`);
  });

  it.each([
    ['a<=>b', 'a IS NOT DISTINCT FROM b'],
    ['1L', 'CAST(1 AS BIGINT)'],
    ['7S + 1Y', 'CAST(7 AS SMALLINT) + CAST(1 AS TINYINT)'],
    ['2.5D * 1f', 'CAST(2.5 AS DOUBLE) * CAST(1 AS FLOAT)'],
    ['001.50BD', "CAST('001.50' AS DECIMAL(3, 2))"],
    ["TIMESTAMP '2024-01-31 23:30:00'", "CAST('2024-01-31 23:30:00' AS TIMESTAMPTZ)"],
    ["a LIKE 'x\\_%'", "a LIKE 'x\\_%' ESCAPE '\\'"],
    ["a NOT LIKE 'x#_' ESCAPE '#'", "a NOT LIKE 'x#_' ESCAPE '#'"],
    ["'a\\tb'", "'a\tb'"],
    ["'\\0'", "(''" + " || chr(0) || " + "'')"],
    ["'it''s'", "'its'"],
    ["'it\\'s' \"!\"", "'it''s!'"],
    ["r'a\\tb'", "'a\\tb'"],
    ['t.sort', 't.sort'],
  ])('operators and literals: %s -> %s', (spark, duck) => {
    expect(t(`SELECT ${spark}`)).toBe(`SELECT ${duck}`);
  });

  it.each([
    ["SELECT a FROM x WHERE a RLIKE '^P'", 'spark-sql: keyword outside the supported set (Java regular expressions) (a column of that name goes in backticks), got RLIKE'],
    ['SELECT a DIV 2 FROM x', 'spark-sql: keyword outside the supported set (write CAST(a / b AS BIGINT), which truncates like DIV) (a column of that name goes in backticks), got DIV'],
    ['SELECT a FROM x SORT BY a', 'spark-sql: keyword outside the supported set (a column of that name goes in backticks), got SORT'],
    ["SELECT d + INTERVAL 1 DAY FROM x", 'spark-sql: keyword outside the supported set (a column of that name goes in backticks), got INTERVAL'],
    ['SELECT 1X', 'spark-sql: numeric literal outside the supported set (suffixes L, S, Y, D, F, BD), got 1X'],
    ['SELECT 1.5L', 'spark-sql: numeric literal outside the supported set (suffixes L, S, Y, D, F, BD), got 1.5L'],
    ['SELECT a::int FROM x', 'spark-sql: operator outside the supported set (<=> <= >= <> != == || + - * / % = < > ( ) , .), got ::'],
    ['SELECT a & 1 FROM x', 'spark-sql: operator outside the supported set (<=> <= >= <> != == || + - * / % = < > ( ) , .), got &'],
    ['SELECT a[0] FROM x', 'spark-sql: operator outside the supported set (<=> <= >= <> != == || + - * / % = < > ( ) , .), got ['],
    ['SELECT CAST(a AS VARCHAR(10)) FROM x', 'spark-sql: type outside the supported set'],
    ['SELECT CAST(a AS ARRAY<INT>) FROM x', 'spark-sql: type outside the supported set'],
    ['SELECT CAST(a AS DECIMAL(39, 2)) FROM x', 'spark-sql: DECIMAL needs 1 <= precision <= 38 and scale <= precision, got DECIMAL(39, 2)'],
    ['SELECT CAST(a) FROM x', 'spark-sql: CAST without AS, got (a)'],
    ['SELECT a LIKE b FROM x', 'spark-sql: LIKE needs a string literal pattern, got b'],
    ["SELECT a FROM x WHERE a LIKE 'P' || b", "spark-sql: LIKE needs a string literal pattern, got 'P' ||"],
    ["SELECT X'1F'", "spark-sql: binary literals are not supported, got X'1F'"],
    ['SELECT months_between(a, b) FROM x', 'spark-sql: unsupported Spark function (add it to SPARK_FUNCTIONS), got months_between()'],
  ])('refuses %s with one error naming it', (spark, message) => {
    expect(() => t(spark)).toThrow(message);
  });

  it('refuses the clock: the refined day must not depend on when the job runs', () => {
    expect(() => t('SELECT datediff(current_date(), dt) FROM x')).toThrow(
      'spark-sql: nondeterministic function refused (the same raw day must refine the same), got current_date',
    );
  });

  it('refuses unterminated literals and identifiers', () => {
    expect(() => t("SELECT 'abc FROM x")).toThrow("spark-sql: unterminated string literal, got 'abc FROM x");
    expect(() => t("SELECT 'abc\\' FROM x")).toThrow("spark-sql: unterminated string literal, got 'abc\\' FROM x");
    expect(() => t('SELECT `abc FROM x')).toThrow('spark-sql: unterminated backtick identifier, got `abc FROM x');
  });

  it('checks arity', () => {
    expect(() => t('SELECT datediff(dt) FROM x')).toThrow('spark-sql: datediff() takes 2..2 arguments, got 1');
  });

  it('documents every entry', () => {
    for (const [name, fn] of Object.entries(SPARK_FUNCTIONS)) expect(fn.doc.startsWith(name)).toBe(true);
  });
});

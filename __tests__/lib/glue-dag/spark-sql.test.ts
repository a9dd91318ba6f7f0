import { SPARK_FUNCTIONS, translateSparkSql } from '../../../lib/glue-dag/spark-sql';

const t = (sql: string) => translateSparkSql(sql).sql;

describe('translateSparkSql', () => {
  it("turns Spark's datediff(end, start) into DuckDB's date_diff('day', start, end) as INT", () => {
    expect(t('SELECT datediff(dt, session_date) AS d FROM x')).toBe(
      "SELECT CAST(date_diff('day', CAST(session_date AS DATE), CAST(dt AS DATE)) AS INTEGER) AS d FROM x",
    );
  });

  it('translates nested calls inside out and reports the functions used', () => {
    const r = translateSparkSql('SELECT datediff(dt, make_date(year(dt), 9, 1)) FROM x');
    expect(r.sql).toBe(
      "SELECT CAST(date_diff('day', CAST(make_date(CAST(year(dt) AS INTEGER), 9, 1) AS DATE), CAST(dt AS DATE)) AS INTEGER) FROM x",
    );
    expect([...r.functions].sort()).toEqual(['datediff', 'make_date', 'year']);
  });

  it('quotes backtick identifiers and reads double-quoted text as a string literal', () => {
    expect(t('SELECT s.`sum(weight_pct)` AS w FROM s WHERE a = "it\'s"')).toBe(`SELECT s."sum(weight_pct)" AS w FROM s WHERE a = 'it''s'`);
  });

  it('leaves keywords before parentheses, CAST and qualified names alone', () => {
    expect(t('SELECT CAST(x AS INT) FROM (SELECT 1 AS x) AS t WHERE x IN (1, 2) AND EXISTS (SELECT 1)')).toBe(
      'SELECT CAST(x AS INT) FROM (SELECT 1 AS x) AS t WHERE x IN (1, 2) AND EXISTS (SELECT 1)',
    );
  });

  it.each([
    ['dayofweek(d)', 'CAST(dayofweek(d) + 1 AS INTEGER)'],
    ['date_add(d, 3)', 'CAST(CAST(d AS DATE) + CAST(3 AS INTEGER) AS DATE)'],
    ['date_sub(d, 3)', 'CAST(CAST(d AS DATE) - CAST(3 AS INTEGER) AS DATE)'],
    ['add_months(d, 1)', 'CAST(CAST(d AS DATE) + to_months(CAST(1 AS INTEGER)) AS DATE)'],
    ['nvl(a, b)', 'coalesce(a, b)'],
    ['if(a > 1, b, c)', '(CASE WHEN a > 1 THEN b ELSE c END)'],
    ['concat(a, b, c)', '(a || b || c)'],
    ['count(*)', 'count(*)'],
    ['to_date(s)', 'CAST(s AS DATE)'],
  ])('%s -> %s', (spark, duck) => {
    expect(t(`SELECT ${spark}`)).toBe(`SELECT ${duck}`);
  });

  it('refuses a function not in the table, naming it', () => {
    expect(() => t('SELECT months_between(a, b) FROM x')).toThrow('spark-sql: unsupported Spark function (add it to SPARK_FUNCTIONS), got months_between()');
  });

  it('refuses the clock: the refined day must not depend on when the job runs', () => {
    expect(() => t('SELECT datediff(current_date(), dt) FROM x')).toThrow(
      'spark-sql: nondeterministic function refused (the same raw day must refine the same), got current_date',
    );
  });

  it('refuses unterminated literals and identifiers', () => {
    expect(() => t("SELECT 'abc FROM x")).toThrow("spark-sql: unterminated string literal, got 'abc FROM x");
    expect(() => t('SELECT `abc FROM x')).toThrow('spark-sql: unterminated backtick identifier, got `abc FROM x');
  });

  it('checks arity', () => {
    expect(() => t('SELECT datediff(dt) FROM x')).toThrow('spark-sql: datediff() takes 2..2 arguments, got 1');
  });

  it('documents every entry', () => {
    for (const [name, fn] of Object.entries(SPARK_FUNCTIONS)) expect(fn.doc.startsWith(name)).toBe(true);
  });
});

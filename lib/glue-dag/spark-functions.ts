/**
 * Spark SQL functions the local executor supports, with their DuckDB translation, and the
 * DuckDB session statements those translations rely on. Semantics are Spark 3.5's with
 * `spark.sql.ansi.enabled=false` (Glue 5.0's default): bad input gives NULL, not an error.
 * Expected results, from Spark's SQL function reference, are executed in
 * __tests__/adapters/duckdb/spark-functions.int.test.ts.
 */

export type SparkFunctionCategory = 'date' | 'aggregate' | 'window' | 'conditional' | 'string' | 'math';

export interface SparkFunction {
  readonly category: SparkFunctionCategory;
  /** Accepted argument counts: [min, max]. */
  readonly arity: readonly [number, number];
  /** The Spark semantic and its DuckDB spelling, for readers of the table. */
  readonly doc: string;
  /** Builds the DuckDB expression from the already translated arguments. */
  readonly toDuckDb: (args: readonly string[]) => string;
  /** Wraps the whole call, with its FILTER / OVER clauses, when Spark's result type differs. */
  readonly wrapCall?: (call: string, args: readonly string[]) => string;
}

const same = (name: string) => (args: readonly string[]) => `${name}(${args.join(', ')})`;
const asInt = (expr: string) => `CAST(${expr} AS INTEGER)`;
/** Spark casts a bad date string to NULL in the date functions (non-ANSI), DuckDB's CAST throws. */
export const asDate = (expr: string) => `TRY_CAST(${expr} AS DATE)`;
const ofDate = (fn: string) => ([d]: readonly string[]) => asInt(`${fn}(${asDate(d)})`);

/**
 * Spark's sum of integers is BIGINT and wraps on overflow like Java's long (non-ANSI: "the
 * result is the same with the corresponding operation in a Java/Scala program",
 * spark.apache.org/docs/3.5.0/sql-ref-ansi-compliance.html); DuckDB's is HUGEINT. The
 * macro picks its overload by the type of the summed expression (`probe`, dropped unread)
 * and returns the sum: a typed macro parameter casts its argument, and an aggregate cannot
 * choose an overload, so the sum comes through an untyped one.
 */
export const sparkSum = (summed: string, call: string): string => `spark_sum_result(${summed}, ${call})`;

const TWO_64 = '18446744073709551616';
const TWO_63 = '9223372036854775808';

/** Run once per DuckDB connection before any translated SQL: Glue's session as DuckDB settings and macros. */
export const SPARK_SESSION_SQL: readonly string[] = [
  // Glue's Spark session time zone is UTC; DuckDB's default is the machine's.
  "SET TimeZone = 'UTC'",
  // Spark's x / 0 and x % 0 are NULL (not ANSI); DuckDB's IEEE mode would give inf or NaN.
  'SET ieee_floating_point_ops = false',
  `CREATE OR REPLACE TEMP MACRO spark_sum_result(probe BIGINT, v) AS CAST(((v % ${TWO_64}) + ${TWO_64} + ${TWO_63}) % ${TWO_64} - ${TWO_63} AS BIGINT),
     (probe DOUBLE, v) AS v, (probe DECIMAL(38, 0), v) AS v`,
  // Spark's CAST to an integral type truncates toward zero ('3.7' and 3.7 give 3); DuckDB's rounds.
  `CREATE OR REPLACE TEMP MACRO spark_trunc(x BIGINT) AS x, (x HUGEINT) AS x, (x DOUBLE) AS trunc(x),
     (x VARCHAR) AS trunc(TRY_CAST(x AS DECIMAL(38, 9))), (x) AS x`,
  // UTF8String.substringSQL: pos 0 is pos 1, a negative pos counts from the end, and a window
  // reaching before the start is cut there (substring('Spark', -10, 3) is '').
  `CREATE OR REPLACE TEMP MACRO spark_substring_start(s, p) AS CASE WHEN p > 0 THEN p - 1 WHEN p < 0 THEN length(s) + p ELSE 0 END`,
  `CREATE OR REPLACE TEMP MACRO spark_substring(s, p) AS substring(s, greatest(spark_substring_start(s, p), 0) + 1),
     (s, p, l) AS CASE WHEN least(spark_substring_start(s, p) + l, length(s)) <= greatest(spark_substring_start(s, p), 0) THEN ''
       ELSE substring(s, greatest(spark_substring_start(s, p), 0) + 1, least(spark_substring_start(s, p) + l, length(s)) - greatest(spark_substring_start(s, p), 0)) END`,
];

/** Spark functions the local executor supports, with their DuckDB translation. */
export const SPARK_FUNCTIONS: Readonly<Record<string, SparkFunction>> = {
  datediff: {
    category: 'date', arity: [2, 2],
    doc: "datediff(end, start): whole days from start to end, INT -> CAST(date_diff('day', start, end) AS INTEGER)",
    toDuckDb: ([end, start]) => asInt(`date_diff('day', ${asDate(start)}, ${asDate(end)})`),
  },
  date_add: {
    category: 'date', arity: [2, 2],
    doc: 'date_add(d, n): d plus n days, n may be negative -> TRY_CAST(d AS DATE) + n',
    toDuckDb: ([d, n]) => `CAST(${asDate(d)} + ${asInt(n)} AS DATE)`,
  },
  date_sub: {
    category: 'date', arity: [2, 2],
    doc: 'date_sub(d, n): d minus n days -> TRY_CAST(d AS DATE) - n',
    toDuckDb: ([d, n]) => `CAST(${asDate(d)} - ${asInt(n)} AS DATE)`,
  },
  add_months: {
    category: 'date', arity: [2, 2],
    doc: 'add_months(d, n): clamps to the month end, a month end stays the same day since Spark 3.0 -> CAST(d + to_months(n) AS DATE)',
    toDuckDb: ([d, n]) => `CAST(${asDate(d)} + to_months(${asInt(n)}) AS DATE)`,
  },
  make_date: {
    category: 'date', arity: [3, 3],
    doc: 'make_date(y, m, d): NULL for a day that does not exist (non-ANSI) -> try(make_date(y, m, d))',
    toDuckDb: (args) => `try(make_date(${args.join(', ')}))`,
  },
  last_day: {
    category: 'date', arity: [1, 1],
    doc: 'last_day(d): last day of the month -> last_day(TRY_CAST(d AS DATE))',
    toDuckDb: ([d]) => `last_day(${asDate(d)})`,
  },
  to_date: {
    category: 'date', arity: [1, 1],
    doc: 'to_date(x): NULL when x is no date -> TRY_CAST(x AS DATE) (the form with a format is not supported)',
    toDuckDb: ([x]) => asDate(x),
  },
  year: { category: 'date', arity: [1, 1], doc: 'year(d): INT -> CAST(year(d) AS INTEGER)', toDuckDb: ofDate('year') },
  quarter: { category: 'date', arity: [1, 1], doc: 'quarter(d): INT -> CAST(quarter(d) AS INTEGER)', toDuckDb: ofDate('quarter') },
  month: { category: 'date', arity: [1, 1], doc: 'month(d): INT -> CAST(month(d) AS INTEGER)', toDuckDb: ofDate('month') },
  dayofmonth: { category: 'date', arity: [1, 1], doc: 'dayofmonth(d): INT -> CAST(day(d) AS INTEGER)', toDuckDb: ofDate('day') },
  day: { category: 'date', arity: [1, 1], doc: 'day(d): INT -> CAST(day(d) AS INTEGER)', toDuckDb: ofDate('day') },
  dayofweek: {
    category: 'date', arity: [1, 1],
    doc: 'dayofweek(d): 1 = Sunday .. 7 = Saturday; DuckDB counts 0 = Sunday -> dayofweek(d) + 1',
    toDuckDb: ([d]) => asInt(`dayofweek(${asDate(d)}) + 1`),
  },
  dayofyear: { category: 'date', arity: [1, 1], doc: 'dayofyear(d) -> CAST(dayofyear(d) AS INTEGER)', toDuckDb: ofDate('dayofyear') },
  weekofyear: { category: 'date', arity: [1, 1], doc: 'weekofyear(d): ISO week -> CAST(weekofyear(d) AS INTEGER)', toDuckDb: ofDate('weekofyear') },
  sum: {
    category: 'aggregate', arity: [1, 1],
    doc: 'sum(x): BIGINT for integers, wrapping on overflow -> spark_sum_result(x, sum(x))',
    toDuckDb: same('sum'), wrapCall: (call, [x]) => sparkSum(x.replace(/^distinct\s+/i, ''), call),
  },
  count: { category: 'aggregate', arity: [1, 1], doc: 'count(x) / count(*) / count(DISTINCT x): BIGINT -> the same', toDuckDb: same('count') },
  avg: { category: 'aggregate', arity: [1, 1], doc: 'avg(x): DOUBLE for numbers -> avg(x)', toDuckDb: same('avg') },
  min: { category: 'aggregate', arity: [1, 1], doc: 'min(x) -> min(x)', toDuckDb: same('min') },
  max: { category: 'aggregate', arity: [1, 1], doc: 'max(x) -> max(x)', toDuckDb: same('max') },
  row_number: { category: 'window', arity: [0, 0], doc: 'row_number() OVER (...) -> the same', toDuckDb: same('row_number') },
  rank: { category: 'window', arity: [0, 0], doc: 'rank() OVER (...) -> the same', toDuckDb: same('rank') },
  dense_rank: { category: 'window', arity: [0, 0], doc: 'dense_rank() OVER (...) -> the same', toDuckDb: same('dense_rank') },
  lag: { category: 'window', arity: [1, 3], doc: 'lag(x[, n[, default]]) -> the same', toDuckDb: same('lag') },
  lead: { category: 'window', arity: [1, 3], doc: 'lead(x[, n[, default]]) -> the same', toDuckDb: same('lead') },
  coalesce: { category: 'conditional', arity: [1, 99], doc: 'coalesce(a, ...) -> the same', toDuckDb: same('coalesce') },
  nvl: { category: 'conditional', arity: [2, 2], doc: 'nvl(a, b) -> coalesce(a, b)', toDuckDb: same('coalesce') },
  nullif: { category: 'conditional', arity: [2, 2], doc: 'nullif(a, b) -> the same', toDuckDb: same('nullif') },
  if: {
    category: 'conditional', arity: [3, 3],
    doc: 'if(c, a, b): b when c is NULL -> CASE WHEN c THEN a ELSE b END',
    toDuckDb: ([c, a, b]) => `(CASE WHEN ${c} THEN ${a} ELSE ${b} END)`,
  },
  upper: { category: 'string', arity: [1, 1], doc: 'upper(s) -> the same', toDuckDb: same('upper') },
  lower: { category: 'string', arity: [1, 1], doc: 'lower(s) -> the same', toDuckDb: same('lower') },
  trim: { category: 'string', arity: [1, 1], doc: 'trim(s): spaces only, not tabs -> trim(s)', toDuckDb: same('trim') },
  length: { category: 'string', arity: [1, 1], doc: 'length(s): characters -> length(s)', toDuckDb: same('length') },
  substring: {
    category: 'string', arity: [2, 3],
    doc: 'substring(s, pos[, len]): 1-based, pos 0 is 1, a negative pos counts from the end -> spark_substring(s, pos[, len])',
    toDuckDb: same('spark_substring'),
  },
  substr: { category: 'string', arity: [2, 3], doc: 'substr(s, pos[, len]): substring -> spark_substring(s, pos[, len])', toDuckDb: same('spark_substring') },
  concat: {
    category: 'string', arity: [1, 99],
    doc: 'concat(a, ...): null when any argument is null, numbers as text -> CAST(a AS VARCHAR) || ... (DuckDB concat() would skip nulls)',
    toDuckDb: (args) => `(${args.map((a) => `CAST(${a} AS VARCHAR)`).join(' || ')})`,
  },
  round: { category: 'math', arity: [1, 2], doc: 'round(x[, d]): half away from zero (HALF_UP) -> round(x, d)', toDuckDb: same('round') },
  abs: {
    category: 'math', arity: [1, 1],
    // Spark's abs(-2147483648) is -2147483648 (Java's Math.abs); DuckDB's abs throws on it.
    doc: 'abs(x): the minimum integer stays itself -> coalesce(try(abs(x)), x)',
    toDuckDb: ([x]) => `coalesce(try(abs(${x})), ${x})`,
  },
};

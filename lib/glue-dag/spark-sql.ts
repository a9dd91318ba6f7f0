import { GlueDagError } from './errors';

/**
 * Translates the Spark SQL of a Glue `SparkSQL` node into DuckDB SQL, token by token:
 * backtick identifiers become double-quoted ones, Spark's double-quoted strings become
 * single-quoted ones, and every function call is looked up in SPARK_FUNCTIONS. A function
 * not in the table is an error naming it, so the local run never guesses a semantic.
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
}

const same = (name: string) => (args: readonly string[]) => `${name}(${args.join(', ')})`;
const asInt = (expr: string) => `CAST(${expr} AS INTEGER)`;
const asDate = (expr: string) => `CAST(${expr} AS DATE)`;

/** Spark functions the local executor supports, with their DuckDB translation. */
export const SPARK_FUNCTIONS: Readonly<Record<string, SparkFunction>> = {
  datediff: {
    category: 'date', arity: [2, 2],
    doc: "datediff(end, start): whole days from start to end, INT -> CAST(date_diff('day', start, end) AS INTEGER)",
    toDuckDb: ([end, start]) => asInt(`date_diff('day', ${asDate(start)}, ${asDate(end)})`),
  },
  date_add: {
    category: 'date', arity: [2, 2],
    doc: 'date_add(d, n): d plus n days -> CAST(d AS DATE) + n',
    toDuckDb: ([d, n]) => asDate(`${asDate(d)} + ${asInt(n)}`),
  },
  date_sub: {
    category: 'date', arity: [2, 2],
    doc: 'date_sub(d, n): d minus n days -> CAST(d AS DATE) - n',
    toDuckDb: ([d, n]) => asDate(`${asDate(d)} - ${asInt(n)}`),
  },
  add_months: {
    category: 'date', arity: [2, 2],
    doc: 'add_months(d, n): clamps to the month end like Spark -> CAST(d + to_months(n) AS DATE)',
    toDuckDb: ([d, n]) => asDate(`${asDate(d)} + to_months(${asInt(n)})`),
  },
  make_date: {
    category: 'date', arity: [3, 3],
    doc: 'make_date(y, m, d) -> make_date(y, m, d)',
    toDuckDb: same('make_date'),
  },
  last_day: {
    category: 'date', arity: [1, 1],
    doc: 'last_day(d): last day of the month -> last_day(CAST(d AS DATE))',
    toDuckDb: ([d]) => `last_day(${asDate(d)})`,
  },
  to_date: {
    category: 'date', arity: [1, 1],
    doc: 'to_date(x) -> CAST(x AS DATE) (the two-argument form with a format is not supported)',
    toDuckDb: ([x]) => asDate(x),
  },
  year: { category: 'date', arity: [1, 1], doc: 'year(d): INT -> CAST(year(d) AS INTEGER)', toDuckDb: ([d]) => asInt(`year(${d})`) },
  quarter: { category: 'date', arity: [1, 1], doc: 'quarter(d): INT -> CAST(quarter(d) AS INTEGER)', toDuckDb: ([d]) => asInt(`quarter(${d})`) },
  month: { category: 'date', arity: [1, 1], doc: 'month(d): INT -> CAST(month(d) AS INTEGER)', toDuckDb: ([d]) => asInt(`month(${d})`) },
  dayofmonth: { category: 'date', arity: [1, 1], doc: 'dayofmonth(d): INT -> CAST(day(d) AS INTEGER)', toDuckDb: ([d]) => asInt(`day(${d})`) },
  day: { category: 'date', arity: [1, 1], doc: 'day(d): INT -> CAST(day(d) AS INTEGER)', toDuckDb: ([d]) => asInt(`day(${d})`) },
  dayofweek: {
    category: 'date', arity: [1, 1],
    doc: 'dayofweek(d): 1 = Sunday .. 7 = Saturday; DuckDB counts 0 = Sunday -> dayofweek(d) + 1',
    toDuckDb: ([d]) => asInt(`dayofweek(${d}) + 1`),
  },
  dayofyear: { category: 'date', arity: [1, 1], doc: 'dayofyear(d) -> CAST(dayofyear(d) AS INTEGER)', toDuckDb: ([d]) => asInt(`dayofyear(${d})`) },
  weekofyear: { category: 'date', arity: [1, 1], doc: 'weekofyear(d): ISO week -> CAST(weekofyear(d) AS INTEGER)', toDuckDb: ([d]) => asInt(`weekofyear(${d})`) },
  sum: { category: 'aggregate', arity: [1, 1], doc: 'sum(x) -> sum(x)', toDuckDb: same('sum') },
  count: { category: 'aggregate', arity: [1, 1], doc: 'count(x) / count(*) / count(DISTINCT x) -> the same', toDuckDb: same('count') },
  avg: { category: 'aggregate', arity: [1, 1], doc: 'avg(x) -> avg(x)', toDuckDb: same('avg') },
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
    doc: 'if(c, a, b) -> CASE WHEN c THEN a ELSE b END',
    toDuckDb: ([c, a, b]) => `(CASE WHEN ${c} THEN ${a} ELSE ${b} END)`,
  },
  upper: { category: 'string', arity: [1, 1], doc: 'upper(s) -> the same', toDuckDb: same('upper') },
  lower: { category: 'string', arity: [1, 1], doc: 'lower(s) -> the same', toDuckDb: same('lower') },
  trim: { category: 'string', arity: [1, 1], doc: 'trim(s): spaces only -> trim(s)', toDuckDb: same('trim') },
  length: { category: 'string', arity: [1, 1], doc: 'length(s): characters -> length(s)', toDuckDb: same('length') },
  substring: { category: 'string', arity: [2, 3], doc: 'substring(s, pos[, len]), 1-based -> the same', toDuckDb: same('substring') },
  concat: {
    category: 'string', arity: [1, 99],
    doc: 'concat(a, ...): null when any argument is null -> a || b || ... (DuckDB concat() would skip nulls)',
    toDuckDb: (args) => `(${args.join(' || ')})`,
  },
  round: { category: 'math', arity: [1, 2], doc: 'round(x[, d]): half away from zero -> round(x, d)', toDuckDb: same('round') },
  abs: { category: 'math', arity: [1, 1], doc: 'abs(x) -> the same', toDuckDb: same('abs') },
};

/** Would make a run depend on the clock or chance: the refined job must be deterministic. */
const NONDETERMINISTIC = new Set(['current_date', 'current_timestamp', 'now', 'localtimestamp', 'rand', 'random', 'uuid', 'unix_timestamp']);

/** SQL keywords that may precede `(` without being a function call. */
const KEYWORDS_BEFORE_PAREN = new Set([
  'select', 'from', 'where', 'and', 'or', 'not', 'in', 'exists', 'as', 'on', 'join', 'using', 'over',
  'by', 'when', 'then', 'else', 'case', 'values', 'cast', 'with', 'union', 'all', 'except', 'intersect',
  'having', 'filter', 'is', 'distinct', 'between', 'like', 'any', 'some', 'lateral',
]);

type Token = { kind: 'space' | 'word' | 'ident' | 'string' | 'number' | 'punct'; text: string };

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    const rest = sql.slice(i);
    let m: RegExpExecArray | null;
    let length: number;
    if ((m = /^(\s+|--[^\n]*|\/\*[\s\S]*?\*\/)/.exec(rest))) {
      length = m[0].length;
      tokens.push({ kind: 'space', text: m[0].startsWith('--') || m[0].startsWith('/*') ? ' ' : m[0] });
    } else if (c === '`') {
      const end = sql.indexOf('`', i + 1);
      if (end < 0) throw new GlueDagError(`spark-sql: unterminated backtick identifier, got ${rest.slice(0, 30)}`);
      length = end + 1 - i;
      tokens.push({ kind: 'ident', text: `"${sql.slice(i + 1, end).replace(/"/g, '""')}"` });
    } else if (c === "'" || c === '"') {
      // Spark (non-ANSI) reads both quotes as string literals, with backslash escapes.
      let j = i + 1;
      let value = '';
      while (j < sql.length && sql[j] !== c) {
        if (sql[j] === '\\' && j + 1 < sql.length) j++;
        value += sql[j++];
      }
      if (j >= sql.length) throw new GlueDagError(`spark-sql: unterminated string literal, got ${rest.slice(0, 30)}`);
      length = j + 1 - i;
      tokens.push({ kind: 'string', text: `'${value.replace(/'/g, "''")}'` });
    } else if ((m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) {
      length = m[0].length;
      tokens.push({ kind: 'word', text: m[0] });
    } else if ((m = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(rest))) {
      length = m[0].length;
      tokens.push({ kind: 'number', text: m[0] });
    } else {
      length = 1;
      tokens.push({ kind: 'punct', text: c });
    }
    i += length;
  }
  return tokens;
}

function nextSignificant(tokens: readonly Token[], from: number): number {
  let j = from;
  while (j < tokens.length && tokens[j].kind === 'space') j++;
  return j;
}

/** Index of the `)` closing the `(` at `open`. */
function closingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let j = open; j < tokens.length; j++) {
    if (tokens[j].kind !== 'punct') continue;
    if (tokens[j].text === '(') depth++;
    else if (tokens[j].text === ')' && --depth === 0) return j;
  }
  throw new GlueDagError('spark-sql: unbalanced parentheses, got a ( without its )');
}

/** Splits the tokens between two parens at top-level commas. */
function splitArgs(tokens: readonly Token[], from: number, to: number): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  let depth = 0;
  let start = from;
  for (let j = from; j < to; j++) {
    const t = tokens[j];
    if (t.kind !== 'punct') continue;
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (t.text === ',' && depth === 0) {
      parts.push([start, j]);
      start = j + 1;
    }
  }
  const last: [number, number] = [start, to];
  if (parts.length > 0 || tokens.slice(start, to).some((t) => t.kind !== 'space')) parts.push(last);
  return parts;
}

function translateRange(tokens: readonly Token[], from: number, to: number, used: Set<string>): string {
  let out = '';
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (t.kind !== 'word') {
      out += t.text;
      continue;
    }
    const lower = t.text.toLowerCase();
    if (NONDETERMINISTIC.has(lower)) {
      throw new GlueDagError(`spark-sql: nondeterministic function refused (the same raw day must refine the same), got ${t.text}`);
    }
    const open = nextSignificant(tokens, i + 1);
    const isCall = open < to && tokens[open].kind === 'punct' && tokens[open].text === '(';
    const afterDot = i > 0 && tokens[i - 1].kind === 'punct' && tokens[i - 1].text === '.';
    if (!isCall || afterDot || KEYWORDS_BEFORE_PAREN.has(lower)) {
      out += t.text;
      continue;
    }
    const fn = SPARK_FUNCTIONS[lower];
    if (!fn) throw new GlueDagError(`spark-sql: unsupported Spark function (add it to SPARK_FUNCTIONS), got ${t.text}()`);
    const close = closingParen(tokens, open);
    const args = splitArgs(tokens, open + 1, close).map(([a, b]) => translateRange(tokens, a, b, used).trim());
    if (args.length < fn.arity[0] || args.length > fn.arity[1]) {
      throw new GlueDagError(`spark-sql: ${lower}() takes ${fn.arity[0]}..${fn.arity[1]} arguments, got ${args.length}`);
    }
    used.add(lower);
    out += fn.toDuckDb(args);
    i = close;
  }
  return out;
}

/** The DuckDB spelling of a Spark SQL query, and the Spark functions it calls. */
export function translateSparkSql(sql: string): { sql: string; functions: ReadonlySet<string> } {
  const tokens = tokenize(sql);
  const used = new Set<string>();
  return { sql: translateRange(tokens, 0, tokens.length, used), functions: used };
}

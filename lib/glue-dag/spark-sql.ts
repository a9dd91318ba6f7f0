import { GlueDagError } from './errors';
import { SPARK_FUNCTIONS } from './spark-functions';
import { duckString, sparkType, tokenize, type Token } from './spark-sql-lexer';

export { SPARK_FUNCTIONS, SPARK_SESSION_SQL, type SparkFunction, type SparkFunctionCategory } from './spark-functions';

/**
 * Translates the Spark SQL of a Glue `SparkSQL` node into DuckDB SQL, token by token, with
 * Spark 3.5's non-ANSI semantics (Glue 5.0's default): CAST gives NULL on bad input, string
 * literals are unescaped as Spark's parser does, every function call is looked up in
 * SPARK_FUNCTIONS, and a function, operator, type or keyword outside the supported set is
 * an error naming it, so the local run never guesses a semantic. The translated SQL needs
 * SPARK_SESSION_SQL run on its DuckDB connection first.
 *
 * Differences that remain, because a token translator does not know the operands' types
 * (written down here and in the report of issue 8):
 * - decimal arithmetic: Spark's `/` and avg of DECIMAL stay DECIMAL, DuckDB's are DOUBLE;
 *   sum of DECIMAL(p, s) is DECIMAL(p + 10, s) in Spark, DECIMAL(38, s) in DuckDB;
 * - CAST to an integral type: out of range is NULL locally where Spark wraps or saturates;
 *   a DECIMAL beyond 2^53 goes through DOUBLE; a TIMESTAMP is NULL, Spark's epoch seconds;
 * - CAST(string AS DATE) accepts 'yyyy' and 'yyyy-mm' in Spark, NULL locally; CAST(' true '
 *   AS BOOLEAN) is true in Spark (trimmed), NULL locally;
 * - doubles as text: Java's Double.toString gives '1.23456789E8' from 1e7 up and below 1e-3,
 *   DuckDB '123456789.0' and '1e-05'; timestamps as text carry a '+00' offset locally.
 * - sum(sum(x)) OVER (...) fails to bind locally (an aggregate cannot pick the macro
 *   overload); sum of a string column fails to bind locally, Spark sums it as DOUBLE.
 * Each is shown in __tests__/adapters/duckdb/spark-functions.int.test.ts.
 */

/** Would make a run depend on the clock or chance: the refined job must be deterministic. */
const NONDETERMINISTIC = new Set(['current_date', 'current_timestamp', 'now', 'localtimestamp', 'rand', 'random', 'uuid', 'unix_timestamp']);

/**
 * Spark keywords whose syntax this translator does not translate (DuckDB would read them
 * otherwise or not at all). Every other word is a keyword both dialects read alike or an
 * identifier; a column with one of these names is written in backticks.
 */
const REFUSED_KEYWORDS = new Map<string, string>([
  ['div', ' (write CAST(a / b AS BIGINT), which truncates like DIV)'],
  ['rlike', ' (Java regular expressions)'], ['regexp', ' (Java regular expressions)'],
  ...['interval', 'lateral', 'view', 'pivot', 'unpivot', 'tablesample', 'cluster', 'distribute', 'sort', 'transform',
    'window', 'qualify', 'natural', 'semi', 'anti', 'grouping', 'rollup', 'cube', 'minus', 'both', 'leading', 'trailing',
    'any', 'some', 'ignore', 'respect'].map((k): [string, string] => [k, '']),
]);

/** SQL keywords that may precede `(` without being a function call. */
const KEYWORDS_BEFORE_PAREN = new Set([
  'select', 'from', 'where', 'and', 'or', 'not', 'in', 'exists', 'as', 'on', 'join', 'using', 'over',
  'by', 'when', 'then', 'else', 'case', 'values', 'with', 'union', 'all', 'except', 'intersect',
  'having', 'filter', 'is', 'distinct', 'between', 'like', 'ilike',
]);

function nextSignificant(tokens: readonly Token[], from: number): number {
  let j = from;
  while (j < tokens.length && tokens[j].kind === 'space') j++;
  return j;
}

const isOp = (t: Token | undefined, text: string) => t?.kind === 'op' && t.text === text;
const isWord = (t: Token | undefined, text: string) => t?.kind === 'word' && t.text.toLowerCase() === text;

/** Index of the `)` closing the `(` at `open`. */
function closingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let j = open; j < tokens.length; j++) {
    if (isOp(tokens[j], '(')) depth++;
    else if (isOp(tokens[j], ')') && --depth === 0) return j;
  }
  throw new GlueDagError('spark-sql: unbalanced parentheses, got a ( without its )');
}

/** Splits the tokens between two parens at top-level commas. */
function splitArgs(tokens: readonly Token[], from: number, to: number): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  let depth = 0;
  let start = from;
  for (let j = from; j < to; j++) {
    if (isOp(tokens[j], '(')) depth++;
    else if (isOp(tokens[j], ')')) depth--;
    else if (isOp(tokens[j], ',') && depth === 0) {
      parts.push([start, j]);
      start = j + 1;
    }
  }
  if (parts.length > 0 || tokens.slice(start, to).some((t) => t.kind !== 'space')) parts.push([start, to]);
  return parts;
}

/** `CAST(e AS type)` / `TRY_CAST(...)` between `open` and `close`: NULL on bad input, as non-ANSI Spark. */
function translateCast(tokens: readonly Token[], open: number, close: number, used: Set<string>): string {
  let as = -1;
  let depth = 0;
  for (let j = open + 1; j < close; j++) {
    if (isOp(tokens[j], '(')) depth++;
    else if (isOp(tokens[j], ')')) depth--;
    else if (depth === 0 && isWord(tokens[j], 'as')) as = j;
  }
  if (as < 0) throw new GlueDagError(`spark-sql: CAST without AS, got ${tokens.slice(open, close + 1).map((t) => t.text).join('')}`);
  const type = sparkType(tokens.slice(as + 1, close).map((t) => t.text).join('').trim());
  const expr = translateRange(tokens, open + 1, as, used).trim();
  return `TRY_CAST(${type.integral ? `spark_trunc(${expr})` : expr} AS ${type.duck})`;
}

/** `FILTER (...)` and `OVER (...)` after an aggregate call: [translated text, last index]. */
function callSuffix(tokens: readonly Token[], after: number, to: number, used: Set<string>): [string, number] {
  let text = '';
  let last = after;
  for (const keyword of ['filter', 'over']) {
    const k = nextSignificant(tokens, last + 1);
    const open = nextSignificant(tokens, k + 1);
    if (k >= to || !isWord(tokens[k], keyword) || !isOp(tokens[open], '(')) continue;
    const close = closingParen(tokens, open);
    text += ` ${tokens[k].text} (${translateRange(tokens, open + 1, close, used)})`;
    last = close;
  }
  return [text, last];
}

/** `AS t(a, b)` or `(...) t(a, b)`: a table alias with its column names, not a call. */
function isAlias(tokens: readonly Token[], i: number): boolean {
  let j = i - 1;
  while (j >= 0 && tokens[j].kind === 'space') j--;
  return j >= 0 && (isWord(tokens[j], 'as') || isOp(tokens[j], ')'));
}

function translateWord(tokens: readonly Token[], i: number, to: number, used: Set<string>): [string, number] {
  const t = tokens[i];
  const lower = t.text.toLowerCase();
  const open = nextSignificant(tokens, i + 1);
  if (i > 0 && isOp(tokens[i - 1], '.')) return [t.text, i];
  if (NONDETERMINISTIC.has(lower)) {
    throw new GlueDagError(`spark-sql: nondeterministic function refused (the same raw day must refine the same), got ${t.text}`);
  }
  const refused = REFUSED_KEYWORDS.get(lower);
  if (refused !== undefined) throw new GlueDagError(`spark-sql: keyword outside the supported set${refused} (a column of that name goes in backticks), got ${t.text}`);
  if ((lower === 'like' || lower === 'ilike') && open < to) {
    // Spark's LIKE escapes with a backslash by default; DuckDB's has no escape character.
    if (isWord(tokens[open], 'null')) return [t.text, i];
    const after = tokens[nextSignificant(tokens, open + 1)];
    // ESCAPE goes after the whole pattern: a pattern that is more than one literal is refused.
    const continues = after?.kind === 'op' && after.text !== ')' && after.text !== ',';
    if (tokens[open].kind !== 'string' || continues) {
      const got = tokens[open].kind === 'string' ? `${duckString(tokens[open].text)} ${after.text}` : tokens[open].text;
      throw new GlueDagError(`spark-sql: ${t.text} needs a string literal pattern, got ${got}`);
    }
    const hasEscape = isWord(after, 'escape');
    return [`${t.text} ${duckString(tokens[open].text)}${hasEscape ? '' : " ESCAPE '\\'"}`, open];
  }
  if (lower === 'timestamp' && tokens[open]?.kind === 'string') return [`CAST(${duckString(tokens[open].text)} AS TIMESTAMPTZ)`, open];
  const isCall = open < to && isOp(tokens[open], '(');
  if (!isCall || KEYWORDS_BEFORE_PAREN.has(lower) || isAlias(tokens, i)) return [t.text, i];
  const close = closingParen(tokens, open);
  if (lower === 'cast' || lower === 'try_cast') return [translateCast(tokens, open, close, used), close];
  const fn = SPARK_FUNCTIONS[lower];
  if (!fn) throw new GlueDagError(`spark-sql: unsupported Spark function (add it to SPARK_FUNCTIONS), got ${t.text}()`);
  const args = splitArgs(tokens, open + 1, close).map(([a, b]) => translateRange(tokens, a, b, used).trim());
  if (args.length < fn.arity[0] || args.length > fn.arity[1]) {
    throw new GlueDagError(`spark-sql: ${lower}() takes ${fn.arity[0]}..${fn.arity[1]} arguments, got ${args.length}`);
  }
  used.add(lower);
  if (!fn.wrapCall) return [fn.toDuckDb(args), close];
  const [suffix, last] = callSuffix(tokens, close, to, used);
  return [fn.wrapCall(`${fn.toDuckDb(args)}${suffix}`, args), last];
}

function translateRange(tokens: readonly Token[], from: number, to: number, used: Set<string>): string {
  let out = '';
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (t.kind === 'string') out += duckString(t.text);
    else if (t.kind !== 'word') out += t.text;
    else {
      const [text, last] = translateWord(tokens, i, to, used);
      out += text;
      i = last;
    }
  }
  return out;
}

/** The DuckDB spelling of a Spark SQL query, and the Spark functions it calls. */
export function translateSparkSql(sql: string): { sql: string; functions: ReadonlySet<string> } {
  const tokens = tokenize(sql);
  const used = new Set<string>();
  return { sql: translateRange(tokens, 0, tokens.length, used), functions: used };
}

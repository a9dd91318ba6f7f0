import { GlueDagError } from './errors';

/**
 * Spark SQL's lexical rules, read as Spark 3.5 reads them, and written out in DuckDB's
 * spelling: string literals with their backslash escapes resolved (sql-ref-literals.html),
 * numeric literals with their type suffixes, backtick identifiers, and only the operators
 * both dialects read alike. Anything else is refused here, naming it.
 */

export type Token = { kind: 'space' | 'word' | 'ident' | 'string' | 'number' | 'op'; text: string };

/** Operators with one meaning in both dialects, plus `<=>` translated. */
const OPERATORS = ['<=>', '<=', '>=', '<>', '!=', '==', '||', '+', '-', '*', '/', '%', '=', '<', '>', '(', ')', ',', '.'];

/** Spark's null-safe equality. */
const NULL_SAFE_EQUAL = ' IS NOT DISTINCT FROM ';

/** `\n`, `\t`, ... as Spark's parser unescapes them; `\%` and `\_` keep the backslash for LIKE. */
const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\u0000', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\u001A', '%': '\\%', _: '\\_',
};

function unescape(body: string): string {
  return body.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|[\s\S])/g, (_, e: string) => {
    if (e.length === 5 || e.length === 9) return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (e.length === 3) return String.fromCharCode(parseInt(e, 8));
    return ESCAPES[e] ?? e;
  });
}

/** A DuckDB literal for a string value; NUL cannot sit in SQL text, so it becomes chr(0). */
export function duckString(value: string): string {
  const parts = value.split('\u0000').map((p) => `'${p.replace(/'/g, "''")}'`);
  return parts.length === 1 ? parts[0] : `(${parts.join(' || chr(0) || ')})`;
}

/** Spark numeric literal suffixes (sql-ref-literals.html): 1L is BIGINT, 1.5BD DECIMAL(2,1), ... */
const INTEGRAL_SUFFIX: Readonly<Record<string, string>> = { l: 'BIGINT', s: 'SMALLINT', y: 'TINYINT' };
const FRACTIONAL_SUFFIX: Readonly<Record<string, string>> = { d: 'DOUBLE', f: 'FLOAT' };

function numberLiteral(digits: string, suffix: string): string {
  const s = suffix.toLowerCase();
  if (s === '') return digits;
  const integral = /^\d+$/.test(digits);
  if (INTEGRAL_SUFFIX[s] && integral) return `CAST(${digits} AS ${INTEGRAL_SUFFIX[s]})`;
  if (FRACTIONAL_SUFFIX[s]) return `CAST(${digits} AS ${FRACTIONAL_SUFFIX[s]})`;
  if (s === 'bd' && /^\d*\.?\d*$/.test(digits)) {
    const [whole, fraction = ''] = digits.split('.');
    const precision = Math.max(whole.replace(/^0+/, '').length + fraction.length, 1);
    return `CAST('${digits}' AS DECIMAL(${precision}, ${fraction.length}))`;
  }
  throw new GlueDagError(`spark-sql: numeric literal outside the supported set (suffixes L, S, Y, D, F, BD), got ${digits}${suffix}`);
}

function quoted(sql: string, i: number, raw: boolean): { value: string; end: number } {
  const quote = sql[i];
  let j = i + 1;
  while (j < sql.length && sql[j] !== quote) j += !raw && sql[j] === '\\' ? 2 : 1;
  if (j >= sql.length) throw new GlueDagError(`spark-sql: unterminated string literal, got ${sql.slice(i, i + 30)}`);
  const body = sql.slice(i + 1, j);
  return { value: raw ? body : unescape(body), end: j + 1 };
}

/** Adjacent string literals are one ('a' 'b' is 'ab'), so Spark reads 'it''s' as its. */
function joinAdjacentStrings(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    if (t.kind === 'string') {
      let j = out.length - 1;
      while (j >= 0 && out[j].kind === 'space') j--;
      if (j >= 0 && out[j].kind === 'string') {
        out.splice(j + 1);
        out[j] = { kind: 'string', text: out[j].text + t.text };
        continue;
      }
    }
    out.push(t);
  }
  return out;
}

/** Tokens of a Spark SQL text; a `string` token holds the literal's value, not its spelling. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    const rest = sql.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^(\s+|--[^\n]*|\/\*[\s\S]*?\*\/)/.exec(rest))) {
      tokens.push({ kind: 'space', text: /^\s/.test(m[0]) ? m[0] : ' ' });
      i += m[0].length;
    } else if (c === '`') {
      const end = sql.indexOf('`', i + 1);
      if (end < 0) throw new GlueDagError(`spark-sql: unterminated backtick identifier, got ${rest.slice(0, 30)}`);
      tokens.push({ kind: 'ident', text: `"${sql.slice(i + 1, end).replace(/"/g, '""')}"` });
      i = end + 1;
    } else if (c === "'" || c === '"' || /^[rR]['"]/.test(rest)) {
      // Spark (non-ANSI) reads both quotes as string literals; an r prefix turns escapes off.
      const raw = c === 'r' || c === 'R';
      const { value, end } = quoted(sql, raw ? i + 1 : i, raw);
      tokens.push({ kind: 'string', text: value });
      i = end;
    } else if (/^[xX]'/.test(rest)) {
      throw new GlueDagError(`spark-sql: binary literals are not supported, got ${rest.slice(0, 30)}`);
    } else if ((m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) {
      tokens.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    } else if ((m = /^(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)([A-Za-z_][A-Za-z0-9_]*)?/.exec(rest))) {
      tokens.push({ kind: 'number', text: numberLiteral(m[1], m[2] ?? '') });
      i += m[0].length;
    } else {
      const op = OPERATORS.find((o) => rest.startsWith(o));
      if (!op) {
        const unknown = /^[^\sA-Za-z0-9_'"`(),.]+/.exec(rest)?.[0] ?? c;
        throw new GlueDagError(`spark-sql: operator outside the supported set (${OPERATORS.join(' ')}), got ${unknown}`);
      }
      tokens.push({ kind: 'op', text: op === '<=>' ? NULL_SAFE_EQUAL : op });
      i += op.length;
    }
  }
  return joinAdjacentStrings(tokens);
}

/** Spark SQL type names (sql-ref-datatypes.html) -> DuckDB; integral ones truncate in CAST. */
const SPARK_TYPES: Readonly<Record<string, { readonly duck: string; readonly integral?: true }>> = {
  boolean: { duck: 'BOOLEAN' },
  tinyint: { duck: 'TINYINT', integral: true }, byte: { duck: 'TINYINT', integral: true },
  smallint: { duck: 'SMALLINT', integral: true }, short: { duck: 'SMALLINT', integral: true },
  int: { duck: 'INTEGER', integral: true }, integer: { duck: 'INTEGER', integral: true },
  bigint: { duck: 'BIGINT', integral: true }, long: { duck: 'BIGINT', integral: true },
  float: { duck: 'FLOAT' }, real: { duck: 'FLOAT' }, double: { duck: 'DOUBLE' },
  string: { duck: 'VARCHAR' }, date: { duck: 'DATE' },
  // Spark's TIMESTAMP is an instant shown in the session time zone (UTC in Glue).
  timestamp: { duck: 'TIMESTAMPTZ' }, timestamp_ltz: { duck: 'TIMESTAMPTZ' }, timestamp_ntz: { duck: 'TIMESTAMP' },
};

/** The DuckDB type of a Spark type name such as `INT` or `DECIMAL(10, 2)`; others are refused. */
export function sparkType(spelling: string): { readonly duck: string; readonly integral: boolean } {
  const t = spelling.replace(/\s+/g, '').toLowerCase();
  const decimal = /^(?:decimal|dec|numeric)(?:\((\d+)(?:,(\d+))?\))?$/.exec(t);
  if (decimal) {
    // Spark's DECIMAL alone is DECIMAL(10, 0); DuckDB's would be DECIMAL(18, 3).
    const [precision, scale] = [Number(decimal[1] ?? 10), Number(decimal[2] ?? 0)];
    if (precision < 1 || precision > 38 || scale > precision) throw new GlueDagError(`spark-sql: DECIMAL needs 1 <= precision <= 38 and scale <= precision, got ${spelling}`);
    return { duck: `DECIMAL(${precision}, ${scale})`, integral: false };
  }
  const known = SPARK_TYPES[t];
  if (!known) throw new GlueDagError(`spark-sql: type outside the supported set (${Object.keys(SPARK_TYPES).join(', ')}, decimal(p, s)), got ${spelling}`);
  return { duck: known.duck, integral: known.integral ?? false };
}

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { CotahistParser } from '../../../lib/cotahist/parser';
import type { CotahistQuote } from '../../../lib/cotahist/quote';
import { lit } from '../../../lib/glue-dag/to-sql';
import { RAW_QUOTE_COLUMNS } from '../../../lib/raw/quotes-contract';
import { RawQuotesParquet } from '../../../lib/raw/quotes-parquet';
import { TXT_2021_03_25, ZIP_2024_11_08, cotahistBytes, joinLines, lines, memberText, setPositions } from '../cotahist/cotahist-fixtures';

const run = promisify(execFile);

/** Parses a text into both writer paths: records straight from bytes, and typed quotes. */
function write(text: Uint8Array, session: string, rowGroupSize?: number): { fromBytes: Uint8Array; fromQuotes: Uint8Array; quotes: CotahistQuote[] } {
  const fromBytes = new RawQuotesParquet(rowGroupSize);
  const fromQuotes = new RawQuotesParquet(rowGroupSize);
  const quotes: CotahistQuote[] = [];
  const parser = new CotahistParser({ session, records: fromBytes, onQuote: (q) => (quotes.push(q), fromQuotes.add(q)) });
  parser.push(text);
  parser.end();
  return { fromBytes: fromBytes.encode(), fromQuotes: fromQuotes.encode(), quotes };
}

/** A quote as DuckDB's JSON shows a row: decimals as their exact text, BIGINT as a string. */
function expectedRow(q: CotahistQuote): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { name, column } of RAW_QUOTE_COLUMNS) {
    const v = q[name];
    if (column.type === 'decimal') {
      const digits = (v as bigint).toString().padStart(column.scale + 1, '0');
      out[name] = `${digits.slice(0, -column.scale)}.${digits.slice(-column.scale)}`;
    } else out[name] = column.type === 'bigint' ? (v as bigint).toString() : v;
  }
  return out;
}

describe('raw quotes Parquet: the column buffers and their encodings, read back by DuckDB and pyarrow', () => {
  let dir: string;
  let db: DuckDBInstance;
  let conn: DuckDBConnection;
  const q = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  const save = (name: string, bytes: Uint8Array) => {
    const file = path.join(dir, name);
    writeFileSync(file, bytes);
    return lit(file);
  };
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'raw-quotes-enc-'));
    db = await DuckDBInstance.create(':memory:');
    conn = await db.connect();
  });
  afterAll(() => {
    conn.closeSync();
    db.closeSync();
    rmSync(dir, { recursive: true, force: true });
  });

  it('2024-11-08: every value of every row is the parsed quote, and both writer paths write the same bytes', async () => {
    const { fromBytes, fromQuotes, quotes } = write(memberText(ZIP_2024_11_08), '2024-11-08');
    expect(Buffer.compare(Buffer.from(fromBytes), Buffer.from(fromQuotes))).toBe(0);
    const f = save('whole.parquet', fromBytes);
    const rows = await q(`SELECT * FROM read_parquet(${f}) ORDER BY ticker, market_type, forward_term_days NULLS FIRST`);
    const key = (r: Record<string, unknown>) => `${String(r.ticker)}\u0000${String(r.market_type).padStart(3, '0')}\u0000${String(r.forward_term_days ?? '')}`;
    const expected = quotes.map(expectedRow).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    expect(rows).toHaveLength(12_226);
    expect(rows).toEqual(expected);
    // A dictionary where it halves the bytes (one day, eight markets), PLAIN where it does not
    // (traded volumes nearly all distinct) and for the ticker (unique in its market): every path
    // is in the file and read back above.
    const enc = Object.fromEntries((await q(`SELECT path_in_schema AS c, encodings AS e FROM parquet_metadata(${f})`)).map((r) => [r.c, r.e]));
    expect(enc.session_date).toContain('RLE_DICTIONARY');
    expect(enc.market_type).toContain('RLE_DICTIONARY');
    expect(enc.company_name).toContain('RLE_DICTIONARY');
    expect(enc.traded_volume).toBe('PLAIN');
    expect(enc.ticker).toBe('PLAIN');
  });

  it('a writer reset after a session writes the next one byte for byte as a new writer does', () => {
    const parse = (text: Uint8Array, session: string, into: RawQuotesParquet) => {
      const parser = new CotahistParser({ session, records: into });
      parser.push(text);
      parser.end();
      return into.encode();
    };
    const big = memberText(ZIP_2024_11_08); // 12,226 records: the second session is smaller
    const small = cotahistBytes(TXT_2021_03_25);
    const reused = new RawQuotesParquet();
    const first = parse(big, '2024-11-08', reused);
    reused.reset();
    expect(reused.rowCount).toBe(0);
    const second = parse(small, '2021-03-25', reused);
    expect(Buffer.from(first).equals(Buffer.from(parse(big, '2024-11-08', new RawQuotesParquet())))).toBe(true);
    expect(Buffer.from(second).equals(Buffer.from(parse(small, '2021-03-25', new RawQuotesParquet())))).toBe(true);
  });

  it('row groups of 1,000 rows: 13 groups, the same rows, statistics true to each group', async () => {
    const { fromBytes } = write(memberText(ZIP_2024_11_08), '2024-11-08', 1000);
    const f = save('groups.parquet', fromBytes);
    const whole = save('whole2.parquet', write(memberText(ZIP_2024_11_08), '2024-11-08').fromBytes);
    const [diff] = await q(`SELECT (SELECT count(*) FROM (FROM read_parquet(${f}) EXCEPT ALL FROM read_parquet(${whole})))
                                 + (SELECT count(*) FROM (FROM read_parquet(${whole}) EXCEPT ALL FROM read_parquet(${f}))) AS n`);
    expect(diff.n).toBe('0');
    const groups = await q(`SELECT row_group_id AS g, row_group_num_rows AS n, stats_min_value AS lo, stats_max_value AS hi, stats_null_count AS nulls
                            FROM parquet_metadata(${f}) WHERE path_in_schema = 'close_price' ORDER BY g`);
    expect(groups).toHaveLength(13);
    // Each group's min and max close, recomputed from the rows in file order.
    const rows = await q(`SELECT close_price::VARCHAR AS c, file_row_number // 1000 AS g FROM read_parquet(${f}, file_row_number = true)`);
    for (const g of groups) {
      const closes = rows.filter((r) => Number(r.g) === Number(g.g)).map((r) => Number(r.c));
      expect([Number(g.lo), Number(g.hi), Number(g.nulls)]).toEqual([Math.min(...closes), Math.max(...closes), 0]);
    }
    // The same for the PLAIN ticker column: each group's values from its own rows (tickers are ASCII: byte order is string order).
    const tickerGroups = await q(`SELECT row_group_id AS g, stats_min_value AS lo, stats_max_value AS hi FROM parquet_metadata(${f}) WHERE path_in_schema = 'ticker' ORDER BY g`);
    const tickers = await q(`SELECT ticker AS t, file_row_number // 1000 AS g FROM read_parquet(${f}, file_row_number = true)`);
    expect(tickerGroups).toHaveLength(13);
    for (const g of tickerGroups) {
      const ts = tickers.filter((r) => Number(r.g) === Number(g.g)).map((r) => String(r.t)).sort();
      expect([g.lo, g.hi]).toEqual([ts[0], ts[ts.length - 1]]);
    }
  });

  it('past 2^53, latin-1 text, a chunk of only nulls: exact in DuckDB and pyarrow', async () => {
    const all = lines(memberText(ZIP_2024_11_08));
    const petr = all.findIndex((l) => l.slice(12, 24).trim() === 'PETR4' && l.slice(24, 27) === '010');
    // One change each to B3's own PETR4 record: 18-digit QUATOT and VOLTOT past 2^53, a name in latin-1.
    let line = setPositions(all[petr], 153, 170, '987654321098765432');
    line = setPositions(line, 171, 188, '900719925474099399');
    line = setPositions(line, 28, 39, 'PETROBRÁS   ');
    // PETR4 first, and only spot records after it in the first group: forward_term_days all null there.
    const spot = all.filter((l, i) => i !== petr && l.startsWith('01') && l.slice(24, 27) === '010');
    const body = [all[0], line, ...spot.slice(0, 9), all[all.length - 1]];
    body[body.length - 1] = setPositions(body[body.length - 1], 32, 42, String(body.length).padStart(11, '0'));
    const text = joinLines(body, '\r\n');
    const { fromBytes, fromQuotes } = write(text, '2024-11-08', 5);
    expect(Buffer.compare(Buffer.from(fromBytes), Buffer.from(fromQuotes))).toBe(0);
    const f = save('edges.parquet', fromBytes);
    expect(await q(`SELECT shares_traded, traded_volume, company_name FROM read_parquet(${f}) WHERE ticker = 'PETR4'`)).toEqual([
      { shares_traded: '987654321098765432', traded_volume: '9007199254740993.99', company_name: 'PETROBRÁS' },
    ]);
    const stats = await q(`SELECT row_group_id AS g, stats_max_value AS hi, stats_null_count AS nulls FROM parquet_metadata(${f})
                           WHERE path_in_schema IN ('shares_traded', 'forward_term_days') ORDER BY path_in_schema, g`);
    expect(stats.slice(0, 2)).toEqual([
      { g: '0', hi: null, nulls: '5' },
      { g: '1', hi: null, nulls: '5' },
    ]);
    expect(stats.find((s) => s.g === '0' && s.nulls === '0')?.hi).toBe('987654321098765432');
    const read = `
import json, sys
import pyarrow.parquet as pq
t = pq.read_table(sys.argv[1])
r = t.slice(0, 1).to_pylist()[0]
print(json.dumps({"types": {f.name: str(f.type) for f in t.schema}, "shares": str(r["shares_traded"]), "volume": str(r["traded_volume"]),
                  "name": r["company_name"], "term": r["forward_term_days"], "close": str(r["close_price"]), "day": r["session_date"].isoformat(), "rows": t.num_rows}))
`;
    const out = JSON.parse((await run('python3', ['-c', read, path.join(dir, 'edges.parquet')])).stdout) as Record<string, unknown>;
    expect(out).toEqual({
      types: expect.objectContaining({ session_date: 'date32[day]', close_price: 'decimal128(13, 2)', traded_volume: 'decimal128(18, 2)', shares_traded: 'int64', ticker: 'string' }),
      shares: '987654321098765432',
      volume: '9007199254740993.99',
      name: 'PETROBRÁS',
      term: null,
      close: '36.18',
      day: '2024-11-08',
      rows: 10,
    });
  });
});

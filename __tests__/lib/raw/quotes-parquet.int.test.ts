import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { lit } from '../../../lib/glue-dag/to-sql';
import type { CotahistQuote } from '../../../lib/cotahist/quote';
import { RAW_QUOTE_COLUMNS } from '../../../lib/raw/quotes-contract';
import { RawQuotesParquet } from '../../../lib/raw/quotes-parquet';
import { ZIP_2024_11_08, cotahistBytes, readAll } from '../cotahist/cotahist-fixtures';
import { readParquetWithDuckDB } from './duckdb-parquet';

describe('raw quotes Parquet (COTAHIST 2024-11-08, every market) read back by DuckDB', () => {
  let dir: string;
  let file: string;
  let quotes: CotahistQuote[];
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'raw-quotes-'));
    quotes = readAll(cotahistBytes(ZIP_2024_11_08), '2024-11-08').quotes;
    const writer = new RawQuotesParquet();
    for (const q of quotes) writer.add(q);
    file = path.join(dir, 'cotahist.parquet');
    writeFileSync(file, writer.encode());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has the contract columns in order: DATE, exact DECIMALs, INTEGER, BIGINT, VARCHAR', async () => {
    const seen = await readParquetWithDuckDB(file, 'ticker, market_type, forward_term_days');
    expect(seen.sqlTypes).toEqual([
      ['session_date', 'DATE'],
      ['bdi_code', 'VARCHAR'],
      ['ticker', 'VARCHAR'],
      ['market_type', 'INTEGER'],
      ['company_name', 'VARCHAR'],
      ['specification', 'VARCHAR'],
      ['forward_term_days', 'VARCHAR'],
      ['currency', 'VARCHAR'],
      ...['open_price', 'high_price', 'low_price', 'avg_price', 'close_price', 'best_bid_price', 'best_ask_price'].map((c) => [c, 'DECIMAL(13,2)']),
      ['trades', 'INTEGER'],
      ['shares_traded', 'BIGINT'],
      ['traded_volume', 'DECIMAL(18,2)'],
      ['strike_price', 'DECIMAL(13,2)'],
      ['strike_correction', 'INTEGER'],
      ['expiration_date', 'DATE'],
      ['quote_factor', 'INTEGER'],
      ['strike_points', 'DECIMAL(13,6)'],
      ['isin', 'VARCHAR'],
      ['distribution_number', 'INTEGER'],
    ]);
    expect(seen.sqlTypes.map(([c]) => c)).toEqual(RAW_QUOTE_COLUMNS.map((c) => c.name));
    expect(seen.rows).toHaveLength(12_226);
    expect(new Set(seen.chunks.map((c) => c.compression))).toEqual(new Set(['SNAPPY']));
  });

  it('PETR4: 35.85 / 36.32 / 35.54 / 36.18, 80,702 trades, 49,792,700 shares, R$ 1,790,870,570.00 — exact', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const q = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJson();
      const f = `read_parquet(${lit(file)})`;
      expect(
        await q(`SELECT session_date, open_price, high_price, low_price, close_price, trades, shares_traded, traded_volume, quote_factor, expiration_date,
                 forward_term_days FROM ${f} WHERE ticker = 'PETR4' AND market_type = 10`),
      ).toEqual([
        {
          session_date: '2024-11-08',
          open_price: '35.85',
          high_price: '36.32',
          low_price: '35.54',
          close_price: '36.18',
          trades: 80702,
          shares_traded: '49792700',
          traded_volume: '1790870570.00',
          quote_factor: 1,
          expiration_date: '9999-12-31',
          forward_term_days: null,
        },
      ]);
      expect(await q(`SELECT strike_price, expiration_date, forward_term_days FROM ${f} WHERE ticker = 'PETRK113'`)).toEqual([
        { strike_price: '10.40', expiration_date: '2024-11-14', forward_term_days: '000' },
      ]);
      // Every value, not a sample: the exact sums of the parser's integers equal DuckDB's decimal sums.
      const volume = quotes.reduce((s, x) => s + x.traded_volume, 0n);
      const close = quotes.reduce((s, x) => s + x.close_price, 0n);
      const [sums] = await q(`SELECT CAST(sum(traded_volume) * 100 AS HUGEINT)::VARCHAR AS v, CAST(sum(close_price) * 100 AS HUGEINT)::VARCHAR AS c FROM ${f}`);
      expect(sums).toEqual({ v: volume.toString(), c: close.toString() });
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });
});

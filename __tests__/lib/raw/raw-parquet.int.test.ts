import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parsePortfolioJsonPages } from '../../../lib/b3/portfolio-json';
import type { PortfolioSnapshot } from '../../../lib/b3/portfolio';
import { RAW_COLUMNS, toRawRecords } from '../../../lib/raw/raw-contract';
import { encodeRawParquet } from '../../../lib/raw/raw-parquet';
import { ENUS_JSON, fixtureUtf8 } from '../b3/b3-fixtures';
import { readParquetWithDuckDB } from './duckdb-parquet';

const INGESTED_AT = new Date('2025-04-06T21:30:00.123Z');

const small: PortfolioSnapshot = {
  indexCode: 'IBOV',
  portfolioDate: '2025-04-07',
  totalTheoreticalQty: 9_007_199_254_740_000,
  reductor: 16036751.16744128,
  source: 'json-api',
  language: 'en-us',
  rows: [
    { ticker: 'VALE3', asset: 'VALE', shareType: 'ON NM', sector: null, theoreticalQty: 2, weightPct: 39.5, sectorWeightPct: null },
    { ticker: 'PETR4', asset: 'PETROBRAS', shareType: 'PN N2', sector: 'Petróleo, Gás', theoreticalQty: 9_007_199_254_739_998, weightPct: 60.5, sectorWeightPct: 70.25 },
  ],
};

describe('encodeRawParquet read back by DuckDB', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'raw-parquet-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, bytes: Uint8Array): string => {
    const file = path.join(dir, name);
    writeFileSync(file, bytes);
    return file;
  };

  it('has the contract columns in order with DATE, BIGINT, DOUBLE, TIMESTAMPTZ and VARCHAR types', async () => {
    const seen = await readParquetWithDuckDB(write('small.parquet', encodeRawParquet(toRawRecords(small, '2025-04-04', INGESTED_AT))));
    expect(seen.sqlTypes).toEqual([
      ['index_code', 'VARCHAR'],
      ['portfolio_date', 'DATE'],
      ['session_date', 'DATE'],
      ['ticker', 'VARCHAR'],
      ['asset', 'VARCHAR'],
      ['share_type', 'VARCHAR'],
      ['sector', 'VARCHAR'],
      ['theoretical_qty', 'BIGINT'],
      ['weight_pct', 'DOUBLE'],
      ['sector_weight_pct', 'DOUBLE'],
      ['total_theoretical_qty', 'BIGINT'],
      ['reductor', 'DOUBLE'],
      ['source', 'VARCHAR'],
      ['ingested_at', 'TIMESTAMP WITH TIME ZONE'],
    ]);
    expect(seen.sqlTypes.map(([name]) => name)).toEqual([...RAW_COLUMNS]);
  });

  it('writes real Parquet logical types, nullable only where the contract allows null', async () => {
    const seen = await readParquetWithDuckDB(write('types.parquet', encodeRawParquet(toRawRecords(small, '2025-04-04', INGESTED_AT))));
    const byName = Object.fromEntries(seen.parquetTypes.map((t) => [t.name, t]));
    expect(byName.portfolio_date).toEqual({ name: 'portfolio_date', type: 'INT32', converted_type: 'DATE', logical_type: 'DateType()', repetition_type: 'REQUIRED' });
    expect(byName.ingested_at.type).toBe('INT64');
    expect(byName.ingested_at.logical_type).toMatch(/^TimestampType\(isAdjustedToUTC=1, unit=TimeUnit\(MILLIS=/);
    expect(byName.theoretical_qty).toEqual({ name: 'theoretical_qty', type: 'INT64', converted_type: null, logical_type: null, repetition_type: 'REQUIRED' });
    expect(byName.ticker.logical_type).toBe('StringType()');
    expect(seen.parquetTypes.filter((t) => t.repetition_type === 'OPTIONAL').map((t) => t.name)).toEqual(['sector', 'sector_weight_pct']);
  });

  it('compresses every chunk with snappy and uses no DELTA encoding', async () => {
    const seen = await readParquetWithDuckDB(write('codec.parquet', encodeRawParquet(toRawRecords(small, '2025-04-04', INGESTED_AT))));
    expect(seen.chunks).toHaveLength(RAW_COLUMNS.length);
    expect(new Set(seen.chunks.map((c) => c.compression))).toEqual(new Set(['SNAPPY']));
    for (const c of seen.chunks) expect(c.encodings).toMatch(/^(PLAIN|PLAIN, RLE_DICTIONARY)$/);
  });

  it('round-trips exact values: nulls, accents, int64 beyond 2^53 headroom, millisecond UTC time', async () => {
    const seen = await readParquetWithDuckDB(write('values.parquet', encodeRawParquet(toRawRecords(small, '2025-04-04', INGESTED_AT))));
    expect(seen.rows).toEqual([
      {
        index_code: 'IBOV', portfolio_date: '2025-04-07', session_date: '2025-04-04', ticker: 'PETR4', asset: 'PETROBRAS',
        share_type: 'PN N2', sector: 'Petróleo, Gás', theoretical_qty: '9007199254739998', weight_pct: 60.5,
        sector_weight_pct: 70.25, total_theoretical_qty: '9007199254740000', reductor: 16036751.16744128, source: 'json-api',
        ingested_at: '2025-04-06 21:30:00.123+00',
      },
      {
        index_code: 'IBOV', portfolio_date: '2025-04-07', session_date: '2025-04-04', ticker: 'VALE3', asset: 'VALE',
        share_type: 'ON NM', sector: null, theoretical_qty: '2', weight_pct: 39.5, sector_weight_pct: null,
        total_theoretical_qty: '9007199254740000', reductor: 16036751.16744128, source: 'json-api',
        ingested_at: '2025-04-06 21:30:00.123+00',
      },
    ]);
  });

  it('writes the recorded en-us capture of 2025-04-07 with its 87 rows intact', async () => {
    const snapshot = parsePortfolioJsonPages([fixtureUtf8(ENUS_JSON)], 'IBOV');
    const seen = await readParquetWithDuckDB(write('capture.parquet', encodeRawParquet(toRawRecords(snapshot, '2025-04-04', INGESTED_AT))));
    expect(seen.rows).toHaveLength(87);
    expect(seen.rows.find((r) => r.ticker === 'WEGE3')).toEqual({
      index_code: 'IBOV', portfolio_date: '2025-04-07', session_date: '2025-04-04', ticker: 'WEGE3', asset: 'WEG',
      share_type: 'ON NM', sector: 'Bens Indls / Máqs e Equips', theoretical_qty: '1243177587', weight_pct: 2.663,
      sector_weight_pct: 2.663, total_theoretical_qty: '99015750716', reductor: 16036751.16744128, source: 'json-api',
      ingested_at: '2025-04-06 21:30:00.123+00',
    });
    const qtySum = seen.rows.reduce((s, r) => s + BigInt(String(r.theoretical_qty)), 0n);
    expect(qtySum).toBe(99015750716n);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DictionaryColumn, PlainStringColumn } from '../../../lib/raw/parquet-columns';
import { writeParquetFile } from '../../../lib/raw/parquet-pages';
import { readParquetWithDuckDB } from './duckdb-parquet';

describe('DictionaryColumn past a session: its table grows and rehashes, and every value stays its own', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'parquet-columns-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('40,000 distinct values and each again, read back by DuckDB in order', async () => {
    const column = new DictionaryColumn(false);
    const n = 40_000;
    const value = (i: number) => Buffer.from(`T${i}`, 'latin1');
    for (let round = 0; round < 2; round++) for (let i = 0; i < n; i++) column.pushLatin1(value(i), 0, value(i).length);
    const file = path.join(dir, 'strings.parquet');
    const schema = [{ name: 'schema', num_children: 1 }, { name: 'ticker', type: 'BYTE_ARRAY' as const, converted_type: 'UTF8' as const, repetition_type: 'REQUIRED' as const }];
    // One dictionary entry per distinct value, though the table was rehashed on the way.
    expect(column.distinctCount).toBe(n);
    writeFileSync(file, writeParquetFile({ schema, columns: [column], rowGroupSize: 2 * n, createdBy: 'test' }));
    const { rows } = await readParquetWithDuckDB(file, 'ticker');
    expect(rows).toHaveLength(2 * n);
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(String(r.ticker), (counts.get(String(r.ticker)) ?? 0) + 1);
    expect(counts.size).toBe(n);
    expect([...counts.values()].every((c) => c === 2)).toBe(true);
    expect(counts.get('T39999')).toBe(2);
  });
});

describe('PlainStringColumn: each row its own value, written PLAIN', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'plain-strings-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('latin-1 and ASCII values, repeats and strings, in two row groups: every row read back by DuckDB, each group PLAIN with its own min and max', async () => {
    const column = new PlainStringColumn();
    const record = Buffer.from('xxPETR4  VALE3 AÇÚCAR', 'latin1');
    column.pushLatin1(record, 2, 7); // PETR4
    column.pushRepeat(); // PETR4 again
    column.pushLatin1(record, 9, 14); // VALE3
    column.pushString('ABEV3');
    column.pushLatin1(record, 15, 21); // AÇÚCAR: two bytes of latin-1 above 0x7f
    column.pushRepeat();
    expect(() => column.pushString(null)).toThrow('raw: a null in a required string column, got null');
    expect(() => column.pushString('€')).toThrow('raw: a COTAHIST text is latin-1, got "€"');
    expect(column.length).toBe(6);
    const file = path.join(dir, 'plain.parquet');
    const schema = [{ name: 'schema', num_children: 1 }, { name: 'v', type: 'BYTE_ARRAY' as const, converted_type: 'UTF8' as const, repetition_type: 'REQUIRED' as const }];
    writeFileSync(file, writeParquetFile({ schema, columns: [column], rowGroupSize: 3, createdBy: 'test' }));
    const seen = await readParquetWithDuckDB(file, 'file_row_number');
    expect(seen.rows.map((r) => r.v)).toEqual(['PETR4', 'PETR4', 'VALE3', 'ABEV3', 'AÇÚCAR', 'AÇÚCAR']);
    expect(seen.chunks.map((c) => c.encodings)).toEqual(['PLAIN', 'PLAIN']);
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const stats = (await conn.runAndReadAll(`SELECT stats_min_value AS lo, stats_max_value AS hi FROM parquet_metadata('${file}') ORDER BY row_group_id`)).getRowObjectsJson();
      expect(stats).toEqual([
        { lo: 'PETR4', hi: 'VALE3' },
        { lo: 'ABEV3', hi: 'AÇÚCAR' },
      ]);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });
});

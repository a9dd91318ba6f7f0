import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DictionaryColumn } from '../../../lib/raw/parquet-columns';
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

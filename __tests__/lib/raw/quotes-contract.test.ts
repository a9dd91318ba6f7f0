import { readFileSync } from 'fs';
import { join } from 'path';
import { parseRawObjectKey } from '../../../lib/raw/raw-key';
import { RAW_QUOTE_COLUMNS, parseRawQuotesKey, rawQuotesKey } from '../../../lib/raw/quotes-contract';

describe('raw quotes contract', () => {
  it('one key per session under raw/quotes/, which the portfolio trigger does not take for a portfolio', () => {
    const key = rawQuotesKey('2024-11-08');
    expect(key).toBe('raw/quotes/dt=2024-11-08/cotahist.parquet');
    expect(parseRawQuotesKey(key)).toBe('2024-11-08');
    expect(parseRawObjectKey(key)).toBeNull();
    expect(parseRawQuotesKey('raw/portfolio/dt=2024-11-08/ibov.parquet')).toBeNull();
    expect(() => rawQuotesKey('2024-11-31')).toThrow('raw: a quotes session is a YYYY-MM-DD day, got 2024-11-31');
  });

  it('docs/data-contracts.md lists every column with its Parquet type, COTAHIST field and positions', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'data-contracts.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Raw: `raw/quotes/'), doc.indexOf('## Refined:'));
    const rows = [...section.matchAll(/^\| (\w+) \| ([^|]+) \| (\w+) \| (\d+)–(\d+) \|/gm)].map((m) => [m[1], m[2].trim(), m[3], Number(m[4]), Number(m[5])]);
    const type = (c: (typeof RAW_QUOTE_COLUMNS)[number]['column']) =>
      c.type === 'decimal' ? `INT64 (DECIMAL(${c.precision},${c.scale}))` : c.type === 'date' ? 'INT32 (DATE)' : c.type === 'int' ? 'INT32' : c.type === 'bigint' ? 'INT64' : `BYTE_ARRAY (STRING)${c.nullable ? ', optional' : ''}`;
    expect(rows).toEqual(RAW_QUOTE_COLUMNS.map((c) => [c.name, type(c.column), c.layout.field, c.layout.start, c.layout.end]));
  });
});

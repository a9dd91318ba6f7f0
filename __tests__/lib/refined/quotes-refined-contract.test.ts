import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QUOTES_REFINED_COLUMNS, QUOTES_REFINED_PARTITION_KEYS, QUOTES_REFINED_PREFIX, QUOTES_REFINED_TABLE } from '../../../lib/refined/quotes-refined-contract';

describe('the b3_quotes_refined contract', () => {
  it('is the table the view and the report rely on: name, location, partition, columns in order', () => {
    expect([QUOTES_REFINED_TABLE, QUOTES_REFINED_PREFIX, [...QUOTES_REFINED_PARTITION_KEYS]]).toEqual(['b3_quotes_refined', 'refined/b3_quotes_refined/', ['dt']]);
    expect(QUOTES_REFINED_COLUMNS.map((c) => `${c.name} ${c.type}`)).toEqual([
      'session_date date', 'ticker string', 'isin string', 'company_name string', 'specification string', 'bdi_code string',
      'open_price double', 'high_price double', 'low_price double', 'avg_price double', 'close_price double',
      'trades int', 'shares_traded bigint', 'volume_brl double', 'quote_factor int', 'dt date',
    ]);
  });

  it('docs/data-contracts.md lists the same columns, in order, with the same types', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'data-contracts.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Refined quotes:'), doc.indexOf('\n## ', doc.indexOf('## Refined quotes:') + 1));
    const rows = [...section.matchAll(/^\| ([a-z_]+) \| ([a-z]+)(?: \(partition\))? \|/gm)].map((m) => `${m[1]} ${m[2]}`).filter((r) => r !== 'column type'); // the header row
    expect(rows).toEqual(QUOTES_REFINED_COLUMNS.map((c) => `${c.name} ${c.type}`));
  });
});

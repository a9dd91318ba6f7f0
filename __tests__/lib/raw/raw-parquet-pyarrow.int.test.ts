import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { PortfolioSnapshot } from '../../../lib/b3/portfolio';
import { toRawRecords } from '../../../lib/raw/raw-contract';
import { encodeRawParquet } from '../../../lib/raw/raw-parquet';

const run = promisify(execFile);

// Prints what pyarrow (the reader most Python consumers and Glue's pandas use) sees.
const READ = `
import json, sys
import pyarrow.parquet as pq
t = pq.read_table(sys.argv[1])
rows = t.to_pylist()
print(json.dumps({
  "schema": [[f.name, str(f.type), f.nullable] for f in t.schema],
  "first": {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in rows[0].items()},
}))
`;

const snapshot: PortfolioSnapshot = {
  indexCode: 'IBOV',
  portfolioDate: '2025-04-07',
  totalTheoreticalQty: 1_243_177_587,
  reductor: 16036751.16744128,
  source: 'json-api',
  language: 'en-us',
  rows: [{ ticker: 'WEGE3', asset: 'WEG', shareType: 'ON NM', sector: 'Bens Indls / Máqs e Equips', theoreticalQty: 1_243_177_587, weightPct: 100, sectorWeightPct: 100 }],
};

describe('raw Parquet read back by pyarrow', () => {
  it('reads date32, int64, double and timestamp[ms, tz=UTC] with exact values', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'raw-pyarrow-'));
    try {
      const file = path.join(dir, 'ibov.parquet');
      writeFileSync(file, encodeRawParquet(toRawRecords(snapshot, '2025-04-04', new Date('2025-04-06T21:30:00.123Z'))));
      const out = await run('python3', ['-c', READ, file]).catch((error: Error) => {
        throw new Error(`test setup: python3 with pyarrow is needed (pip install pyarrow), got ${error.message}`);
      });
      const seen = JSON.parse(out.stdout) as { schema: [string, string, boolean][]; first: Record<string, unknown> };
      expect(seen.schema).toEqual([
        ['index_code', 'string', false],
        ['portfolio_date', 'date32[day]', false],
        ['session_date', 'date32[day]', false],
        ['ticker', 'string', false],
        ['asset', 'string', false],
        ['share_type', 'string', false],
        ['sector', 'string', true],
        ['theoretical_qty', 'int64', false],
        ['weight_pct', 'double', false],
        ['sector_weight_pct', 'double', true],
        ['total_theoretical_qty', 'int64', false],
        ['reductor', 'double', false],
        ['source', 'string', false],
        ['ingested_at', 'timestamp[ms, tz=UTC]', false],
      ]);
      expect(seen.first).toEqual({
        index_code: 'IBOV', portfolio_date: '2025-04-07', session_date: '2025-04-04', ticker: 'WEGE3', asset: 'WEG',
        share_type: 'ON NM', sector: 'Bens Indls / Máqs e Equips', theoretical_qty: 1243177587, weight_pct: 100,
        sector_weight_pct: 100, total_theoretical_qty: 1243177587, reductor: 16036751.16744128, source: 'json-api',
        ingested_at: '2025-04-06T21:30:00.123000+00:00',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import type { CreateJobRequest } from '@aws-sdk/client-glue';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalCatalog } from '../../../adapters/duckdb/local-catalog';
import { runGlueJobLocally } from '../../../adapters/duckdb/run-glue-job-locally';
import { b3PortfolioRefinedJob } from '../../../glue-jobs/b3-portfolio-refined';
import { DAILY_COLUMNS, DAILY_TABLE, DAILY_TABLE_PREFIX, REFINED_COLUMNS, REFINED_TABLE } from '../../../lib/refined/refined-contract';
import { CSV_IBOV_2026_07_21, CSV_IBXX_2026_07_21 } from '../../lib/b3/b3-fixtures';
import { writeRawCapture, writeRawCaptures } from './raw-from-captures';

const job = (): CreateJobRequest => b3PortfolioRefinedJob({ jobName: 'b3-refined', roleArn: 'arn:aws:iam::123456789012:role/glue', bucket: 'lake' });
const COLUMNS = REFINED_COLUMNS.map((c) => c.name).join(', ');

/** Every row of a table, all columns, as text: what "identical rows" compares. */
async function rowsOf(lake: string, table: string): Promise<string[]> {
  const catalog = await openLocalCatalog(lake);
  try {
    const rows = (await catalog.conn.runAndReadAll(`SELECT ${COLUMNS} FROM ${table} ORDER BY dt, index_code, ticker`)).getRowsJS();
    return rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
  } finally {
    catalog.close();
  }
}

/** Files under each day of the daily table. */
const dailyFiles = (lake: string) =>
  Object.fromEntries(readdirSync(join(lake, DAILY_TABLE_PREFIX)).sort().map((day) => [day, readdirSync(join(lake, DAILY_TABLE_PREFIX, day)).length]));

describe('the daily table beside the date × ticker table', () => {
  let lake: string;
  beforeEach(() => {
    lake = mkdtempSync(join(tmpdir(), 'daily-'));
  });
  afterEach(() => rmSync(lake, { recursive: true, force: true }));

  it('a build writes both, cataloged by name, with the same rows; the daily table has one file a day and ticker as a column', async () => {
    const raw = writeRawCaptures(lake);
    const result = await runGlueJobLocally({ job: job(), lakeDir: lake, all: true });
    expect([...result.catalogUpdated].sort()).toEqual([DAILY_TABLE, REFINED_TABLE].sort());
    const all = [...raw.values()].flat();
    const refined = await rowsOf(lake, REFINED_TABLE);
    expect(refined).toHaveLength(all.length);
    expect(await rowsOf(lake, DAILY_TABLE)).toEqual(refined);
    expect(dailyFiles(lake)).toEqual(Object.fromEntries([...raw.keys()].sort().map((d) => [`dt=${d}`, 1])));
    const catalog = await openLocalCatalog(lake);
    try {
      const described = (await catalog.conn.runAndReadAll(`DESCRIBE ${DAILY_TABLE}`)).getRowsJS().map((r) => r[0]);
      expect(described).toEqual(DAILY_COLUMNS.map((c) => c.name));
      const day = readdirSync(join(lake, DAILY_TABLE_PREFIX))[0];
      const file = join(lake, DAILY_TABLE_PREFIX, day, readdirSync(join(lake, DAILY_TABLE_PREFIX, day))[0]);
      const inFile = (await catalog.conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}', hive_partitioning = false)`)).getRowsJS().map((r) => r[0]);
      expect(inFile).toEqual(DAILY_COLUMNS.map((c) => c.name).filter((n) => n !== 'dt'));
      // The new columns carry the raw header values.
      const [reductor] = (await catalog.conn.runAndReadAll(`SELECT DISTINCT reductor, total_theoretical_qty FROM ${DAILY_TABLE} WHERE dt = DATE '2025-04-07'`)).getRowsJS();
      const april = raw.get('2025-04-07')![0];
      expect(reductor).toEqual([april.reductor, BigInt(april.total_theoretical_qty)]);
    } finally {
      catalog.close();
    }
  });

  it('a rerun of one day leaves both identical to a fresh build', async () => {
    writeRawCaptures(lake);
    await runGlueJobLocally({ job: job(), lakeDir: lake, all: true });
    const fresh = [await rowsOf(lake, REFINED_TABLE), await rowsOf(lake, DAILY_TABLE)];
    await runGlueJobLocally({ job: job(), lakeDir: lake, date: '2025-04-07' });
    await runGlueJobLocally({ job: job(), lakeDir: lake, date: '2025-04-07' });
    expect([await rowsOf(lake, REFINED_TABLE), await rowsOf(lake, DAILY_TABLE)]).toEqual(fresh);
    expect(dailyFiles(lake)['dt=2025-04-07']).toBe(1);
  });

  it('a two-index day ingested by separate runs: both tables keep every row of both indexes', async () => {
    const ibov = writeRawCapture(lake, CSV_IBOV_2026_07_21, 'IBOV', '2026-07-20');
    await runGlueJobLocally({ job: job(), lakeDir: lake });
    const ibxx = writeRawCapture(lake, CSV_IBXX_2026_07_21, 'IBXX', '2026-07-20');
    await runGlueJobLocally({ job: job(), lakeDir: lake });
    const refined = await rowsOf(lake, REFINED_TABLE);
    expect(refined).toHaveLength(ibov.length + ibxx.length);
    expect(await rowsOf(lake, DAILY_TABLE)).toEqual(refined);
    expect(dailyFiles(lake)).toEqual({ 'dt=2026-07-21': 1 });
  });
});

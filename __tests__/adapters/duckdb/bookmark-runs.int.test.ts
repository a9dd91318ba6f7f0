import type { CreateJobRequest } from '@aws-sdk/client-glue';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bookmarkPath } from '../../../adapters/duckdb/job-bookmark';
import { openLocalCatalog } from '../../../adapters/duckdb/local-catalog';
import { runGlueJobLocally } from '../../../adapters/duckdb/run-glue-job-locally';
import { b3PortfolioRefinedJob, NODE_IDS } from '../../../glue-jobs/b3-portfolio-refined';
import { rawObjectKey } from '../../../lib/raw/raw-key';
import type { RawRecord } from '../../../lib/raw/raw-contract';
import { REFINED_TABLE_PREFIX } from '../../../lib/refined/refined-contract';
import { CSV_IBOV_2026_07_21, CSV_IBXX_2026_07_21 } from '../../lib/b3/b3-fixtures';
import { writeRawCapture } from './raw-from-captures';

const DAY = '2026-07-21';
const SESSION = '2026-07-20';
const job = (): CreateJobRequest => b3PortfolioRefinedJob({ jobName: 'b3-refined', roleArn: 'arn:aws:iam::123456789012:role/glue', bucket: 'lake' });

/** The job without its WholeRawDays node: the source feeds the mapping directly, as before issue 8. */
function jobWithoutWholeDays(): CreateJobRequest {
  const j = job();
  const nodes = j.CodeGenConfigurationNodes!;
  delete nodes[NODE_IDS.wholeDays];
  delete nodes[NODE_IDS.selectWholeDays];
  nodes[NODE_IDS.mapping].ApplyMapping!.Inputs = [NODE_IDS.rawSource];
  return j;
}

async function refinedKeys(lake: string): Promise<string[]> {
  const catalog = await openLocalCatalog(lake);
  try {
    const rows = (await catalog.conn.runAndReadAll('SELECT index_code, ticker FROM b3_portfolio_refined ORDER BY index_code, ticker')).getRowsJS();
    return rows.map((r) => `${r[0]}:${r[1]}`);
  } finally {
    catalog.close();
  }
}

const expectedKeys = (...indexes: RawRecord[][]): string[] => indexes.flat().map((r) => `${r.index_code}:${r.ticker}`).sort();

/** Every file under the refined table with its bytes' hash: what "byte-identical" compares. */
function refinedSnapshot(lake: string): Record<string, string> {
  const dir = join(lake, REFINED_TABLE_PREFIX);
  if (!existsSync(dir)) return {};
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name).slice(dir.length)] = createHash('sha256').update(readFileSync(join(e.parentPath, e.name))).digest('hex');
  }
  return out;
}

/** A re-scrape rewrites the object later: S3 would give it a new LastModified. */
function rescrape(lake: string, file: string, index: string): RawRecord[] {
  const records = writeRawCapture(lake, file, index, SESSION);
  const later = new Date(Date.now() + 5_000);
  utimesSync(join(lake, rawObjectKey(index, DAY)), later, later);
  return records;
}

describe('bookmarks and whole days: two indexes of one day ingested by separate runs', () => {
  let lake: string;
  beforeEach(() => {
    lake = mkdtempSync(join(tmpdir(), 'bookmark-'));
  });
  afterEach(() => rmSync(lake, { recursive: true, force: true }));

  it('IBOV, then IBXX, then IBOV again, each in its own run: every row of both indexes stays, tickers in both included', async () => {
    const ibov = writeRawCapture(lake, CSV_IBOV_2026_07_21, 'IBOV', SESSION);
    const first = await runGlueJobLocally({ job: job(), lakeDir: lake });
    expect(first).toMatchObject({ mode: 'bookmark', newObjects: [rawObjectKey('IBOV', DAY)], days: [DAY], rows: ibov.length });

    const ibxx = writeRawCapture(lake, CSV_IBXX_2026_07_21, 'IBXX', SESSION);
    const second = await runGlueJobLocally({ job: job(), lakeDir: lake });
    // The bookmark hands the run only IBXX; the day is rebuilt from both objects.
    expect(second).toMatchObject({ newObjects: [rawObjectKey('IBXX', DAY)], days: [DAY], rows: ibov.length + ibxx.length });
    expect(await refinedKeys(lake)).toEqual(expectedKeys(ibov, ibxx));

    rescrape(lake, CSV_IBOV_2026_07_21, 'IBOV');
    const third = await runGlueJobLocally({ job: job(), lakeDir: lake });
    expect(third).toMatchObject({ newObjects: [rawObjectKey('IBOV', DAY)], rows: ibov.length + ibxx.length });
    expect(await refinedKeys(lake)).toEqual(expectedKeys(ibov, ibxx));

    const both = ibov.filter((r) => ibxx.some((x) => x.ticker === r.ticker)).map((r) => r.ticker);
    expect(both.length).toBeGreaterThan(50);
    const petr4 = readdirSync(join(lake, REFINED_TABLE_PREFIX, `dt=${DAY}`, 'ticker=PETR4'));
    expect(petr4).toHaveLength(1);
    const catalog = await openLocalCatalog(lake);
    try {
      const rows = (await catalog.conn.runAndReadAll("SELECT index_code FROM b3_portfolio_refined WHERE ticker = 'PETR4' ORDER BY 1")).getRowsJS();
      expect(rows).toEqual([['IBOV'], ['IBXX']]);
    } finally {
      catalog.close();
    }
  });

  it('without the WholeRawDays node the IBXX run purges the day and IBOV is lost: the node is what keeps it', async () => {
    writeRawCapture(lake, CSV_IBOV_2026_07_21, 'IBOV', SESSION);
    await runGlueJobLocally({ job: jobWithoutWholeDays(), lakeDir: lake });
    const ibxx = writeRawCapture(lake, CSV_IBXX_2026_07_21, 'IBXX', SESSION);
    await runGlueJobLocally({ job: jobWithoutWholeDays(), lakeDir: lake });
    expect(await refinedKeys(lake)).toEqual(expectedKeys(ibxx));
  });
});

describe('empty runs and the bookmark commit', () => {
  let lake: string;
  beforeEach(() => {
    lake = mkdtempSync(join(tmpdir(), 'bookmark-empty-'));
  });
  afterEach(() => rmSync(lake, { recursive: true, force: true }));

  it('a run with nothing new succeeds, writes nothing and leaves refined and the catalog byte-identical', async () => {
    writeRawCapture(lake, CSV_IBOV_2026_07_21, 'IBOV', SESSION);
    await runGlueJobLocally({ job: job(), lakeDir: lake });
    const refined = refinedSnapshot(lake);
    const catalog = readFileSync(join(lake, 'catalog.duckdb'));
    const again = await runGlueJobLocally({ job: job(), lakeDir: lake });
    expect(again).toMatchObject({ mode: 'bookmark', newObjects: [], days: [], rows: 0, purged: [{ values: [] }, { values: [] }], catalogUpdated: [] });
    expect(refinedSnapshot(lake)).toEqual(refined);
    expect(readFileSync(join(lake, 'catalog.duckdb')).equals(catalog)).toBe(true);
    expect(existsSync(join(lake, '.staging'))).toBe(false);
  });

  it('a run on a lake with no raw object at all is an empty run too', async () => {
    await expect(runGlueJobLocally({ job: job(), lakeDir: lake })).resolves.toMatchObject({ days: [], rows: 0 });
    expect(refinedSnapshot(lake)).toEqual({});
  });

  it('without the WholeRawDays node an empty batch fails as it does in Glue: the mapping cannot resolve its columns', async () => {
    await expect(runGlueJobLocally({ job: jobWithoutWholeDays(), lakeDir: lake })).rejects.toThrow(
      `glue-dag: node ${NODE_IDS.mapping} names a column its input lacks, got portfolio_date (has )`,
    );
  });

  it('the bookmark advances only after a successful commit: a failed run leaves the object unseen for the next one', async () => {
    const ibov = writeRawCapture(lake, CSV_IBOV_2026_07_21, 'IBOV', SESSION);
    const key = join(lake, rawObjectKey('IBOV', DAY));
    const good = readFileSync(key);
    writeFileSync(key, 'not parquet');
    await expect(runGlueJobLocally({ job: job(), lakeDir: lake })).rejects.toThrow(/ibov\.parquet/);
    expect(existsSync(bookmarkPath(lake, 'b3-refined'))).toBe(false);
    writeFileSync(key, good);
    const retried = await runGlueJobLocally({ job: job(), lakeDir: lake });
    expect(retried).toMatchObject({ newObjects: [rawObjectKey('IBOV', DAY)], rows: ibov.length });
    expect(Object.keys(JSON.parse(readFileSync(bookmarkPath(lake, 'b3-refined'), 'utf8'))[NODE_IDS.rawSource])).toEqual([rawObjectKey('IBOV', DAY)]);
  });

  it('--date reprocesses a day with the bookmark paused; --all resets it to everything read', async () => {
    writeRawCapture(lake, CSV_IBOV_2026_07_21, 'IBOV', SESSION);
    await expect(runGlueJobLocally({ job: job(), lakeDir: lake, date: DAY })).resolves.toMatchObject({ mode: 'date', days: [DAY] });
    expect(existsSync(bookmarkPath(lake, 'b3-refined'))).toBe(false);
    // The bookmark has not seen IBOV: the next plain run reads it.
    await expect(runGlueJobLocally({ job: job(), lakeDir: lake })).resolves.toMatchObject({ newObjects: [rawObjectKey('IBOV', DAY)] });
    writeRawCapture(lake, CSV_IBXX_2026_07_21, 'IBXX', SESSION);
    await expect(runGlueJobLocally({ job: job(), lakeDir: lake, all: true })).resolves.toMatchObject({ mode: 'all', newObjects: [rawObjectKey('IBOV', DAY), rawObjectKey('IBXX', DAY)] });
    await expect(runGlueJobLocally({ job: job(), lakeDir: lake })).resolves.toMatchObject({ newObjects: [], rows: 0 });
  });

  it('refuses a lake in the old layout with one line saying how to move it, writing nothing', async () => {
    const old = join(lake, 'raw', 'dt=2025-04-07');
    mkdirSync(old, { recursive: true });
    writeFileSync(join(old, 'ibov.parquet'), '');
    await expect(runGlueJobLocally({ job: job(), lakeDir: lake })).rejects.toThrow(
      `local-lake: ${lake} is in the old layout (raw/dt=2025-04-07/); move it with: (cd ${lake} && mkdir -p raw/portfolio/ && mv raw/dt=* raw/portfolio/ && rm -rf catalog.duckdb .bookmarks), then npm start -- refine --all --lake ${lake} rebuilds refined/b3_portfolio_refined/`,
    );
    expect(existsSync(join(lake, REFINED_TABLE_PREFIX))).toBe(false);
  });
});

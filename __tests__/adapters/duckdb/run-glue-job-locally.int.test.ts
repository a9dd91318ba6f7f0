import type { CreateJobRequest } from '@aws-sdk/client-glue';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalCatalog } from '../../../adapters/duckdb/local-catalog';
import { LocalJobRunner } from '../../../adapters/duckdb/local-job-runner';
import { runGlueJobLocally } from '../../../adapters/duckdb/run-glue-job-locally';
import { b3PortfolioRefinedJob, NODE_IDS } from '../../../glue-jobs/b3-portfolio-refined';
import type { IsoDate } from '../../../lib/calendar/iso-date';
import type { RawRecord } from '../../../lib/raw/raw-contract';
import { rawObjectKey } from '../../../lib/raw/raw-key';
import { REFINED_COLUMNS, REFINED_TABLE_PREFIX } from '../../../lib/refined/refined-contract';
import { writeRawCaptures } from './raw-from-captures';

const job = (): CreateJobRequest => b3PortfolioRefinedJob({ jobName: 'b3-refined', roleArn: 'arn:aws:iam::123456789012:role/glue', bucket: 'lake' });
const round9 = (x: number | null) => (x === null ? null : Math.round(x * 1e9) / 1e9);

/** Days from the latest 1 Jan / 1 May / 1 Sep not after `day`, computed with Date, not SQL. */
function daysSinceRebalance(day: IsoDate): number {
  const [y, m] = day.split('-').map(Number);
  const start = Date.UTC(y, m >= 9 ? 8 : m >= 5 ? 4 : 0, 1);
  return Math.round((Date.parse(`${day}T00:00:00Z`) - start) / 86_400_000);
}

/** The refined rows the contract asks for, computed independently from the raw records. */
function expectedRefined(records: readonly RawRecord[]) {
  const groups = new Map<string, { sum: number; count: number }>();
  for (const r of records) {
    if (r.sector === null) continue;
    const key = `${r.portfolio_date}|${r.index_code}|${r.sector}`;
    const g = groups.get(key) ?? { sum: 0, count: 0 };
    groups.set(key, { sum: g.sum + r.weight_pct, count: g.count + 1 });
  }
  return records
    .map((r) => {
      const g = r.sector === null ? null : groups.get(`${r.portfolio_date}|${r.index_code}|${r.sector}`) ?? null;
      return {
        dt: r.portfolio_date, ticker: r.ticker, index_code: r.index_code, company_name: r.asset, share_class: r.share_type,
        sector: r.sector, theoretical_qty: BigInt(r.theoretical_qty), weight_pct: r.weight_pct,
        sector_total_weight_pct: g ? round9(g.sum) : null, sector_ticker_count: g ? BigInt(g.count) : null,
        session_date: r.session_date, days_since_rebalance: daysSinceRebalance(r.portfolio_date),
      };
    })
    .sort((a, b) => (a.dt + a.ticker < b.dt + b.ticker ? -1 : 1));
}

async function refinedRows(lake: string, where = 'TRUE') {
  const catalog = await openLocalCatalog(lake);
  try {
    const reader = await catalog.conn.runAndReadAll(
      `SELECT strftime(dt, '%Y-%m-%d') AS dt, ticker, index_code, company_name, share_class, sector, theoretical_qty, weight_pct,
              round(sector_total_weight_pct, 9) AS sector_total_weight_pct, sector_ticker_count, strftime(session_date, '%Y-%m-%d') AS session_date,
              days_since_rebalance
       FROM b3_portfolio_refined WHERE ${where} ORDER BY dt, ticker`,
    );
    return reader.getRowObjectsJS();
  } finally {
    catalog.close();
  }
}

function filesUnder(folder: string): string[] {
  const dir = folder.replace(/\/+$/, '');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

describe('runGlueJobLocally on the real captures', () => {
  let lake: string;
  let raw: Map<IsoDate, RawRecord[]>;
  beforeEach(() => {
    lake = mkdtempSync(join(tmpdir(), 'refine-'));
    raw = writeRawCaptures(lake);
  });
  afterEach(() => rmSync(lake, { recursive: true, force: true }));

  it('--all refines every day to the values computed independently, queried by name from the local catalog', async () => {
    // One day per batch: later batches reuse the plan with the source re-pointed.
    const progress: string[] = [];
    const result = await runGlueJobLocally({ job: job(), lakeDir: lake, all: true, batchDays: 1, onProgress: (p) => progress.push(`${p.daysDone}/${p.daysTotal}:${p.rows}`) });
    expect(progress).toEqual(['1/4:92', '2/4:177', '3/4:263', '4/4:350']);
    const all = [...raw.values()].flat();
    expect(result.days).toEqual(['2022-12-08', '2023-08-21', '2023-12-15', '2025-04-07']);
    expect(result.rows).toBe(all.length);
    expect([...result.catalogUpdated].sort()).toEqual(['b3_portfolio_daily', 'b3_portfolio_refined']);
    expect(await refinedRows(lake)).toEqual(expectedRefined(all));
  });

  it('writes the contract: Hive paths dt=/ticker=, one snappy file each, the table typed exactly', async () => {
    await runGlueJobLocally({ job: job(), lakeDir: lake, date: '2025-04-07' });
    const files = filesUnder(join(lake, REFINED_TABLE_PREFIX));
    expect(files).toHaveLength(87);
    expect(files.every((f) => /^dt=2025-04-07\/ticker=[A-Z0-9]{5,6}\/part-[0-9a-f-]{36}\.parquet$/.test(f))).toBe(true);
    const catalog = await openLocalCatalog(lake);
    try {
      const described = (await catalog.conn.runAndReadAll('DESCRIBE b3_portfolio_refined')).getRowsJS().map((r) => [r[0], r[1]]);
      const duck = { date: 'DATE', string: 'VARCHAR', bigint: 'BIGINT', double: 'DOUBLE', int: 'INTEGER' } as const;
      expect(described).toEqual(REFINED_COLUMNS.map((c) => [c.name, duck[c.type]]));
      const file = join(lake, REFINED_TABLE_PREFIX, files[0]);
      const meta = (await catalog.conn.runAndReadAll(`SELECT DISTINCT compression FROM parquet_metadata('${file}')`)).getRowsJS();
      expect(meta).toEqual([['SNAPPY']]);
      // Like Glue, partition columns live in the path, not in the file.
      const inFile = (await catalog.conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}', hive_partitioning = false)`)).getRowsJS().map((r) => r[0]);
      expect(inFile).toEqual(REFINED_COLUMNS.map((c) => c.name).filter((n) => n !== 'dt' && n !== 'ticker'));
    } finally {
      catalog.close();
    }
  });

  it("agrees with B3's own sector totals (partAcum) within the rounding of the parts", async () => {
    await runGlueJobLocally({ job: job(), lakeDir: lake, date: '2025-04-07' });
    const rows = await refinedRows(lake);
    const b3 = new Map(raw.get('2025-04-07')!.map((r) => [r.ticker, r.sector_weight_pct]));
    for (const r of rows) {
      const count = Number(r.sector_ticker_count);
      expect(Math.abs(Number(r.sector_total_weight_pct) - Number(b3.get(String(r.ticker))))).toBeLessThanOrEqual(0.0005 * (count + 1));
    }
    expect(rows.find((r) => r.ticker === 'EMBR3')).toMatchObject({ sector_total_weight_pct: 2.357, sector_ticker_count: 2n });
  });

  it('a rerun replaces the day: no duplicates, other days untouched, nothing staged left', async () => {
    await runGlueJobLocally({ job: job(), lakeDir: lake, all: true });
    const before = filesUnder(join(lake, REFINED_TABLE_PREFIX)).filter((f) => !f.startsWith('dt=2025-04-07/'));
    await runGlueJobLocally({ job: job(), lakeDir: lake, date: '2025-04-07' });
    await runGlueJobLocally({ job: job(), lakeDir: lake, date: '2025-04-07' });
    const after = filesUnder(join(lake, REFINED_TABLE_PREFIX));
    expect(after.filter((f) => !f.startsWith('dt=2025-04-07/'))).toEqual(before);
    expect(after.filter((f) => f.startsWith('dt=2025-04-07/'))).toHaveLength(87);
    expect(await refinedRows(lake, "dt = DATE '2025-04-07'")).toEqual(expectedRefined(raw.get('2025-04-07')!));
    expect(existsSync(join(lake, '.staging'))).toBe(false);
  });

  it('--date reads only that raw day; a failing run leaves the refined zone as it was', async () => {
    await runGlueJobLocally({ job: job(), lakeDir: lake, date: '2023-12-15' });
    const before = filesUnder(join(lake, REFINED_TABLE_PREFIX));
    writeFileSync(join(lake, rawObjectKey('IBOV', '2022-12-08')), 'not parquet');
    await expect(runGlueJobLocally({ job: job(), lakeDir: lake, date: '2025-04-07' })).resolves.toMatchObject({ rows: 87 });
    const withApril = filesUnder(join(lake, REFINED_TABLE_PREFIX));
    await expect(runGlueJobLocally({ job: job(), lakeDir: lake, all: true, batchDays: 4 })).rejects.toThrow(/ibov\.parquet/);
    expect(filesUnder(join(lake, REFINED_TABLE_PREFIX))).toEqual(withApril);
    expect(withApril.length).toBe(before.length + 87);
    expect(existsSync(join(lake, '.staging'))).toBe(false);
  });

  it('refuses a day with no raw partition, naming it', async () => {
    await expect(runGlueJobLocally({ job: job(), lakeDir: lake, date: '2025-04-08' })).rejects.toThrow(
      `local-job: no raw partition for 2025-04-08, got no Parquet under ${join(lake, 'raw/portfolio/dt=2025-04-08')}`,
    );
  });
});

describe('the DAG drives the local run (not a hand-written twin)', () => {
  let lake: string;
  let raw: Map<IsoDate, RawRecord[]>;
  beforeEach(() => {
    lake = mkdtempSync(join(tmpdir(), 'refine-dag-'));
    raw = writeRawCaptures(lake);
  });
  afterEach(() => rmSync(lake, { recursive: true, force: true }));

  it('renaming share_type differently and averaging instead of summing changes the output accordingly', async () => {
    const j = job();
    const nodes = j.CodeGenConfigurationNodes!;
    for (const m of nodes[NODE_IDS.mapping].ApplyMapping!.Mapping!) if (m.ToKey === 'share_class') m.ToKey = 'share_kind';
    nodes[NODE_IDS.sectorAggregate].Aggregate!.Aggs![0].AggFunc = 'avg';
    for (const id of [NODE_IDS.joinSectors, NODE_IDS.rebalanceDays]) {
      const s = nodes[id].SparkSQL!;
      s.SqlQuery = s.SqlQuery!.replace(/share_class/g, 'share_kind').replace('sum(weight_pct)', 'avg(weight_pct)');
    }
    await runGlueJobLocally({ job: j, lakeDir: lake, date: '2025-04-07' });
    const catalog = await openLocalCatalog(lake);
    try {
      const cols = (await catalog.conn.runAndReadAll('DESCRIBE b3_portfolio_refined')).getRowsJS().map((r) => r[0]);
      expect(cols).toContain('share_kind');
      expect(cols).not.toContain('share_class');
      const embr = (await catalog.conn.runAndReadAll("SELECT share_kind, round(sector_total_weight_pct, 9) FROM b3_portfolio_refined WHERE ticker = 'EMBR3'")).getRowsJS();
      const aero = raw.get('2025-04-07')!.filter((r) => r.sector === 'Bens Indls / Mat Transporte');
      expect(embr).toEqual([['ON NM', round9(aero.reduce((s, r) => s + r.weight_pct, 0) / aero.length)]]);
    } finally {
      catalog.close();
    }
  });

  it('without the purge node the sink appends, as a glueparquet sink does: a rerun duplicates', async () => {
    const j = job();
    const nodes = j.CodeGenConfigurationNodes!;
    delete nodes[NODE_IDS.purgeDays];
    delete nodes[NODE_IDS.selectPurged];
    nodes[NODE_IDS.refinedTarget].S3GlueParquetTarget!.Inputs = [NODE_IDS.rebalanceDays];
    nodes[NODE_IDS.dailyTarget].S3GlueParquetTarget!.Inputs = [NODE_IDS.rebalanceDays];
    await runGlueJobLocally({ job: j, lakeDir: lake, date: '2025-04-07' });
    await runGlueJobLocally({ job: j, lakeDir: lake, date: '2025-04-07' });
    expect(await refinedRows(lake)).toHaveLength(2 * 87);
  });

  it('an unsupported Spark function in the DAG fails the run, naming it', async () => {
    const j = job();
    const s = j.CodeGenConfigurationNodes![NODE_IDS.rebalanceDays].SparkSQL!;
    s.SqlQuery = s.SqlQuery!.replace('datediff(', 'months_between(');
    await expect(runGlueJobLocally({ job: j, lakeDir: lake, date: '2025-04-07' })).rejects.toThrow(
      'glue-dag: SparkSQL node-days-since-rebalance: spark-sql: unsupported Spark function (add it to SPARK_FUNCTIONS), got months_between()',
    );
  });
});

describe('LocalJobRunner', () => {
  it('runs the job as Glue does, on what the bookmark has not seen, whatever the arguments say; refuses another job name', async () => {
    const lake = mkdtempSync(join(tmpdir(), 'runner-'));
    try {
      writeRawCaptures(lake);
      const runs: number[] = [];
      const runner = new LocalJobRunner({ jobs: [job()], lakeDir: lake, onRun: (r) => runs.push(r.days.length) });
      const id = await runner.startRun('b3-refined', { '--portfolio_date': '2023-12-15', '--raw_object_key': rawObjectKey('IBOV', '2023-12-15') });
      expect(id).toMatch(/^local-[0-9a-f-]{36}$/);
      // All four raw days were new to the bookmark.
      expect(readdirSync(join(lake, REFINED_TABLE_PREFIX)).sort()).toEqual(['dt=2022-12-08', 'dt=2023-08-21', 'dt=2023-12-15', 'dt=2025-04-07']);
      // The same event again (S3 delivers at least once): a run that finds nothing new.
      await runner.startRun('b3-refined', { '--portfolio_date': '2023-12-15', '--raw_object_key': rawObjectKey('IBOV', '2023-12-15') });
      expect(runs).toEqual([4, 0]);
      await expect(runner.startRun('other', { '--portfolio_date': '2023-12-15' })).rejects.toThrow('local-job: unknown job, got other (this runner runs b3-refined)');
    } finally {
      rmSync(lake, { recursive: true, force: true });
    }
  });
});

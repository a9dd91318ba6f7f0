import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalCatalog } from '../../adapters/duckdb/local-catalog';
import { runGlueJobLocally } from '../../adapters/duckdb/run-glue-job-locally';
import { b3PortfolioRefinedJob } from '../../glue-jobs/b3-portfolio-refined';
import type { IsoDate } from '../../lib/calendar/iso-date';
import type { RawRecord } from '../../lib/raw/raw-contract';
import { writeRawCaptures } from '../adapters/duckdb/raw-from-captures';

const QUERIES = join(__dirname, '..', '..', 'athena', 'queries');
const round3 = (x: number) => Math.round(x * 1000) / 1000;

describe('named queries, run unchanged on the local catalog', () => {
  let lake: string;
  let raw: Map<IsoDate, RawRecord[]>;
  let run: (file: string) => Promise<Record<string, unknown>[]>;
  let close: () => void;

  beforeAll(async () => {
    lake = mkdtempSync(join(tmpdir(), 'athena-'));
    raw = writeRawCaptures(lake);
    await runGlueJobLocally({
      job: b3PortfolioRefinedJob({ jobName: 'b3-refined', roleArn: 'arn:aws:iam::123456789012:role/glue', bucket: 'lake' }),
      lakeDir: lake,
      all: true,
    });
    const catalog = await openLocalCatalog(lake);
    close = catalog.close;
    // Dates come back as JS Dates: compare them as days.
    run = async (file) =>
      (await catalog.conn.runAndReadAll(readFileSync(join(QUERIES, file), 'utf8'))).getRowObjectsJS().map((row) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString().slice(0, 10) : v])),
      );
  });
  afterAll(() => {
    close();
    rmSync(lake, { recursive: true, force: true });
  });

  it('the named queries exist, and the histories read the daily table', () => {
    // The three d1-* queries read the view b3_portfolio_d1: d1-named-queries.int.test.ts runs them.
    expect(readdirSync(QUERIES).sort()).toEqual(['d1-index-level-history.sql', 'd1-session-movers.sql', 'd1-weight-check.sql', 'index-entries-and-exits.sql', 'sector-weight-history.sql', 'ticker-weight-history.sql', 'top-weights-of-day.sql', 'weight-by-sector.sql']);
    for (const history of ['index-entries-and-exits.sql', 'sector-weight-history.sql', 'ticker-weight-history.sql']) {
      const sql = readFileSync(join(QUERIES, history), 'utf8').replace(/--.*$/gm, '');
      expect({ history, daily: sql.includes('b3_portfolio_daily'), refined: sql.includes('b3_portfolio_refined') }).toEqual({ history, daily: true, refined: false });
    }
  });

  it('sector-weight-history: each sector on every day, summed from the raw weights', async () => {
    const groups = new Map<string, { dt: string; sector_name: string; n: number; w: number }>();
    for (const r of [...raw.values()].flat()) {
      const key = `${r.portfolio_date}|${r.sector ?? '(unknown)'}`;
      const g = groups.get(key) ?? { dt: r.portfolio_date, sector_name: r.sector ?? '(unknown)', n: 0, w: 0 };
      groups.set(key, { ...g, n: g.n + 1, w: g.w + r.weight_pct });
    }
    const expected = [...groups.values()]
      .map((g) => ({ dt: g.dt, sector_name: g.sector_name, tickers: BigInt(g.n), sector_weight_pct: round3(g.w) }))
      .sort((a, b) => (a.dt < b.dt ? -1 : a.dt > b.dt ? 1 : b.sector_weight_pct - a.sector_weight_pct || (a.sector_name < b.sector_name ? -1 : 1)));
    expect(await run('sector-weight-history.sql')).toEqual(expected);
  });

  it('top-weights-of-day: the ten heaviest tickers of the latest day', async () => {
    const expected = [...raw.get('2025-04-07')!]
      .sort((a, b) => b.weight_pct - a.weight_pct || (a.ticker < b.ticker ? -1 : 1))
      .slice(0, 10)
      .map((r) => ({ dt: '2025-04-07', ticker: r.ticker, company_name: r.asset, sector: r.sector, weight_pct: r.weight_pct }));
    const rows = await run('top-weights-of-day.sql');
    expect(rows).toEqual(expected);
    expect(rows).toHaveLength(10);
  });

  it('weight-by-sector: each sector of the latest day with its tickers and weight', async () => {
    const bySector = new Map<string, { n: number; w: number }>();
    for (const r of raw.get('2025-04-07')!) {
      const k = r.sector ?? '(unknown)';
      const g = bySector.get(k) ?? { n: 0, w: 0 };
      bySector.set(k, { n: g.n + 1, w: g.w + r.weight_pct });
    }
    const expected = [...bySector]
      .map(([sector_name, g]) => ({ dt: '2025-04-07', sector_name, tickers: BigInt(g.n), sector_weight_pct: round3(g.w) }))
      .sort((a, b) => b.sector_weight_pct - a.sector_weight_pct || (a.sector_name < b.sector_name ? -1 : 1));
    expect(await run('weight-by-sector.sql')).toEqual(expected);
  });

  it('ticker-weight-history: PETR4 on every day', async () => {
    const expected = [...raw.values()].flat().filter((r) => r.ticker === 'PETR4').map((r) => ({
      dt: r.portfolio_date, ticker: 'PETR4', weight_pct: r.weight_pct, theoretical_qty: BigInt(r.theoretical_qty),
      days_since_rebalance: { '2022-12-08': 98, '2023-08-21': 112, '2023-12-15': 105, '2025-04-07': 96 }[r.portfolio_date],
    }));
    expect(expected).toHaveLength(4);
    expect(await run('ticker-weight-history.sql')).toEqual(expected);
  });

  it('index-entries-and-exits: what changed between the two latest days', async () => {
    const before = new Set(raw.get('2023-12-15')!.map((r) => r.ticker));
    const after = new Set(raw.get('2025-04-07')!.map((r) => r.ticker));
    const row = (ticker: string, movement: string) => ({ from_day: '2023-12-15', to_day: '2025-04-07', ticker, movement });
    const expected = [
      ...[...after].filter((t) => !before.has(t)).sort().map((t) => row(t, 'entered')),
      ...[...before].filter((t) => !after.has(t)).sort().map((t) => row(t, 'left')),
    ];
    expect(expected.length).toBeGreaterThan(0);
    expect(await run('index-entries-and-exits.sql')).toEqual(expected);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { REFINED_TABLE } from '../../../lib/refined/refined-contract';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { duckdbQuery, readReportInput, type QueryFn } from '../../../adapters/report/refined-report-reader';
import { openRefinedSource } from '../../../adapters/report/refined-source';
import { ReportError } from '../../../lib/report/report-model';
import { fixtureRows, writeCatalog, writeRefinedLake, type FixtureRow } from './refined-lake';

let lake: string;
let instance: DuckDBInstance;
let con: DuckDBConnection;
let relation: string;
const rows = fixtureRows();

// The expectation, computed from the fixture rows in plain TypeScript (not SQL).
const latest = rows.map((r) => r.dt).sort().at(-1) as string;
const byWeight = (a: FixtureRow, b: FixtureRow) => b.weight_pct - a.weight_pct || a.ticker.localeCompare(b.ticker);
const latestRows = rows.filter((r) => r.dt === latest).sort(byWeight);
const top5 = latestRows.slice(0, 5).map((r) => r.ticker);

beforeAll(async () => {
  lake = mkdtempSync(join(tmpdir(), 'report-reader-'));
  await writeRefinedLake(lake, rows);
  instance = await DuckDBInstance.create(':memory:');
  con = await instance.connect();
  relation = `read_parquet('${join(lake, 'refined', REFINED_TABLE, '**', '*.parquet')}', hive_partitioning = true)`;
});

afterAll(() => {
  con.closeSync();
  instance.closeSync();
  rmSync(lake, { recursive: true, force: true });
});

describe('readReportInput on Hive-partitioned refined Parquet', () => {
  it('reads the latest day whole, the history of its five largest tickers, and the lake totals', async () => {
    const input = await readReportInput(duckdbQuery(con), { relation, sourceLabel: lake });
    // Facts of the real captures: four days, 87 tickers on 2025-04-07, VALE3 largest.
    expect([input.indexCode, input.portfolioDate, input.dayCount, input.totalRows]).toEqual(['IBOV', '2025-04-07', 4, rows.length]);
    expect(input.latestRows).toHaveLength(87);
    expect(input.latestRows[0]).toEqual({
      ticker: 'VALE3',
      company_name: 'VALE',
      share_class: 'ON NM',
      sector: 'Mats Básicos / Mineração',
      weight_pct: 11.025,
      session_date: '2025-04-04',
    });
    expect(input.latestRows).toEqual(
      latestRows.map((r) => ({
        ticker: r.ticker,
        company_name: r.company_name,
        share_class: r.share_class,
        sector: r.sector,
        weight_pct: r.weight_pct,
        session_date: r.session_date,
      })),
    );
    expect(top5).toEqual(['VALE3', 'ITUB4', 'PETR4', 'PETR3', 'ELET3']);
    const expectedHistory = rows
      .filter((r) => top5.includes(r.ticker))
      .map((r) => ({ dt: r.dt, ticker: r.ticker, weight_pct: r.weight_pct }))
      .sort((a, b) => a.dt.localeCompare(b.dt) || a.ticker.localeCompare(b.ticker));
    expect(input.history).toEqual(expectedHistory);
    expect(new Set(input.history.map((p) => p.dt))).toEqual(new Set(['2022-12-08', '2023-08-21', '2023-12-15', '2025-04-07']));
  });

  it('a portfolioDate reads that day as of itself: its rows, the history and the counts up to it', async () => {
    const day = '2023-12-15';
    const input = await readReportInput(duckdbQuery(con), { relation, sourceLabel: lake, portfolioDate: day });
    const upTo = rows.filter((r) => r.dt <= day);
    expect([input.portfolioDate, input.dayCount, input.totalRows]).toEqual([day, 3, upTo.length]);
    expect(input.latestRows).toHaveLength(rows.filter((r) => r.dt === day).length);
    const top5 = rows.filter((r) => r.dt === day).sort((a, b) => b.weight_pct - a.weight_pct || a.ticker.localeCompare(b.ticker)).slice(0, 5).map((r) => r.ticker);
    expect(new Set(input.history.map((p) => p.ticker))).toEqual(new Set(top5));
    expect(new Set(input.history.map((p) => p.dt))).toEqual(new Set(['2022-12-08', '2023-08-21', day]));
    await expect(readReportInput(duckdbQuery(con), { relation, sourceLabel: lake, portfolioDate: '2023-12-16' })).rejects.toThrow(
      `report: no refined rows in ${lake} for index IBOV on 2023-12-16, got none (the latest day before it is 2023-12-15)`,
    );
    await expect(readReportInput(duckdbQuery(con), { relation, sourceLabel: lake, portfolioDate: '2020-01-02' })).rejects.toThrow(
      `report: no refined rows in ${lake} for index IBOV on 2020-01-02, got none (no day before it)`,
    );
  });

  it('takes as many history tickers as asked', async () => {
    const input = await readReportInput(duckdbQuery(con), { relation, sourceLabel: lake, historyTickers: 2 });
    expect([...new Set(input.history.map((p) => p.ticker))].sort()).toEqual(['ITUB4', 'VALE3']);
  });

  it('says the pipeline must run first when the relation has no rows for the index', async () => {
    const empty = `(SELECT * FROM ${relation} WHERE false)`;
    await expect(readReportInput(duckdbQuery(con), { relation: empty, sourceLabel: '/lake' })).rejects.toThrow(
      new ReportError('report: no refined rows in /lake for index IBOV, run the pipeline first'),
    );
    await expect(readReportInput(duckdbQuery(con), { relation, sourceLabel: '/lake', indexCode: 'IBXX' })).rejects.toThrow(
      'report: no refined rows in /lake for index IBXX, run the pipeline first',
    );
  });

  it('turns a failing query into one report error line', async () => {
    const missing = `read_parquet('${join(lake, 'nowhere')}/*.parquet', hive_partitioning = true)`;
    await expect(readReportInput(duckdbQuery(con), { relation: missing, sourceLabel: lake })).rejects.toThrow(
      new ReportError(`report: query failed, got IO Error: No files found that match the pattern "${join(lake, 'nowhere')}/*.parquet"`),
    );
  });

  it('refuses an index code that could break out of its SQL literal', async () => {
    await expect(readReportInput(duckdbQuery(con), { relation, sourceLabel: lake, indexCode: "IBOV' OR '1'='1" })).rejects.toThrow(
      "report: index code must be 2-12 letters or digits, got IBOV' OR '1'='1",
    );
  });

  it('refuses values that break the contract instead of drawing them', async () => {
    // A stand-in source answering the three queries in order: summary, latest rows, history.
    const answers: Record<string, unknown>[][] = [
      [{ latest_dt: '2025-04-07', total_rows: 1, day_count: 1 }],
      [{ ticker: 'VALE3', company_name: 'VALE', share_class: 'ON NM', sector: null, weight_pct: 11.025, session_date: '04/04/2025' }],
      [],
    ];
    const fake: QueryFn = async () => answers.shift() ?? [];
    await expect(readReportInput(fake, { relation: 't', sourceLabel: 't' })).rejects.toThrow(
      'report: column session_date must be a YYYY-MM-DD day, got 04/04/2025',
    );
    const nanWeight: QueryFn = async (sql) =>
      sql.includes('max(dt)')
        ? [{ latest_dt: '2025-04-07', total_rows: 1, day_count: 1 }]
        : [{ ticker: 'VALE3', company_name: 'VALE', share_class: 'ON NM', sector: 'x', weight_pct: '11.0', session_date: '2025-04-04' }];
    await expect(readReportInput(nanWeight, { relation: 't', sourceLabel: 't' })).rejects.toThrow(
      'report: column weight_pct must be a finite number, got string 11.0',
    );
    // Tickers of the latest day are written into the history query: nothing but a B3 code passes.
    const quoted: QueryFn = async (sql) =>
      sql.includes('max(dt)')
        ? [{ latest_dt: '2025-04-07', total_rows: 1, day_count: 1 }]
        : [{ ticker: "VALE3') OR ('1'='1", company_name: 'VALE', share_class: 'ON NM', sector: null, weight_pct: 11, session_date: '2025-04-04' }];
    await expect(readReportInput(quoted, { relation: 't', sourceLabel: 't' })).rejects.toThrow(
      "report: ticker must be letters and digits, got VALE3') OR ('1'='1",
    );
  });
});

describe('openRefinedSource', () => {
  it('reads the Parquet directly when the lake has no catalog, and by table name through catalog.duckdb', async () => {
    const direct = await openRefinedSource(lake);
    let viaParquet;
    try {
      expect(direct.sourceLabel).toBe(join(lake, 'refined', REFINED_TABLE));
      viaParquet = await readReportInput(direct.query, direct);
    } finally {
      direct.close();
    }
    await writeCatalog(lake);
    const cataloged = await openRefinedSource(lake);
    try {
      expect([cataloged.relation, cataloged.sourceLabel]).toEqual([
        'b3_portfolio_refined',
        `${join(lake, 'catalog.duckdb')} (table b3_portfolio_refined)`,
      ]);
      expect(await readReportInput(cataloged.query, cataloged)).toEqual(viaParquet);
    } finally {
      cataloged.close();
      rmSync(join(lake, 'catalog.duckdb'));
    }
  });

  it('refuses a lake without refined Parquet with the one clear line', async () => {
    const emptyLake = mkdtempSync(join(tmpdir(), 'report-empty-'));
    try {
      await expect(openRefinedSource(emptyLake)).rejects.toThrow(
        new ReportError(`report: no refined rows in ${join(emptyLake, 'refined', REFINED_TABLE)}, run the pipeline first`),
      );
    } finally {
      rmSync(emptyLake, { recursive: true, force: true });
    }
  });
});

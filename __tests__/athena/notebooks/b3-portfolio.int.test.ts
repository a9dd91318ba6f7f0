import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { duckdbQuery, readReportInput } from '../../../adapters/report/refined-report-reader';
import { REFINED_COLUMNS, REFINED_DATABASE, REFINED_TABLE } from '../../../lib/refined/refined-contract';
import { buildReportModel, type ReportInput } from '../../../lib/report/report-model';
import { fixtureRows, writeRefinedLake } from '../../adapters/report/refined-lake';

const NOTEBOOK = path.join(__dirname, '../../../athena/notebooks/b3-portfolio.ipynb');

interface Cell {
  cell_type: string;
  id: string;
  metadata: object;
  source: string[];
  outputs?: unknown[];
  execution_count?: null;
}
const notebook = JSON.parse(readFileSync(NOTEBOOK, 'utf8')) as { nbformat: number; nbformat_minor: number; metadata: { kernelspec?: { language: string } }; cells: Cell[] };
const code = notebook.cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join(''));
const allCode = code.join('\n');
/** Every `spark.sql(f"""…""")` body, in notebook order. */
const queries = [...allCode.matchAll(/spark\.sql\(f"""([\s\S]*?)"""\)/g)].map((m) => m[1]);
const contractColumns = REFINED_COLUMNS.map((c) => c.name);

describe('athena/notebooks/b3-portfolio.ipynb: structure', () => {
  it('is nbformat 4 JSON with well-formed cells, saved without outputs', () => {
    expect([notebook.nbformat, notebook.nbformat_minor >= 5, notebook.metadata.kernelspec?.language]).toEqual([4, true, 'python']);
    expect(new Set(notebook.cells.map((c) => c.id)).size).toBe(notebook.cells.length);
    for (const cell of notebook.cells) {
      expect(['markdown', 'code']).toContain(cell.cell_type);
      expect(Array.isArray(cell.source) && cell.source.every((l) => typeof l === 'string')).toBe(true);
      expect(typeof cell.metadata).toBe('object');
      if (cell.cell_type === 'code') expect([cell.outputs, cell.execution_count]).toEqual([[], null]);
      else expect('outputs' in cell).toBe(false);
    }
    expect(notebook.cells.filter((c) => c.cell_type === 'markdown').length).toBeGreaterThanOrEqual(6);
  });

  it('reads the cataloged table through spark.sql and shows each of its three charts with %matplot', () => {
    expect(allCode).toContain(`TABLE = "${REFINED_DATABASE}.${REFINED_TABLE}"`);
    expect(queries).toHaveLength(4);
    for (const q of queries) expect(q).toMatch(/FROM \{TABLE\}/);
    expect(code.filter((c) => c.trimEnd().endsWith('%matplot plt'))).toHaveLength(3);
    expect([...allCode.matchAll(/ax\.set_title\(f"([^"]*)"/g)].map((m) => m[1])).toEqual([
      'Largest weights on {latest_dt} (top {len(top)} of {len(latest_rows)} tickers)',
      'Weight by sector on {latest_dt} ({len(sectors)} sectors; tickers in brackets)',
      'Weight history of the {len(history_tickers)} largest tickers of {latest_dt}',
    ]);
  });

  it('names only columns of the refined contract in its SQL', () => {
    const keywords = new Set(['select', 'from', 'where', 'and', 'as', 'max', 'count', 'distinct', 'sum', 'coalesce', 'group', 'by', 'order', 'desc', 'date', 'in']);
    for (const q of queries) {
      const withoutLiterals = q.replace(/'[^']*'/g, "''").replace(/\{[A-Za-z_]+\}/g, '');
      const aliases = new Set([...withoutLiterals.matchAll(/\bAS (\w+)/g)].map((m) => m[1]));
      const names = [...withoutLiterals.matchAll(/\b[a-z_][a-z0-9_]*\b/g)].map((m) => m[0]);
      const unknown = names.filter((n) => !keywords.has(n) && !aliases.has(n) && !contractColumns.includes(n));
      expect({ query: q.trim().split('\n')[0], unknown }).toEqual({ query: q.trim().split('\n')[0], unknown: [] });
    }
  });

  it('is valid Python once the Athena magics are set aside', () => {
    // `%matplot plt` is an Athena notebook magic, not Python: replace it, then parse every cell.
    const cells = code.map((c) => c.replace(/^%.*$/gm, 'pass'));
    const script = 'import ast, json, sys\ncells = json.load(sys.stdin)\nfor c in cells: ast.parse(c)\nprint(len(cells))';
    const check = spawnSync('python3', ['-c', script], { input: JSON.stringify(cells), encoding: 'utf8' });
    if (check.error) throw new Error(`notebook test: python3 is needed to parse the notebook, got ${check.error.message}`);
    expect({ status: check.status, stdout: check.stdout, stderr: check.stderr }).toEqual({ status: 0, stdout: `${code.length}\n`, stderr: '' });
  });
});

describe('athena/notebooks/b3-portfolio.ipynb: its queries, run locally on DuckDB', () => {
  let lake: string;
  let instance: DuckDBInstance;
  let con: DuckDBConnection;
  let relation: string;
  let expected: ReportInput;
  const run = async (sql: string) => (await con.runAndReadAll(sql)).getRowObjectsJson();
  /** The notebook's f-string, filled the way Python would fill it for this lake. */
  const fill = (q: string, values: Record<string, string>) =>
    q.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (!(name in values)) throw new Error(`notebook test: no value for {${name}}`);
      return values[name];
    });

  beforeAll(async () => {
    lake = mkdtempSync(path.join(tmpdir(), 'notebook-'));
    await writeRefinedLake(lake);
    instance = await DuckDBInstance.create(':memory:');
    con = await instance.connect();
    relation = `read_parquet('${path.join(lake, 'refined', 'b3_portfolio_refined', '**', '*.parquet')}', hive_partitioning = true)`;
    expected = await readReportInput(duckdbQuery(con), { relation, sourceLabel: lake, historyTickers: 5 });
  });
  afterAll(() => {
    con.closeSync();
    instance.closeSync();
    rmSync(lake, { recursive: true, force: true });
  });

  it('draws from the same rows as the local report: latest day, sectors, history', async () => {
    const base = { TABLE: relation, INDEX_CODE: 'IBOV' };
    const [summaryQ, latestQ, sectorsQ, historyQ] = queries;

    expect(await run(fill(summaryQ, base))).toEqual([{ latest_dt: '2025-04-07', total_rows: String(fixtureRows().length), day_count: '4' }]);

    const withDay = { ...base, latest_dt: '2025-04-07' };
    const latest = await run(fill(latestQ, withDay));
    expect(latest).toEqual(expected.latestRows);

    const model = buildReportModel(expected);
    const sectors = await run(fill(sectorsQ, withDay));
    expect(sectors.map((s) => [s.sector_label, Math.round(Number(s.sector_weight_pct) * 1e6) / 1e6, Number(s.ticker_count)])).toEqual(
      model.sectorWeights.map((s) => [s.sector, s.weightPct, s.tickerCount]),
    );
    // The Glue job's own sector total (computed by the fixture like the job) agrees with the sum.
    for (const s of sectors) expect(Number(s.glue_sector_total_pct)).toBeCloseTo(Number(s.sector_weight_pct), 9);

    const tickers = model.topWeights.slice(0, 5).map((w) => `'${w.ticker}'`).join(', ');
    expect(await run(fill(historyQ, { ...base, ticker_list: tickers }))).toEqual(expected.history);
  });
});

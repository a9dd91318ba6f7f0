import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CAPTURES, writeRefinedLake } from '../adapters/report/refined-lake';
import { cli, ROOT } from './cli-process';

/**
 * The report's fixture lake is built by hand from the refined contract; this checks it against
 * the real thing. The local pipeline (scrape --replay, then refine --all: the Glue DAG on DuckDB,
 * and the local catalog) over the same four captures must give a byte-identical page.
 */
describe('report over the local pipeline', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'report-pipeline-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is the same page as over the hand-built refined lake', async () => {
    for (const { file } of CAPTURES) {
      const scrape = await cli(['scrape', '--replay', path.join(ROOT, '__tests__/fixtures/b3', file)], dir);
      expect({ file, code: scrape.code, stderr: scrape.stderr }).toEqual({ file, code: 0, stderr: '' });
    }
    const refine = await cli(['refine', '--all'], dir);
    expect({ code: refine.code, stderr: refine.stderr }).toEqual({ code: 0, stderr: '' });
    const viaPipeline = await cli(['report', '--verbose'], dir);
    expect(viaPipeline.code).toBe(0);
    // The day from the date × ticker table, the history from the daily one: the same page either way.
    expect(viaPipeline.stderr).toBe(`report: reading ${path.join(dir, 'lake/catalog.duckdb')} (table b3_portfolio_refined; history from b3_portfolio_daily)\n`);

    await writeRefinedLake(path.join(dir, 'by-hand'));
    const viaFixture = await cli(['report', '--lake', 'by-hand'], dir);
    expect(viaFixture.code).toBe(0);

    const a = readFileSync(path.join(dir, 'lake/reports/ibov-report.html'), 'utf8');
    const b = readFileSync(path.join(dir, 'by-hand/reports/ibov-report.html'), 'utf8');
    expect(a.length).toBeGreaterThan(50_000);
    expect(a).toBe(b);
  });
});

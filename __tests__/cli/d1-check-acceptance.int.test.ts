import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { COTAHIST_DIR } from '../lib/cotahist/cotahist-fixtures';
import { FIXTURES } from './capture-facts';
import { cli, ROOT } from './cli-process';

/*
 * Issue 10's acceptance by the CLI alone, on the real pairs: `scrape --replay` of a portfolio and
 * of a COTAHIST, `refine`, then the named query d1-weight-check over the view b3_portfolio_d1.
 */
const CHECK = path.join(ROOT, 'athena', 'queries', 'd1-weight-check.sql');
const POINTS = "SELECT round(sum(index_points)) AS points FROM b3_portfolio_d1 WHERE index_code = 'IBOV'";

async function lakeOf(dir: string, name: string, files: readonly string[]): Promise<string> {
  const lake = path.join(dir, name);
  for (const file of files) {
    const scrape = await cli(['scrape', '--replay', file, '--lake', lake], dir);
    expect({ file, code: scrape.code, stderr: scrape.stderr }).toEqual({ file, code: 0, stderr: '' });
  }
  const refine = await cli(['refine', '--lake', lake], dir);
  expect([refine.code, refine.stderr]).toEqual([0, '']);
  return lake;
}

async function query(dir: string, lake: string, args: readonly string[]): Promise<Record<string, unknown>[]> {
  const run = await cli(['query', ...args, '--format', 'json', '--lake', lake], dir);
  expect([run.code, run.stderr]).toEqual([0, '']);
  return JSON.parse(run.stdout) as Record<string, unknown>[];
}

describe('the cross-source check on the real pairs, through scrape --replay and refine', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cli-d1-check-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['IBOVDia_11-11-24.csv', 'COTAHIST_D08112024.ZIP', '2024-11-11', '2024-11-08', 86, 127_830],
    ['IBOVDia_26-03-21.csv', 'COTAHIST_D25032021.TXT', '2021-03-26', '2021-03-25', 82, 113_765],
  ])('%s with %s: every weight reproduced within 0.01 pp, the index level within a point', async (portfolio, quotes, day, session, n, points) => {
    const lake = await lakeOf(dir, `lake-${day}`, [path.join(FIXTURES, portfolio), path.join(COTAHIST_DIR, quotes)]);
    const [check] = await query(dir, lake, ['--file', CHECK]);
    expect(check).toEqual({ dt: day, session_date: session, constituents: n, quoted: n, reproduced: n, max_deviation_pp: expect.any(Number) });
    expect(check.max_deviation_pp as number).toBeLessThanOrEqual(0.01);
    const [level] = await query(dir, lake, [POINTS]);
    expect(Math.abs((level.points as number) - points)).toBeLessThanOrEqual(1);
  });

  it.each([['COTAHIST_D26032021.TXT'], ['COTAHIST_D23032021.TXT']])(
    'IBOVDia_26-03-21.csv with %s, not its D-1 session: the check fails, no constituent has a quote of 2021-03-25',
    async (quotes) => {
      const lake = await lakeOf(dir, `lake-wrong-${quotes}`, [path.join(FIXTURES, 'IBOVDia_26-03-21.csv'), path.join(COTAHIST_DIR, quotes)]);
      const [check] = await query(dir, lake, ['--file', CHECK]);
      expect(check).toEqual({ dt: '2021-03-26', session_date: '2021-03-25', constituents: 82, quoted: 0, reproduced: 0, max_deviation_pp: null });
    },
  );
});

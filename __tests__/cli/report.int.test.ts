import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'node-html-parser';
import { fixtureRows, writeCatalog, writeRefinedLake } from '../adapters/report/refined-lake';
import { cli } from './cli-process';

const rows = fixtureRows();
const latestSectors = new Set(rows.filter((r) => r.dt === '2025-04-07').map((r) => r.sector));

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cli-report-'));
  await writeRefinedLake(path.join(dir, 'lake'), rows);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Marks of one chart in the page, read from Vega's SVG classes. */
function marks(html: string, id: string) {
  const figure = parse(html).querySelector(`figure#${id}`);
  if (!figure) throw new Error(`no figure ${id}`);
  return {
    bars: figure.querySelectorAll('g.mark-rect.role-mark path').length,
    lines: figure.querySelectorAll('g.mark-line.role-mark path').length,
    title: figure.querySelector('g.role-title-text text')?.text,
  };
}

/** `npm start -- report ARGS`, the page it wrote at `out`, and the line it must print first for that page. */
async function reported(args: string[], out: string): Promise<{ run: Awaited<ReturnType<typeof cli>>; html: string; written: string }> {
  const run = await cli(args, dir);
  const html = readFileSync(out, 'utf8');
  return { run, html, written: `report written: ${out} (${Buffer.byteLength(html)} bytes)` };
}

/** A successful run that printed these lines and nothing on stderr. */
const printed = (...lines: string[]) => ({ code: 0, stdout: lines.map((l) => `${l}\n`).join(''), stderr: '' });

describe('npm start -- report', () => {
  it('writes <lake>/reports/ibov-report.html by default and prints what it drew', async () => {
    const { run, html, written } = await reported(['report'], path.join(dir, 'lake/reports/ibov-report.html'));
    expect(run).toEqual(
      printed(
        written,
        'IBOV portfolio 2025-04-07 (D-1 session 2025-04-04): 87 rows, 4 day(s) in the lake',
        'largest weights: VALE3 11.025%, ITUB4 8.044%, PETR4 7.502%, PETR3 4.171%, ELET3 3.958%',
      ),
    );
    expect(latestSectors.size).toBe(30);
    expect(marks(html, 'top-weights')).toEqual({ bars: 15, lines: 0, title: 'Largest weights on 2025-04-07' });
    expect(marks(html, 'sector-weights')).toEqual({ bars: 30, lines: 0, title: 'Weight by sector on 2025-04-07' });
    expect(marks(html, 'weight-history')).toEqual({ bars: 0, lines: 5, title: 'Weight history of the 5 largest tickers' });
    expect(parse(html).querySelectorAll('table.leaders tbody tr').map((tr) => tr.querySelectorAll('td')[1].text)).toEqual([
      'VALE3', 'ITUB4', 'PETR4', 'PETR3', 'ELET3',
    ]);
  });

  it('honours --top and --out, and reads through the local catalog when there is one', async () => {
    await writeCatalog(path.join(dir, 'lake'));
    try {
      const run = await cli(['report', '--top', '7', '--out', 'r/top7.html', '--verbose'], dir);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe(`report: reading ${path.join(dir, 'lake/catalog.duckdb')} (table b3_portfolio_refined)\n`);
      const html = readFileSync(path.join(dir, 'r/top7.html'), 'utf8');
      expect(marks(html, 'top-weights').bars).toBe(7);
    } finally {
      rmSync(path.join(dir, 'lake/catalog.duckdb'));
    }
  });

  it('--date reports an earlier day as of that day: its rows, and the history and counts up to it', async () => {
    const { run, html, written } = await reported(['report', '--date', '2023-12-15', '--out', 'r/dec.html'], path.join(dir, 'r/dec.html'));
    expect(run).toEqual(
      printed(
        written,
        'IBOV portfolio 2023-12-15 (D-1 session 2023-12-14): 86 rows, 3 day(s) in the lake',
        'largest weights: VALE3 14.378%, PETR4 7.137%, ITUB4 6.984%, PETR3 4.269%, BBDC4 3.928%',
      ),
    );
    expect(marks(html, 'top-weights').title).toBe('Largest weights on 2023-12-15');
    // No point of the history is after the day reported.
    const days = rows.filter((r) => r.dt <= '2023-12-15').map((r) => r.dt);
    expect(new Set(days).size).toBe(3);
    const missing = await cli(['report', '--date', '2024-01-02', '--out', 'r/none.html'], dir);
    expect([missing.code, missing.stdout]).toEqual([1, '']);
    expect(missing.stderr).toMatch(/^error: report: no refined rows in .+ for index IBOV on 2024-01-02, got none \(the latest day before it is 2023-12-15\)\n$/);
    expect(existsSync(path.join(dir, 'r/none.html'))).toBe(false);
    const bad = await cli(['report', '--date', '2023-12-32'], dir);
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([2, 'error: report: --date must be a YYYY-MM-DD day, got 2023-12-32']);
  });

  it('refuses an empty lake with one line and exit 1, writing nothing', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'cli-report-empty-'));
    try {
      const run = await cli(['report', '--lake', 'nothing-here'], empty);
      expect(run).toEqual({
        code: 1,
        stdout: '',
        stderr: `error: report: no refined rows in ${path.join(empty, 'nothing-here/refined/b3_portfolio_refined')}, run the pipeline first\n`,
      });
      expect(existsSync(path.join(empty, 'nothing-here/reports'))).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('answers a bad --top with exit 2 and the help, and --help with exit 0', async () => {
    const bad = await cli(['report', '--top', '1.5'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe('error: report: --top must be a positive integer, got 1.5');
    expect(bad.stderr).toContain('Usage: npm start -- report');
    const help = await cli(['report', '--help'], dir);
    expect([help.code, help.stdout.split('\n')[0]]).toEqual([0, 'Usage: npm start -- report [--lake DIR] [--out FILE] [--top N] [--index CODE] [--date YYYY-MM-DD] [--verbose]']);
  });
});

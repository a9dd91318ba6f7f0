import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { writeRefinedLake } from '../adapters/report/refined-lake';
import { parseReplayedBody } from '../../lib/b3/replay';
import { CSV_2021_03_26, fixtureBytes } from '../lib/b3/b3-fixtures';
import { refinePortfolioCapture } from '../support/d1-lake';
import { spotQuotes, refineQuotesFixture } from '../support/quotes-refined-from-fixture';
import { cli } from './cli-process';

// Headless and quiet: no GPU, no QUIC, none of Chromium's own background fetches, so any
// request the page makes is the page's.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Kept after the run (not in the temp lake) so a person can look at it. */
const SCREENSHOT = path.join(tmpdir(), 'b3-report-screenshot', 'ibov-report.png');

/** The little of the DOM the page check uses; the project compiles without lib.dom on purpose. */
interface Box {
  readonly width: number;
  readonly height: number;
}
interface El {
  readonly textContent: string | null;
  readonly children: ArrayLike<El>;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El>;
  getBoundingClientRect(): Box;
  getBBox(): Box;
}
interface Doc {
  readonly title: string;
  readonly scripts: ArrayLike<El>;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El>;
}

let dir: string;
let reportPath: string;
let browser: Browser;

beforeAll(async () => {
  // The integration globalSetup finds or installs Chromium (__tests__/support/chromium.ts) or fails the run.
  const executablePath = process.env.CHROMIUM_PATH;
  if (!executablePath || !existsSync(executablePath)) throw new Error(`report browser test: CHROMIUM_PATH names no browser, got ${executablePath}`);
  dir = mkdtempSync(path.join(tmpdir(), 'report-browser-'));
  await writeRefinedLake(path.join(dir, 'lake'));
  const run = await cli(['report', '--top', '12'], dir);
  if (run.code !== 0) throw new Error(`report browser test: the report command failed, got ${run.code}: ${run.stderr}`);
  reportPath = path.join(dir, 'lake/reports/ibov-report.html');
  browser = await chromium.launch({ executablePath, args: ARGS });
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the report in headless Chromium', () => {
  it('renders the three charts with their marks, no console error, no request but the page', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && problems.push(`console ${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(reportPath).href;
    const response = await page.goto(url, { waitUntil: 'load' });
    expect(response?.ok()).toBe(true);

    // Runs in the page: it may only use what it declares, never this module's scope.
    const seen = await page.evaluate(() => {
      const document = (globalThis as unknown as { document: Doc }).document;
      const all = (root: El | Doc | null | undefined, selector: string): El[] => (root ? Array.from(root.querySelectorAll(selector)) : []);
      const figure = (id: string) => {
        const svg = document.querySelector(`figure#${id} > svg`);
        const box = svg?.getBoundingClientRect();
        const bars = all(svg, 'g.mark-rect.role-mark path').map((p) => p.getBBox());
        return {
          size: box ? [box.width > 300, box.height > 150] : null,
          title: svg?.querySelector('g.role-title-text text')?.textContent,
          bars: bars.length,
          // Drawn, not just present: every bar has an area on the page.
          barsWithArea: bars.filter((b) => b.width > 0 && b.height > 0).length,
          lines: all(svg, 'g.mark-line.role-mark path').length,
          legend: all(svg, 'g.role-legend-label text').map((t) => t.textContent),
        };
      };
      return {
        title: document.title,
        facts: all(document, 'dl.facts dd').map((d) => d.textContent),
        leaders: all(document, 'table.leaders tbody tr').map((tr) => tr.children[1].textContent),
        scripts: document.scripts.length,
        charts: ['top-weights', 'sector-weights', 'weight-history'].map(figure),
      };
    });

    expect(seen.title).toBe('IBOV portfolio on 2025-04-07');
    expect(seen.facts).toEqual(['2025-04-07', '2025-04-04', '87', '4 (2022-12-08 to 2025-04-07)', '350']);
    expect(seen.leaders).toEqual(['VALE3', 'ITUB4', 'PETR4', 'PETR3', 'ELET3']);
    expect(seen.scripts).toBe(0);
    expect(seen.charts).toEqual([
      { size: [true, true], title: 'Largest weights on 2025-04-07', bars: 12, barsWithArea: 12, lines: 0, legend: [] },
      { size: [true, true], title: 'Weight by sector on 2025-04-07', bars: 30, barsWithArea: 30, lines: 0, legend: [] },
      {
        size: [true, true],
        title: 'Weight history of the 5 largest tickers',
        bars: 0,
        barsWithArea: 0,
        lines: 5,
        legend: ['VALE3', 'ITUB4', 'PETR4', 'PETR3', 'ELET3'],
      },
    ]);
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    const png = readFileSync(SCREENSHOT);
    // PNG signature, then the IHDR chunk: width and height as big-endian 32-bit integers.
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.readUInt32BE(16)).toBe(1100);
    expect(png.readUInt32BE(20)).toBeGreaterThan(1500);
    await page.close();
  });
});

describe('the report\'s pregão D-1 section in headless Chromium', () => {
  /** Builds a lake, writes its report and reads the section as the browser shows it. */
  async function section(name: string, build: (lake: string) => Promise<void>) {
    const lake = path.join(dir, name);
    await build(lake);
    const run = await cli(['report', '--lake', name], dir);
    if (run.code !== 0) throw new Error(`report browser test: the report command failed, got ${run.code}: ${run.stderr}`);
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && problems.push(`console ${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(pathToFileURL(path.join(lake, 'reports/ibov-report.html')).href, { waitUntil: 'load' });
    const seen = await page.evaluate(() => {
      const document = (globalThis as unknown as { document: Doc }).document;
      const all = (root: El | Doc | null | undefined, selector: string): El[] => (root ? Array.from(root.querySelectorAll(selector)) : []);
      const d1 = document.querySelector('section#d1');
      const svg = d1?.querySelector('figure#d1-session > svg');
      const bars = all(svg, 'g.mark-rect.role-mark path').map((p) => p.getBBox());
      const table = (cls: string) => all(d1, `table.${cls} tbody tr`).map((tr) => Array.from(tr.children).map((td) => td.textContent));
      return {
        heading: d1?.querySelector('h2')?.textContent,
        check: d1?.querySelector('p.check')?.textContent,
        warning: all(d1, 'p.check.warning').length,
        facts: all(d1, 'dl.facts dd').map((dd) => dd.textContent),
        moves: table('d1-moves'),
        volumes: table('d1-volumes'),
        chartTitle: svg?.querySelector('g.role-title-text text')?.textContent,
        barsWithArea: bars.filter((b) => b.width > 0 && b.height > 0).length,
      };
    });
    await page.close();
    return { seen, problems };
  }

  it('2021-03-26 against its D-1 2021-03-25: the check holds, the index at 113,765, the largest volumes charted', async () => {
    const { seen, problems } = await section('d1-lake', async (lake) => {
      await refinePortfolioCapture(lake, CSV_2021_03_26, '2021-03-25');
      await refineQuotesFixture(lake, 'COTAHIST_D25032021.TXT');
    });
    expect(problems).toEqual([]);
    expect(seen.heading).toBe('Pregão D-1 session 2021-03-25');
    expect(seen.check).toMatch(/^B3 weights reproduced from the D-1 closes: 82\/82 tickers, max deviation 0\.00\d\d pp$/);
    expect(seen.warning).toBe(0);
    expect(seen.facts).toEqual([expect.stringMatching(/^113,76[456] points$/), 'no previous session in the lake']);
    expect(seen.moves).toEqual([]);
    // The five largest volumes of the constituents, computed here from the parsed files; no return.
    const constituents = new Set(parseReplayedBody(fixtureBytes(CSV_2021_03_26), 'IBOV').rows.map((r) => r.ticker));
    const top = spotQuotes('COTAHIST_D25032021.TXT')
      .filter((q) => constituents.has(q.ticker))
      .sort((a, b) => Number(b.traded_volume - a.traded_volume))
      .slice(0, 5);
    expect(seen.volumes.map((r) => [r[0], r[4]])).toEqual(top.map((q) => [q.ticker, (Number(q.traded_volume) / 100 / 1e6).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })]));
    expect(seen.volumes.every((r) => r[3] === '—')).toBe(true);
    expect(seen.chartTitle).toBe('Largest volumes of the D-1 session 2021-03-25');
    expect(seen.barsWithArea).toBe(15);
  });

  it('with the previous session in the lake: the biggest moves, charted; a wrong D-1 is a warning on the page', async () => {
    // The 2021-03-26 composition filed as 2021-03-29's: its D-1 2021-03-26 returns against 2021-03-25.
    const { seen, problems } = await section('d1-moves-lake', async (lake) => {
      await refineQuotesFixture(lake, 'COTAHIST_D25032021.TXT');
      await refineQuotesFixture(lake, 'COTAHIST_D26032021.TXT');
      await refinePortfolioCapture(lake, CSV_2021_03_26, '2021-03-26', '2021-03-29');
    });
    expect(problems).toEqual([]);
    expect(seen.heading).toBe('Pregão D-1 session 2021-03-26');
    expect(seen.check).toMatch(/^warning: B3 weights not reproduced from the D-1 closes: \d+\/82 tickers/);
    expect(seen.warning).toBe(1);
    expect(seen.facts[1]).toBe('2021-03-25');
    expect(seen.moves).toHaveLength(5);
    const returns = seen.moves.map((r) => Math.abs(Number.parseFloat(r[3]!)));
    expect(returns).toEqual([...returns].sort((a, b) => b - a));
    expect(seen.chartTitle).toBe('Biggest moves of the D-1 session 2021-03-26');
    expect(seen.barsWithArea).toBe(15);
  });
});

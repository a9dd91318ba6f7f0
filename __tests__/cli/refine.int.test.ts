import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { refineCommand } from '../../cli/commands/refine';
import { FIXTURES, factsOf } from './capture-facts';
import { cli } from './cli-process';

/** Every path under the lake with its bytes' hash: what "writes nothing" and "byte-identical" compare. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of (readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const file = path.join(dir, rel);
    out[rel] = statSync(file).isDirectory() ? 'dir' : createHash('sha256').update(readFileSync(file)).digest('hex');
  }
  return out;
}
const refinedDir = (lake: string) => path.join(lake, 'refined/b3_portfolio_refined');
const quotesDir = (lake: string) => path.join(lake, 'refined/b3_quotes_refined/');
const partitions = (lake: string, day: string): string[] => readdirSync(path.join(refinedDir(lake), `dt=${day}`)).sort();
const tickers = (day: string): string[] => factsOf(day).weights.map((w) => `ticker=${w.ticker}`).sort();

describe('npm start -- refine', () => {
  let dir: string;
  let lake: string;
  const catalog = () => `table b3_portfolio_refined in ${path.join(lake, 'catalog.duckdb')}`;
  beforeAll(async () => {
    // A raw lake of two captured days, written by the CLI itself: a JSON answer and a CSV download.
    dir = mkdtempSync(path.join(tmpdir(), 'cli-refine-'));
    lake = path.join(dir, 'lake');
    for (const file of [factsOf('2025-04-07').file, factsOf('2023-08-21').file]) {
      const scrape = await cli(['scrape', '--replay', path.join(FIXTURES, file), '--lake', lake], dir);
      expect({ file, code: scrape.code, stderr: scrape.stderr }).toEqual({ file, code: 0, stderr: '' });
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refines what the bookmark has not seen; twice in a row, the second says nothing is new, exits 0 and leaves refined byte-identical', async () => {
    const first = await cli(['refine', '--lake', lake], dir);
    expect(first).toEqual({
      code: 0,
      stdout:
        `refined 172 rows for 2 day(s) 2023-08-21..2025-04-07 from 2 raw object(s) into ${refinedDir(lake)}; ${catalog()}\n` +
        // The quotes job runs too, with its own bookmark: this lake has no raw quotes, an empty run.
        `refine: nothing new since the last run (bookmark ${path.join(lake, '.bookmarks/b3-quotes-refined.json')}); no partition written, ${quotesDir(lake)} unchanged\n`,
      stderr: '',
    });
    expect(partitions(lake, '2023-08-21')).toEqual(tickers('2023-08-21'));
    expect(partitions(lake, '2025-04-07')).toEqual(tickers('2025-04-07'));
    const before = snapshot(lake);
    const second = await cli(['refine', '--lake', lake], dir);
    expect(second).toEqual({
      code: 0,
      stdout:
        `refine: nothing new since the last run (bookmark ${path.join(lake, '.bookmarks/b3-portfolio-refined.json')}); no partition written, ${refinedDir(lake)}/ unchanged\n` +
        `refine: nothing new since the last run (bookmark ${path.join(lake, '.bookmarks/b3-quotes-refined.json')}); no partition written, ${quotesDir(lake)} unchanged\n`,
      stderr: '',
    });
    expect(snapshot(lake)).toEqual(before);
  });

  it('reprocesses one day with --date, then every raw day with --all', async () => {
    const one = await cli(['refine', '--date', '2025-04-07', '--lake', lake], dir);
    expect(one).toEqual({
      code: 0,
      stdout:
        `refined 87 rows for 1 day(s) 2025-04-07 from 1 raw object(s) into ${refinedDir(lake)}; ${catalog()}\n` +
        `refine: b3-quotes-refined skipped, no raw partition for 2025-04-07, got no Parquet under ${path.join(lake, 'raw/quotes/dt=2025-04-07')}; ${quotesDir(lake)} unchanged\n`,
      stderr: '',
    });
    expect(partitions(lake, '2025-04-07')).toEqual(tickers('2025-04-07'));

    const all = await cli(['refine', '--all', '--lake', lake], dir);
    expect(all).toEqual({
      code: 0,
      stdout:
        `refined 172 rows for 2 day(s) 2023-08-21..2025-04-07 from 2 raw object(s) into ${refinedDir(lake)}; ${catalog()}\n` +
        `refine: b3-quotes-refined skipped, nothing to refine, got no dt= partitions under ${path.join(lake, 'raw/quotes')}; ${quotesDir(lake)} unchanged\n`,
      stderr: '',
    });
    expect(readdirSync(refinedDir(lake)).sort()).toEqual(['dt=2023-08-21', 'dt=2025-04-07']);
    expect(partitions(lake, '2023-08-21')).toEqual(tickers('2023-08-21'));
    // The day refined again is replaced, not doubled.
    expect(partitions(lake, '2025-04-07')).toEqual(tickers('2025-04-07'));
  });

  it('fails a day with no raw partition with one error line, exit 1, writing nothing', async () => {
    const before = snapshot(lake);
    const run = await cli(['refine', '--date', '2024-01-02', '--lake', lake], dir);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: refine: no raw partition for 2024-01-02, got no Parquet under ${path.join(lake, 'raw/portfolio/dt=2024-01-02')}, ${path.join(lake, 'raw/quotes/dt=2024-01-02')}\n`,
    });
    expect(snapshot(lake)).toEqual(before);
  });

  it('answers both --date and --all with exit 2, the error and the help; --help with the help alone', async () => {
    const before = snapshot(lake);
    const [both, help] = await Promise.all([cli(['refine', '--all', '--date', '2025-04-07', '--lake', lake], dir), cli(['refine', '--help'], dir)]);
    expect(both).toEqual({ code: 2, stdout: '', stderr: `error: refine: give at most one of --date or --all, got both\n\n${refineCommand.help}` });
    expect(snapshot(lake)).toEqual(before);
    expect(help).toEqual({ code: 0, stdout: refineCommand.help, stderr: '' });
    expect(help.stdout.split('\n')[0]).toBe('Usage: npm start -- refine [--date YYYY-MM-DD | --all] [--lake DIR] [--verbose]');
  });
});

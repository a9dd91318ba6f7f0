import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { refineCommand } from '../../cli/commands/refine';
import { FIXTURES, factsOf } from './capture-facts';
import { cli } from './cli-process';

/** Every path under the lake, sorted: what "writes nothing" compares. */
const listing = (lake: string): string[] => (readdirSync(lake, { recursive: true }) as string[]).sort();
const partitions = (lake: string, day: string): string[] => readdirSync(path.join(lake, `refined/b3_portfolio_refined/dt=${day}`)).sort();
const tickers = (day: string): string[] => factsOf(day).weights.map((w) => `ticker=${w.ticker}`).sort();

describe('npm start -- refine', () => {
  let dir: string;
  let lake: string;
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

  it('refines one day with --date, then every raw day with --all', async () => {
    const catalog = `table b3_portfolio_refined in ${path.join(lake, 'catalog.duckdb')}`;
    const one = await cli(['refine', '--date', '2025-04-07', '--lake', lake], dir);
    expect(one).toEqual({ code: 0, stdout: `refined 87 rows for 1 day(s) 2025-04-07 into ${path.join(lake, 'refined')}; ${catalog}\n`, stderr: '' });
    expect(readdirSync(path.join(lake, 'refined'))).toEqual(['dt=2025-04-07']);
    expect(partitions(lake, '2025-04-07')).toHaveLength(87);
    expect(partitions(lake, '2025-04-07')).toEqual(tickers('2025-04-07'));

    const all = await cli(['refine', '--all', '--lake', lake], dir);
    expect(all).toEqual({ code: 0, stdout: `refined 172 rows for 2 day(s) 2023-08-21..2025-04-07 into ${path.join(lake, 'refined')}; ${catalog}\n`, stderr: '' });
    expect(readdirSync(path.join(lake, 'refined')).sort()).toEqual(['dt=2023-08-21', 'dt=2025-04-07']);
    expect(partitions(lake, '2023-08-21')).toHaveLength(85);
    expect(partitions(lake, '2023-08-21')).toEqual(tickers('2023-08-21'));
    // The day refined again is replaced, not doubled.
    expect(partitions(lake, '2025-04-07')).toEqual(tickers('2025-04-07'));
  });

  it('fails a day with no raw partition with one error line, exit 1, writing nothing', async () => {
    const before = listing(lake);
    const catalog = readFileSync(path.join(lake, 'catalog.duckdb'));
    const run = await cli(['refine', '--date', '2024-01-02', '--lake', lake], dir);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: local-job: no raw partition for 2024-01-02, got no Parquet under ${path.join(lake, 'raw/portfolio/dt=2024-01-02')}\n`,
    });
    expect(listing(lake)).toEqual(before);
    expect(readFileSync(path.join(lake, 'catalog.duckdb')).equals(catalog)).toBe(true);
  });

  it('answers neither --date nor --all with exit 2, the error and the help; --help with the help alone', async () => {
    const before = listing(lake);
    const [neither, help] = await Promise.all([cli(['refine', '--lake', lake], dir), cli(['refine', '--help'], dir)]);
    expect(neither).toEqual({ code: 2, stdout: '', stderr: `error: refine: give exactly one of --date or --all, got neither\n\n${refineCommand.help}` });
    expect(listing(lake)).toEqual(before);
    expect(help).toEqual({ code: 0, stdout: refineCommand.help, stderr: '' });
    expect(help.stdout.split('\n')[0]).toBe('Usage: npm start -- refine (--date YYYY-MM-DD | --all) [--lake DIR] [--verbose]');
  });
});

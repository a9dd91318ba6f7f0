import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FIXTURES, factsOf } from './capture-facts';
import { cli } from './cli-process';

/** Every path under the lake, sorted: what "writes nothing" compares. */
const listing = (lake: string): string[] => (readdirSync(lake, { recursive: true }) as string[]).sort();

describe('a lake in the layout before issue 8 (raw/dt=…, refined/dt=…)', () => {
  let dir: string;
  let lake: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cli-old-layout-'));
    lake = path.join(dir, 'lake');
    mkdirSync(path.join(lake, 'raw', 'dt=2025-04-07'), { recursive: true });
    writeFileSync(path.join(lake, 'raw', 'dt=2025-04-07', 'ibov.parquet'), 'old');
    mkdirSync(path.join(lake, 'refined', 'dt=2025-04-07', 'ticker=VALE3'), { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['scrape', ['scrape', '--replay', path.join(FIXTURES, factsOf('2025-04-07').file)]],
    ['run', ['run', '--replay', path.join(FIXTURES, factsOf('2025-04-07').file)]],
    ['refine', ['refine']],
  ])('%s refuses it with one line saying how to move it, writing nothing', async (_name, args) => {
    const before = listing(lake);
    const run = await cli([...args, '--lake', lake], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `error: local-lake: ${lake} is in the old layout (raw/dt=2025-04-07/ and refined/dt=2025-04-07/); move it with: cd ${lake} && mkdir -p raw/portfolio/ && mv raw/dt=* raw/portfolio/ ; rm -rf refined/dt=* catalog.duckdb .bookmarks && npm start -- refine --all (refined is rebuilt under refined/b3_portfolio_refined/)\n`,
    );
    expect(listing(lake)).toEqual(before);
  });
});

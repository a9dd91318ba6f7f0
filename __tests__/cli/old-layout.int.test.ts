import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
      `error: local-lake: ${lake} is in the old layout (raw/dt=2025-04-07/ and refined/dt=2025-04-07/); move it with: (cd ${lake} && mkdir -p raw/portfolio/ && mv raw/dt=* raw/portfolio/ && rm -rf refined/dt=* catalog.duckdb .bookmarks), then npm start -- refine --all --lake ${lake} rebuilds refined/b3_portfolio_refined/\n`,
    );
    expect(listing(lake)).toEqual(before);
  });

  it('following the line moves the lake: the command it prints works, and refine --all then rebuilds', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'cli-old-layout-move-'));
    try {
      const moved = path.join(work, 'lake');
      expect((await cli(['scrape', '--replay', path.join(FIXTURES, factsOf('2023-08-21').file), '--lake', moved], work)).code).toBe(0);
      // Put it back where the old layout kept it.
      renameSync(path.join(moved, 'raw/portfolio/dt=2023-08-21'), path.join(moved, 'raw/dt=2023-08-21'));
      const refused = await cli(['refine', '--lake', moved], work);
      const command = /move it with: \((.*)\), then npm start -- refine --all --lake /.exec(refused.stderr)?.[1];
      expect(command).toBeDefined();
      execFileSync('bash', ['-c', command!]);
      const rebuilt = await cli(['refine', '--all', '--lake', moved], work);
      expect([rebuilt.code, rebuilt.stderr]).toEqual([0, '']);
      expect(readdirSync(path.join(moved, 'refined/b3_portfolio_refined/dt=2023-08-21'))).toHaveLength(factsOf('2023-08-21').weights.length);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

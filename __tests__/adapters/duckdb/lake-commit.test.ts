import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitGeneration, commitsDir, commitStaged, pendingCommits, recoverLake } from '../../../adapters/duckdb/lake-commit';
import { rawObjectKey } from '../../../lib/raw/raw-key';

/** Every file under a folder with its text, sorted: what a commit leaves. */
function tree(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const files = (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[]).filter((e) => e.isFile());
  return Object.fromEntries(files.map((e) => [join(e.parentPath, e.name).slice(dir.length + 1), readFileSync(join(e.parentPath, e.name), 'utf8')]).sort());
}

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

describe('commitStaged', () => {
  let lake: string;
  beforeEach(() => (lake = mkdtempSync(join(tmpdir(), 'lake-commit-'))));
  afterEach(() => rmSync(lake, { recursive: true, force: true }));

  it('swaps replaced days whole, adds the other files, and leaves no commit behind', async () => {
    const target = join(lake, 'refined');
    write(target, { 'dt=2025-04-07/ticker=A/old.parquet': 'old A', 'dt=2025-04-07/ticker=B/old.parquet': 'old B', 'dt=2025-04-08/ticker=A/keep.parquet': 'keep' });
    const staged = join(lake, '.staging', 'run', 'sink');
    write(staged, { 'dt=2025-04-07/ticker=A/new.parquet': 'new A', 'dt=2025-04-08/ticker=C/add.parquet': 'add C' });
    const before = await commitGeneration(lake);
    await commitStaged(staged, target, new Set(['dt=2025-04-07']), { lakeDir: lake });
    expect(tree(target)).toEqual({
      'dt=2025-04-07/ticker=A/new.parquet': 'new A',
      'dt=2025-04-08/ticker=A/keep.parquet': 'keep',
      'dt=2025-04-08/ticker=C/add.parquet': 'add C',
    });
    expect(await commitGeneration(lake)).toBe(before + 1);
    expect(readdirSync(commitsDir(lake))).toEqual(['generation']);
  });

  it('undoes a commit that fails after its journal, leaving every day as it was', async () => {
    const target = join(lake, 'refined');
    const old = { 'dt=2025-04-07/ticker=A/old.parquet': 'old 7', 'dt=2025-04-08/ticker=A/old.parquet': 'old 8' };
    write(target, old);
    const staged = join(lake, '.staging', 'run', 'sink');
    write(staged, { 'dt=2025-04-07/ticker=A/new.parquet': 'new 7', 'dt=2025-04-08/ticker=A/new.parquet': 'new 8' });
    let published = 0;
    const fault = (point: string) => {
      if (point === 'published' && ++published === 2) throw new Error('ENOSPC: no space left on device');
    };
    await expect(commitStaged(staged, target, new Set(['dt=2025-04-07', 'dt=2025-04-08']), { lakeDir: lake, fault })).rejects.toThrow('ENOSPC');
    expect(tree(target)).toEqual(old);
    expect(await pendingCommits(lake)).toEqual([]);
  });

  it('refuses a staged file over an existing one before anything is published', async () => {
    const target = join(lake, 'refined');
    write(target, { 'x/part.parquet': 'existing' });
    const staged = join(lake, '.staging', 'run', 'sink');
    write(staged, { 'x/part.parquet': 'staged' });
    await expect(commitStaged(staged, target, new Set(), { lakeDir: lake })).rejects.toThrow(
      `local-lake: staged file would overwrite an existing one, got ${join(target, 'x/part.parquet')}`,
    );
    expect(tree(target)).toEqual({ 'x/part.parquet': 'existing' });
  });
});

describe('recoverLake', () => {
  it('sweeps an unjournaled commit, dead staging and a dead put, and keeps every object', async () => {
    const lake = mkdtempSync(join(tmpdir(), 'lake-recover-'));
    try {
      const raw = rawObjectKey('IBOV', '2025-04-07');
      write(lake, {
        [raw]: 'raw day',
        [`${raw.replace(/[^/]+$/, '')}.ibov.parquet.0123456789ab.tmp`]: 'half a put',
        '.staging/local-dead/0/sink/dt=2025-04-07/part.parquet': 'staged',
        '.commits/unjournaled/new/dt=2025-04-07/part.parquet': 'never published',
        'refined/dt=2025-04-07/ticker=A/part.parquet': 'published',
      });
      expect(await recoverLake(lake)).toEqual({ rolledForward: 0, swept: 3 });
      expect(tree(lake)).toEqual({ [raw]: 'raw day', 'refined/dt=2025-04-07/ticker=A/part.parquet': 'published' });
    } finally {
      rmSync(lake, { recursive: true, force: true });
    }
  });
});

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LocalLakeStore } from '../../../adapters/storage/local-lake-store';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('LocalLakeStore on a temp dir', () => {
  let root: string;
  let store: LocalLakeStore;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'lake-'));
    store = new LocalLakeStore(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes under the same keys as the bucket, creating folders', async () => {
    await store.put('raw/portfolio/dt=2025-04-07/ibov.parquet', bytes('one'));
    expect(readFileSync(path.join(root, 'raw', 'portfolio', 'dt=2025-04-07', 'ibov.parquet'), 'utf8')).toBe('one');
    expect(Buffer.from((await store.get('raw/portfolio/dt=2025-04-07/ibov.parquet'))!).toString()).toBe('one');
    expect(store.describe('raw/portfolio/dt=2025-04-07/ibov.parquet')).toBe(path.join(root, 'raw', 'portfolio', 'dt=2025-04-07', 'ibov.parquet'));
  });

  it('overwrites the same key and leaves no temporary file behind', async () => {
    await store.put('raw/portfolio/dt=2025-04-07/ibov.parquet', bytes('first'));
    await store.put('raw/portfolio/dt=2025-04-07/ibov.parquet', bytes('second'));
    expect(readFileSync(path.join(root, 'raw/portfolio/dt=2025-04-07/ibov.parquet'), 'utf8')).toBe('second');
    expect(readdirSync(path.join(root, 'raw/portfolio/dt=2025-04-07'))).toEqual(['ibov.parquet']);
  });

  it('answers undefined for a missing object', async () => {
    expect(await store.get('raw/portfolio/dt=2025-04-07/smll.parquet')).toBeUndefined();
  });

  it('lists keys under a prefix, sorted, skipping in-flight temporary files', async () => {
    await store.put('raw/portfolio/dt=2025-04-08/ibov.parquet', bytes('b'));
    await store.put('raw/portfolio/dt=2025-04-07/smll.parquet', bytes('a'));
    await store.put('raw/portfolio/dt=2025-04-07/ibov.parquet', bytes('a'));
    await store.put('refined/x.parquet', bytes('r'));
    writeFileSync(path.join(root, 'raw/portfolio/dt=2025-04-07/.ibov.parquet.abc.tmp'), 'half');
    expect(await store.list('raw/')).toEqual([
      'raw/portfolio/dt=2025-04-07/ibov.parquet',
      'raw/portfolio/dt=2025-04-07/smll.parquet',
      'raw/portfolio/dt=2025-04-08/ibov.parquet',
    ]);
    expect(await store.list('raw/portfolio/dt=2025-04-08/')).toEqual(['raw/portfolio/dt=2025-04-08/ibov.parquet']);
    expect(await new LocalLakeStore(path.join(root, 'absent')).list('raw/')).toEqual([]);
  });

  it('lists from the prefix folder with the same answers as a walk of the whole lake', async () => {
    await store.put('raw/portfolio/dt=2025-04-07/ibov.parquet', bytes('a'));
    await store.put('raw/portfolio/dt=2025-04-07/smll.parquet', bytes('a'));
    await store.put('raw/portfolio/dt=2025-04-08/ibov.parquet', bytes('b'));
    writeFileSync(path.join(root, '.hidden'), 'x');
    expect(await store.list('raw/portfolio/dt=2025-04-07/ib')).toEqual(['raw/portfolio/dt=2025-04-07/ibov.parquet']);
    expect(await store.list('raw/portfolio/dt=2025-04')).toEqual(['raw/portfolio/dt=2025-04-07/ibov.parquet', 'raw/portfolio/dt=2025-04-07/smll.parquet', 'raw/portfolio/dt=2025-04-08/ibov.parquet']);
    expect(await store.list('raw/portfolio/dt=2025-04-07/ibov.parquet/')).toEqual([]);
    expect(await store.list('raw/portfolio/dt=2025-04-09/')).toEqual([]);
    expect(await store.list('.hidden/')).toEqual([]);
    expect(await store.list('raw/../raw/')).toEqual([]);
  });

  it('refuses keys that would escape the lake', async () => {
    await expect(store.put('../etc/x', bytes('x'))).rejects.toThrow(
      'local lake: key must be relative with no empty, . or .. parts, got "../etc/x"',
    );
    await expect(store.put('/abs', bytes('x'))).rejects.toThrow('got "/abs"');
    expect(() => store.describe('raw//x')).toThrow('got "raw//x"');
  });

  it('cleans its temporary file when the final rename fails', async () => {
    // A folder where the file should go makes rename fail after the temp file is written.
    mkdirSync(path.join(root, 'raw/portfolio/dt=2025-04-07/ibov.parquet/inner'), { recursive: true });
    await expect(store.put('raw/portfolio/dt=2025-04-07/ibov.parquet', bytes('x'))).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(path.join(root, 'raw/portfolio/dt=2025-04-07'))).toEqual(['ibov.parquet']);
    expect(existsSync(path.join(root, 'raw/portfolio/dt=2025-04-07/ibov.parquet/inner'))).toBe(true);
  });
});

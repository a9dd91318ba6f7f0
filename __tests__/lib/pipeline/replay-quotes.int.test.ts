import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import { ReplayCotahistSource } from '../../../adapters/b3-http/replay-cotahist-source';
import { LocalLakeStore } from '../../../adapters/storage/local-lake-store';
import { replayQuotes } from '../../../lib/pipeline/replay-quotes';
import type { ObjectStore } from '../../../lib/ports/object-store';
import { rawQuotesKey } from '../../../lib/raw/quotes-contract';
import { TXT_2021_03_23, TXT_2021_03_25, TXT_2021_03_26, cotahistBytes, joinLines, lines, monthlyCotahist, readAll, setPositions } from '../cotahist/cotahist-fixtures';
import { readParquetWithDuckDB } from '../raw/duckdb-parquet';

/** A real store that remembers what was put into it, in order. */
class RecordingStore implements ObjectStore {
  readonly puts: string[] = [];
  constructor(private readonly inner: LocalLakeStore) {}
  async put(key: string, body: Uint8Array) {
    this.puts.push(key);
    await this.inner.put(key, body);
  }
  get = (key: string) => this.inner.get(key);
  list = (prefix: string) => this.inner.list(prefix);
  describe = (key: string) => this.inner.describe(key);
}

describe('replayQuotes: a saved COTAHIST into one raw partition per session', () => {
  let dir: string;
  let lake: RecordingStore;
  let staging: RecordingStore;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'replay-quotes-'));
    lake = new RecordingStore(new LocalLakeStore(path.join(dir, 'lake')));
    staging = new RecordingStore(new LocalLakeStore(path.join(dir, 'staging')));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const save = (name: string, bytes: Uint8Array) => {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, bytes);
    return new ReplayCotahistSource(file);
  };
  const lakeFile = (session: string) => path.join(dir, 'lake', rawQuotesKey(session));

  it('splits a monthly zip (built from real daily files) into its sessions, each its daily file record for record', async () => {
    const quotes = save('COTAHIST_M032021.ZIP', zipSync({ 'COTAHIST_M032021.TXT': monthlyCotahist() }));
    const written = await replayQuotes({ files: [quotes], store: lake, staging });
    expect(written.map((w) => [w.session_date, w.quotes, w.key])).toEqual([
      ['2021-03-23', 6055, rawQuotesKey('2021-03-23')],
      ['2021-03-25', 6212, rawQuotesKey('2021-03-25')],
      ['2021-03-26', 6100, rawQuotesKey('2021-03-26')],
    ]);
    // The sessions before the last waited in staging until the trailer was read; the lake got each once.
    expect(staging.puts).toEqual([`file-0/${rawQuotesKey('2021-03-23')}`, `file-0/${rawQuotesKey('2021-03-25')}`]);
    expect(lake.puts).toEqual(written.map((w) => w.key));
    const seen = await readParquetWithDuckDB(lakeFile('2021-03-25'), 'ticker, market_type, forward_term_days');
    expect(seen.rows).toHaveLength(6212);
    expect(new Set(seen.rows.map((r) => r.session_date))).toEqual(new Set(['2021-03-25']));
    const daily = readAll(cotahistBytes(TXT_2021_03_25), '2021-03-25').quotes;
    const petr4 = daily.find((q) => q.ticker === 'PETR4' && q.market_type === 10)!;
    expect(seen.rows.find((r) => r.ticker === 'PETR4' && r.market_type === 10)).toMatchObject({
      close_price: (Number(petr4.close_price) / 100).toFixed(2),
      trades: petr4.trades,
    });
  });

  it('a daily file is its one session, put straight into the lake (no staging)', async () => {
    const written = await replayQuotes({ files: [save(TXT_2021_03_25, cotahistBytes(TXT_2021_03_25))], store: lake, staging });
    expect(written.map((w) => [w.session_date, w.quotes])).toEqual([['2021-03-25', 6212]]);
    expect(staging.puts).toEqual([]);
  });

  it('a monthly file refused at its trailer writes nothing to the lake and leaves an existing partition as it was', async () => {
    await replayQuotes({ files: [save(TXT_2021_03_25, cotahistBytes(TXT_2021_03_25))], store: lake, staging });
    const before = readFileSync(lakeFile('2021-03-25'));
    lake.puts.length = 0;
    const ls = lines(monthlyCotahist());
    const wrongCount = joinLines([...ls.slice(0, -1), setPositions(ls[ls.length - 1], 32, 42, '00000018370')]);
    await expect(replayQuotes({ files: [save('COTAHIST_M032021.TXT', wrongCount)], store: lake, staging })).rejects.toThrow(
      'cotahist: line 18369 field TOTREG: the trailer counts every record, the file has 18369, got 18370',
    );
    expect(lake.puts).toEqual([]);
    expect(existsSync(lakeFile('2021-03-23'))).toBe(false);
    expect(readFileSync(lakeFile('2021-03-25')).equals(before)).toBe(true);
  });

  describe('several files, replayed together (a folder of daily files)', () => {
    it('each file its partition, in order, straight into the lake', async () => {
      const files = [TXT_2021_03_23, TXT_2021_03_25, TXT_2021_03_26].map((f) => save(f, cotahistBytes(f)));
      const written = await replayQuotes({ files, store: lake, staging });
      expect(written.map((w) => [w.session_date, w.quotes])).toEqual([
        ['2021-03-23', 6055],
        ['2021-03-25', 6212],
        ['2021-03-26', 6100],
      ]);
      expect(staging.puts).toEqual([]);
      const seen = await readParquetWithDuckDB(lakeFile('2021-03-26'), 'ticker, market_type, forward_term_days');
      expect(seen.rows).toHaveLength(6100);
    });

    it('a refused file among several: the files before it are published, it and those after write nothing', async () => {
      const truncated = joinLines(lines(cotahistBytes(TXT_2021_03_25)).slice(0, -1));
      const files = [save(TXT_2021_03_23, cotahistBytes(TXT_2021_03_23)), save(TXT_2021_03_25, truncated), save(TXT_2021_03_26, cotahistBytes(TXT_2021_03_26))];
      await expect(replayQuotes({ files, store: lake, staging })).rejects.toThrow('no trailer record 99, the file is truncated');
      expect(lake.puts).toEqual([rawQuotesKey('2021-03-23')]);
      expect(existsSync(lakeFile('2021-03-25'))).toBe(false);
      expect(existsSync(lakeFile('2021-03-26'))).toBe(false);
    });

    it('two monthly files holding the same session stage apart: the later file wins, as a rerun does', async () => {
      const march = monthlyCotahist();
      const again = monthlyCotahist([TXT_2021_03_25, TXT_2021_03_26]);
      const written = await replayQuotes({ files: [save('COTAHIST_M032021.TXT', march), save('x/COTAHIST_M032021.TXT', again)], store: lake, staging });
      expect(written.map((w) => w.session_date)).toEqual(['2021-03-23', '2021-03-25', '2021-03-26', '2021-03-25', '2021-03-26']);
      expect(staging.puts).toEqual([`file-0/${rawQuotesKey('2021-03-23')}`, `file-0/${rawQuotesKey('2021-03-25')}`, `file-1/${rawQuotesKey('2021-03-25')}`]);
    });
  });
});

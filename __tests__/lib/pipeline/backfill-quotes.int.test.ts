import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LocalLakeStore } from '../../../adapters/storage/local-lake-store';
import { b3TradingCalendar } from '../../../lib/calendar/trading-calendar';
import { PipelineError } from '../../../lib/errors';
import { assertBackfillComplete, backfillQuotes, formatBackfillSummary, type BackfillStep } from '../../../lib/pipeline/backfill-quotes';
import type { QuotesSource } from '../../../lib/ports/quotes-source';
import { rawQuotesKey } from '../../../lib/raw/quotes-contract';
import { redatedCotahistZip } from '../cotahist/cotahist-fixtures';

/** A fake clock: sleeping moves it, so the pace is exact and the test instant. */
function fakeTiming() {
  let t = 1_000_000;
  const sleeps: number[] = [];
  return { sleeps, timing: { now: () => t, sleep: async (ms: number) => void (sleeps.push(ms), (t += ms)) }, advance: (ms: number) => (t += ms) };
}

describe('backfillQuotes: every session of a range, resumable and paced', () => {
  let dir: string;
  let store: LocalLakeStore;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'backfill-'));
    store = new LocalLakeStore(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** B3 answering each session with its real (re-dated) zip, except the ones listed as missing; each request takes `costMs`. */
  const b3 = (clock: ReturnType<typeof fakeTiming>, missing: readonly string[] = [], costMs = 0) => {
    const asked: string[] = [];
    const quotes: QuotesSource = {
      fetchCotahist: async (session) => {
        asked.push(session!);
        clock.advance(costMs);
        if (missing.includes(session!)) throw new PipelineError(`b3 http: GET …/${session} answered HTTP 404`);
        return { chunks: [redatedCotahistZip(session!)], accept: ['zip'], origin: `b3 ${session}` };
      },
    };
    return { asked, quotes };
  };

  it('waits only what is left of the interval since the last request, and never for a skipped session', async () => {
    const clock = fakeTiming();
    await store.put(rawQuotesKey('2024-11-18'), new Uint8Array([1]));
    const { asked, quotes } = b3(clock, [], 300);
    const steps: BackfillStep[] = [];
    const summary = await backfillQuotes(
      { quotes, store, calendar: b3TradingCalendar, timing: clock.timing, minIntervalMs: 1000, onStep: (s) => steps.push(s) },
      '2024-11-14',
      '2024-11-21',
    );
    expect(asked).toEqual(['2024-11-14', '2024-11-19', '2024-11-21']);
    // Each request took 300 ms of the 1000: 700 left before the next; the skipped 18th costs nothing.
    expect(clock.sleeps).toEqual([700, 700]);
    expect(steps.map((s) => [s.done, s.total, s.session_date, s.outcome, s.detail])).toEqual([
      [1, 4, '2024-11-14', 'fetched', '12226 quotes'],
      [2, 4, '2024-11-18', 'skipped', 'already in raw'],
      [3, 4, '2024-11-19', 'fetched', '12226 quotes'],
      [4, 4, '2024-11-21', 'fetched', '12226 quotes'],
    ]);
    expect(formatBackfillSummary(summary)).toBe('backfill 2024-11-14..2024-11-21: 4 sessions, fetched 3, skipped 1, failed 0');
    expect(() => assertBackfillComplete(summary)).not.toThrow();
  });

  it('a request slower than the interval is followed at once', async () => {
    const clock = fakeTiming();
    const { quotes } = b3(clock, [], 1500);
    await backfillQuotes({ quotes, store, calendar: b3TradingCalendar, timing: clock.timing, minIntervalMs: 1000 }, '2024-11-18', '2024-11-19');
    expect(clock.sleeps).toEqual([]);
  });

  it('a failed session does not stop the others, and fails the backfill naming it', async () => {
    const clock = fakeTiming();
    const { quotes } = b3(clock, ['2024-11-18']);
    const summary = await backfillQuotes({ quotes, store, calendar: b3TradingCalendar, timing: clock.timing, minIntervalMs: 0 }, '2024-11-14', '2024-11-19');
    expect([summary.fetched, summary.skipped, summary.failed.map((f) => f.session_date)]).toEqual([['2024-11-14', '2024-11-19'], [], ['2024-11-18']]);
    expect(await store.list('raw/quotes/')).toEqual([rawQuotesKey('2024-11-14'), rawQuotesKey('2024-11-19')]);
    expect(() => assertBackfillComplete(summary)).toThrow(
      'backfill: 1 of 3 sessions failed (run it again to retry them), got 2024-11-18: b3 http: GET …/2024-11-18 answered HTTP 404',
    );
  });

  it('refuses a negative interval in one line, asking B3 nothing', async () => {
    const clock = fakeTiming();
    const { asked, quotes } = b3(clock);
    await expect(backfillQuotes({ quotes, store, calendar: b3TradingCalendar, timing: clock.timing, minIntervalMs: -1 }, '2024-11-14', '2024-11-14')).rejects.toThrow(
      'backfill: the interval between requests is a number of ms >= 0, got -1',
    );
    expect(asked).toEqual([]);
  });
});

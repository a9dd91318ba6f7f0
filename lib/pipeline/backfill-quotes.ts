import type { IsoDate } from '../calendar/iso-date';
import { PipelineError } from '../errors';
import type { ObjectStore } from '../ports/object-store';
import type { QuotesSource } from '../ports/quotes-source';
import { RAW_QUOTES_PREFIX } from '../lake/layout';
import { parseRawQuotesKey } from '../raw/quotes-contract';
import { scrapeSessionQuotes } from './scrape-quotes';

/** The calendar question a backfill asks (b3TradingCalendar answers it). */
export interface SessionRange {
  tradingDaysIn(from: IsoDate, to: IsoDate): IsoDate[];
}

/** Time, injected: the polite pause between requests is a sleep tests can make short. */
export interface BackfillTiming {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export type BackfillOutcome = 'fetched' | 'skipped' | 'failed';

export interface BackfillStep {
  readonly session_date: IsoDate;
  readonly outcome: BackfillOutcome;
  /** Sessions done so far, this one included, of `total`. */
  readonly done: number;
  readonly total: number;
  /** The quotes written, or the refusal's message. */
  readonly detail: string;
}

export interface BackfillDeps {
  readonly quotes: QuotesSource;
  readonly store: ObjectStore;
  readonly calendar: SessionRange;
  readonly timing: BackfillTiming;
  /** The least time between the starts of two requests to B3 (its retries are the HTTP source's). */
  readonly minIntervalMs: number;
  readonly onStep?: (step: BackfillStep) => void;
  readonly progress?: (line: string) => void;
}

export interface BackfillSummary {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly sessions: number;
  readonly fetched: readonly IsoDate[];
  readonly skipped: readonly IsoDate[];
  readonly failed: readonly { readonly session_date: IsoDate; readonly error: unknown }[];
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * B3's COTAHIST of every session from `from` to `to` into raw quotes. Resumable: a session whose
 * raw partition exists is skipped, and each one fetched is written whole (scrapeSessionQuotes), so
 * a backfill stopped anywhere picks up where it was. Requests start at least `minIntervalMs` apart.
 * A session refused (no file yet, a damaged file) does not stop the others; it is in `failed`, and
 * the next backfill of the range tries it again.
 */
export async function backfillQuotes(deps: BackfillDeps, from: IsoDate, to: IsoDate): Promise<BackfillSummary> {
  if (!(deps.minIntervalMs >= 0)) throw new PipelineError(`backfill: the interval between requests is a number of ms >= 0, got ${deps.minIntervalMs}`);
  const sessions = deps.calendar.tradingDaysIn(from, to);
  const present = new Set((await deps.store.list(RAW_QUOTES_PREFIX)).map(parseRawQuotesKey).filter((d): d is IsoDate => d !== null));
  const fetched: IsoDate[] = [];
  const skipped: IsoDate[] = [];
  const failed: { session_date: IsoDate; error: unknown }[] = [];
  let lastRequestAt: number | null = null;
  const step = (session_date: IsoDate, outcome: BackfillOutcome, detail: string) =>
    deps.onStep?.({ session_date, outcome, done: fetched.length + skipped.length + failed.length, total: sessions.length, detail });

  for (const session of sessions) {
    if (present.has(session)) {
      skipped.push(session);
      step(session, 'skipped', 'already in raw');
      continue;
    }
    if (lastRequestAt !== null) {
      const wait = lastRequestAt + deps.minIntervalMs - deps.timing.now();
      if (wait > 0) await deps.timing.sleep(wait);
    }
    lastRequestAt = deps.timing.now();
    try {
      const result = await scrapeSessionQuotes(deps, session);
      fetched.push(session);
      step(session, 'fetched', `${result.quotes} quotes`);
    } catch (error) {
      failed.push({ session_date: session, error });
      step(session, 'failed', messageOf(error));
    }
  }
  return { from, to, sessions: sessions.length, fetched, skipped, failed };
}

/** The summary's line: `backfill 2024-11-14..2024-11-21: 4 sessions, fetched 3, skipped 1, failed 0`. */
export function formatBackfillSummary(s: BackfillSummary): string {
  const head = `backfill ${s.from}..${s.to}: ${s.sessions} sessions, fetched ${s.fetched.length}, skipped ${s.skipped.length}, failed ${s.failed.length}`;
  return [head, ...s.failed.map((f) => `  failed ${f.session_date}: ${messageOf(f.error)}`)].join('\n');
}

/** A backfill with refusals fails as a whole (exit 1), naming the first; a rerun retries only those. */
export function assertBackfillComplete(s: BackfillSummary): void {
  if (s.failed.length === 0) return;
  const first = s.failed[0];
  throw new PipelineError(
    `backfill: ${s.failed.length} of ${s.sessions} sessions failed (run it again to retry them), got ${first.session_date}: ${messageOf(first.error)}`,
    { cause: first.error },
  );
}

import type { QuotesScrapeResult } from './scrape-quotes';
import type { PortfolioSource } from '../b3/portfolio';
import type { IsoDate } from '../calendar/iso-date';
import { saoPauloDate } from '../calendar/sao-paulo-date';
import { weekday } from '../calendar/trading-calendar';
import { PipelineError } from '../errors';
import type { B3Source } from '../ports/b3-source';
import type { Clock } from '../ports/clock';
import type { ObjectStore } from '../ports/object-store';
import { toRawRecords } from '../raw/raw-contract';
import { rawObjectKey } from '../raw/raw-key';
import { encodeRawParquet } from '../raw/raw-parquet';

/** The calendar questions the scraper asks (b3TradingCalendar answers them). */
export interface SessionCalendar {
  previousTradingDay(day: IsoDate): IsoDate;
  isTradingDay(day: IsoDate): boolean;
  sessionsBetween(a: IsoDate, b: IsoDate, atMost: number): number;
}

/**
 * How far a live answer's portfolio date may be from today in São Paulo, in sessions. B3 publishes
 * the next session's portfolio the evening before (or over the weekend), so a good answer is 0 or 1
 * session ahead; five leaves room for long holidays, and a date beyond it is another day's portfolio.
 */
export const LIVE_MAX_SESSIONS_APART = 5;

export interface ScrapeDeps {
  readonly source: B3Source;
  readonly store: ObjectStore;
  readonly calendar: SessionCalendar;
  readonly clock: Clock;
  /** Progress lines (the CLI prints them on stderr, the Lambda logs them). */
  readonly progress?: (line: string) => void;
}

/** What was written for one index; snake_case like the raw columns it describes. */
export interface ScrapeResult {
  readonly index: string;
  readonly portfolio_date: IsoDate;
  readonly session_date: IsoDate;
  readonly rows: number;
  readonly key: string;
  readonly location: string;
  readonly source: PortfolioSource;
}

/** One or more indexes were refused; the others were written. Carries both for the edges. */
export class ScrapeError extends PipelineError {
  constructor(
    readonly failures: readonly { readonly index: string; readonly error: unknown }[],
    readonly written: readonly ScrapeResult[],
    /** The sessions' quotes written before or beside the refusal (a scrape of the day, scrapeDay). */
    readonly writtenQuotes: readonly QuotesScrapeResult[] = [],
  ) {
    super(
      `scrape: refused ${failures.map((f) => f.index).join(', ')}, got ${failures
        .map((f) => (failures.length > 1 ? `${f.index}: ` : '') + (f.error instanceof Error ? f.error.message : String(f.error)))
        .join('; ')}`,
      { cause: failures[0]?.error },
    );
    this.name = 'ScrapeError';
  }
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * A live answer is stored under its own date, so that date must be a session near today: not a
 * weekend or holiday, not a stale page or a clock gone wrong. A replayed body may be any day.
 */
function checkLiveDate(deps: ScrapeDeps, portfolioDate: IsoDate): void {
  if (!deps.calendar.isTradingDay(portfolioDate)) {
    const day = weekday(portfolioDate);
    const what = day === 0 || day === 6 ? `a ${WEEKDAYS[day]}` : 'a B3 holiday';
    throw new PipelineError(`b3: a live answer must be dated a B3 trading day, got ${portfolioDate} (${what})`);
  }
  const today = saoPauloDate(deps.clock.now());
  const apart = deps.calendar.sessionsBetween(today, portfolioDate, LIVE_MAX_SESSIONS_APART);
  if (apart > LIVE_MAX_SESSIONS_APART) {
    throw new PipelineError(
      `b3: a live answer must be dated within ${LIVE_MAX_SESSIONS_APART} sessions of today (${today} in São Paulo), got ${portfolioDate} (more than ${LIVE_MAX_SESSIONS_APART} sessions ${portfolioDate < today ? 'before' : 'after'})`,
    );
  }
}

/**
 * Fetches, validates and writes one index. Everything that can refuse (fetch, parse, live date,
 * calendar, encoding) runs before the single put, so a refusal writes nothing and an existing
 * good object stays; the key comes from the portfolio's own date, so a rerun overwrites it.
 */
async function scrapeIndex(deps: ScrapeDeps, indexCode: string): Promise<ScrapeResult> {
  const snapshot = await deps.source.fetchPortfolio(indexCode);
  if (snapshot.indexCode !== indexCode) {
    throw new PipelineError(`scrape: answer is for another index than ${indexCode}, got ${snapshot.indexCode}`);
  }
  if (deps.source.live) checkLiveDate(deps, snapshot.portfolioDate);
  const sessionDate = deps.calendar.previousTradingDay(snapshot.portfolioDate);
  const records = toRawRecords(snapshot, sessionDate, deps.clock.now());
  const body = encodeRawParquet(records);
  const key = rawObjectKey(indexCode, snapshot.portfolioDate);
  await deps.store.put(key, body, 'application/vnd.apache.parquet');
  return {
    index: indexCode,
    portfolio_date: snapshot.portfolioDate,
    session_date: sessionDate,
    rows: records.length,
    key,
    location: deps.store.describe(key),
    source: snapshot.source,
  };
}

/**
 * Scrapes every index independently (each has its own raw file): one refused index does not
 * stop the others, but the run still fails afterwards so schedule retries and the DLQ see it.
 */
export async function scrapePortfolios(deps: ScrapeDeps, indexCodes: readonly string[]): Promise<ScrapeResult[]> {
  if (indexCodes.length === 0) throw new PipelineError('scrape: no index to scrape, got an empty list');
  const written: ScrapeResult[] = [];
  const failures: { index: string; error: unknown }[] = [];
  for (const index of indexCodes) {
    deps.progress?.(`scrape: fetching ${index}`);
    try {
      const result = await scrapeIndex(deps, index);
      written.push(result);
      deps.progress?.(`scrape: wrote ${result.rows} rows of ${index} ${result.portfolio_date} to ${result.location}`);
    } catch (error) {
      failures.push({ index, error });
      deps.progress?.(`scrape: refused ${index}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (failures.length > 0) throw new ScrapeError(failures, written);
  return written;
}

/** One line per index, for the CLI's stdout and the Lambda's return value. */
export function formatScrapeResult(r: ScrapeResult): string {
  return `${r.index} portfolio_date=${r.portfolio_date} session_date=${r.session_date} rows=${r.rows} source=${r.source} -> ${r.location}`;
}

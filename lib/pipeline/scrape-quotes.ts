import type { IsoDate } from '../calendar/iso-date';
import { readCotahistBody } from '../cotahist/body';
import type { ObjectStore } from '../ports/object-store';
import type { QuotesSource } from '../ports/quotes-source';
import { rawQuotesKey } from '../raw/quotes-contract';
import { RawQuotesParquet } from '../raw/quotes-parquet';

export interface ScrapeQuotesDeps {
  readonly quotes: QuotesSource;
  readonly store: ObjectStore;
  readonly progress?: (line: string) => void;
}

/** What was written for one session; snake_case like the other scrape results. */
export interface QuotesScrapeResult {
  readonly session_date: IsoDate;
  readonly quotes: number;
  readonly key: string;
  readonly location: string;
}

/**
 * Fetches one session's COTAHIST, parses it whole (every check, the trailer's count last) into
 * columns, encodes it and only then puts the one object: a refused file writes nothing and leaves
 * an existing partition as it was. A saved file, which may hold several sessions, is replayQuotes'.
 */
export async function scrapeSessionQuotes(deps: ScrapeQuotesDeps, session: IsoDate): Promise<QuotesScrapeResult> {
  const body = await deps.quotes.fetchCotahist(session);
  deps.progress?.(`scrape: reading COTAHIST ${session} from ${body.origin}`);
  const parquet = new RawQuotesParquet();
  const read = await readCotahistBody(body.chunks, {
    accept: body.accept,
    records: parquet,
    session,
  });
  const key = rawQuotesKey(read.session);
  await deps.store.put(key, parquet.encode(), 'application/vnd.apache.parquet');
  return { session_date: read.session, quotes: read.quotes, key, location: deps.store.describe(key) };
}

export function formatQuotesResult(r: QuotesScrapeResult): string {
  return `COTAHIST session_date=${r.session_date} quotes=${r.quotes} -> ${r.location}`;
}

import type { IsoDate } from '../calendar/iso-date';
import { CotahistBodyReader } from '../cotahist/body';
import { PipelineError } from '../errors';
import type { ObjectStore } from '../ports/object-store';
import type { QuotesSource } from '../ports/quotes-source';
import { rawQuotesKey } from '../raw/quotes-contract';
import { RawQuotesParquet } from '../raw/quotes-parquet';
import type { QuotesScrapeResult } from './scrape-quotes';

export interface ReplayQuotesDeps {
  /** A saved COTAHIST: daily, or B3's monthly or yearly file. */
  readonly quotes: QuotesSource;
  readonly store: ObjectStore;
  /**
   * Where the sessions read before the last wait, encoded, until the trailer has confirmed the
   * whole file: a scratch store nobody reads (a folder the lake's recovery sweeps). A daily file
   * never touches it.
   */
  readonly staging: ObjectStore;
  readonly progress?: (line: string) => void;
}

const PARQUET = 'application/vnd.apache.parquet';

/**
 * Replays a saved COTAHIST into one raw partition per session it holds. The file streams through
 * the parser; each session, once its last record is read, is encoded and set aside in staging, so
 * memory holds one session at a time however long the file. Only when the whole file has parsed
 * (every check, the trailer's count last) are the sessions published, one object each: a refused
 * file writes nothing to the lake and leaves existing partitions as they were.
 */
export async function replayQuotes(deps: ReplayQuotesDeps): Promise<QuotesScrapeResult[]> {
  const body = await deps.quotes.fetchCotahist(null);
  deps.progress?.(`scrape: reading COTAHIST from ${body.origin}`);
  const staged: { session_date: IsoDate; quotes: number }[] = [];
  const finished: { session_date: IsoDate; quotes: number; parquet: RawQuotesParquet }[] = [];
  let current: { session_date: IsoDate; quotes: number; parquet: RawQuotesParquet } | null = null;
  const reader = new CotahistBodyReader({
    accept: body.accept,
    ...(body.fileName === undefined ? {} : { fileName: body.fileName }),
    onQuote: (q) => {
      if (current?.session_date !== q.session_date) {
        if (current) finished.push(current);
        current = { session_date: q.session_date, quotes: 0, parquet: new RawQuotesParquet() };
      }
      current.parquet.add(q);
      current.quotes += 1;
    },
  });
  // onQuote cannot await: the sessions it closed are staged between chunks.
  const stageFinished = async () => {
    for (let s = finished.shift(); s; s = finished.shift()) {
      await deps.staging.put(rawQuotesKey(s.session_date), s.parquet.encode(), PARQUET);
      staged.push({ session_date: s.session_date, quotes: s.quotes });
      deps.progress?.(`scrape: read ${s.quotes} quotes of ${s.session_date}`);
    }
  };
  for await (const chunk of body.chunks) {
    reader.push(chunk);
    await stageFinished();
  }
  reader.end();
  await stageFinished();
  const last = current as { session_date: IsoDate; quotes: number; parquet: RawQuotesParquet } | null;
  const lastBody = last?.parquet.encode();

  const written: QuotesScrapeResult[] = [];
  for (const s of staged) {
    const key = rawQuotesKey(s.session_date);
    const bytes = await deps.staging.get(key);
    if (bytes === undefined) throw new PipelineError(`replay: the staged session ${s.session_date} is gone, got no ${deps.staging.describe(key)}`);
    await deps.store.put(key, bytes, PARQUET);
    written.push({ session_date: s.session_date, quotes: s.quotes, key, location: deps.store.describe(key) });
  }
  if (last && lastBody) {
    const key = rawQuotesKey(last.session_date);
    await deps.store.put(key, lastBody, PARQUET);
    written.push({ session_date: last.session_date, quotes: last.quotes, key, location: deps.store.describe(key) });
  }
  return written;
}

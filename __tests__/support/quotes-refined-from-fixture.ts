import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runGlueJobLocally } from '../../adapters/duckdb/run-glue-job-locally';
import { LOCAL_QUOTES_JOB } from '../../cli/commands/refine';
import { b3QuotesRefinedJob } from '../../glue-jobs/b3-quotes-refined';
import type { IsoDate } from '../../lib/calendar/iso-date';
import { CotahistBodyReader } from '../../lib/cotahist/body';
import type { CotahistQuote } from '../../lib/cotahist/quote';
import { rawQuotesKey } from '../../lib/raw/quotes-contract';
import { RawQuotesParquet } from '../../lib/raw/quotes-parquet';

const SPOT_LOT_MARKET = 10;
const COTAHIST_DIR = join(__dirname, '..', 'fixtures', 'cotahist');

/** Every quote of a real COTAHIST fixture (a file name in __tests__/fixtures/cotahist), as the parser reads it. */
function fixtureQuotes(file: string): CotahistQuote[] {
  const quotes: CotahistQuote[] = [];
  const reader = new CotahistBodyReader({ accept: ['zip', 'text'], onQuote: (quote) => quotes.push(quote) });
  reader.push(new Uint8Array(readFileSync(join(COTAHIST_DIR, file))));
  reader.end();
  return quotes;
}

/** The spot-market quotes of a real COTAHIST fixture: what tests compute their expectations from. */
export function spotQuotes(file: string): CotahistQuote[] {
  return fixtureQuotes(file).filter((quote) => quote.market_type === SPOT_LOT_MARKET);
}

export interface FixtureOptions {
  /**
   * Files the quotes as this session instead of their own (every record's DATPRE): a test
   * scenario only, "the wrong file taken as the D-1 session", to show the cross-source check
   * catching it.
   */
  readonly asSession?: IsoDate;
  /** Leaves these tickers out of the raw file: a constituent the session has no quote of. */
  readonly dropTickers?: readonly string[];
}

/**
 * A real COTAHIST fixture through the pipeline's own path: its quotes written to raw as the
 * scraper writes them, then the Glue job `b3-quotes-refined` run locally (bookmark mode), which
 * writes and catalogs `b3_quotes_refined` (and so the view once the portfolio table is there).
 * Returns the session written.
 */
export async function refineQuotesFixture(lakeDir: string, file: string, opts: FixtureOptions = {}): Promise<IsoDate> {
  const quotes = fixtureQuotes(file)
    .filter((quote) => !opts.dropTickers?.includes(quote.ticker))
    .map((quote) => (opts.asSession ? { ...quote, session_date: opts.asSession } : quote));
  const session = writeRawQuotes(lakeDir, quotes);
  await runGlueJobLocally({ job: b3QuotesRefinedJob(LOCAL_QUOTES_JOB), lakeDir });
  return session;
}

/** Writes one session's quotes as the scraper does (`raw/quotes/dt=<session>/cotahist.parquet`); returns the session. */
export function writeRawQuotes(lakeDir: string, quotes: readonly CotahistQuote[]): IsoDate {
  const session = quotes[0].session_date;
  const writer = new RawQuotesParquet();
  for (const quote of quotes) writer.add(quote);
  const path = join(lakeDir, rawQuotesKey(session));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, writer.encode());
  return session;
}

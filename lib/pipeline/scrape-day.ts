import type { QuotesSource } from '../ports/quotes-source';
import { ScrapeError, scrapePortfolios, type ScrapeDeps, type ScrapeResult } from './scrape-portfolio';
import { scrapeSessionQuotes, type QuotesScrapeResult } from './scrape-quotes';

export interface ScrapeDayDeps extends ScrapeDeps {
  /** B3's COTAHIST; fetched for the D-1 session of each portfolio written. */
  readonly quotes: QuotesSource;
}

export interface ScrapeDayResult {
  readonly portfolios: readonly ScrapeResult[];
  readonly quotes: readonly QuotesScrapeResult[];
}

/**
 * The scraper's run: the portfolios, then beside them the COTAHIST of each one's `session_date`
 * (the pregão D-1 its weights come from; one file per distinct session). A refused portfolio or
 * file is reported with the others and fails the run, so the schedule retries it; what was
 * accepted is written either way, each object whole.
 */
export async function scrapeDay(deps: ScrapeDayDeps, indexCodes: readonly string[]): Promise<ScrapeDayResult> {
  let portfolios: readonly ScrapeResult[];
  const failures: { index: string; error: unknown }[] = [];
  try {
    portfolios = await scrapePortfolios(deps, indexCodes);
  } catch (error) {
    if (!(error instanceof ScrapeError)) throw error;
    portfolios = error.written;
    failures.push(...error.failures);
  }
  const quotes: QuotesScrapeResult[] = [];
  for (const session of [...new Set(portfolios.map((p) => p.session_date))].sort()) {
    deps.progress?.(`scrape: fetching COTAHIST ${session}`);
    try {
      const result = await scrapeSessionQuotes(deps, session);
      quotes.push(result);
      deps.progress?.(`scrape: wrote ${result.quotes} quotes of ${session} to ${result.location}`);
    } catch (error) {
      failures.push({ index: `COTAHIST ${session}`, error });
      deps.progress?.(`scrape: refused COTAHIST ${session}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (failures.length > 0) throw new ScrapeError(failures, portfolios, quotes);
  return { portfolios, quotes };
}

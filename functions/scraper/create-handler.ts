import type { Context } from 'aws-lambda';
import { ScrapeError, type ScrapeResult } from '../../lib/pipeline/scrape-portfolio';
import { scrapeDay } from '../../lib/pipeline/scrape-day';
import type { QuotesScrapeResult } from '../../lib/pipeline/scrape-quotes';
import type { ScraperDeps } from './deps';

export interface ScraperOutput {
  readonly written: readonly ScrapeResult[];
  /** The COTAHIST of each written portfolio's D-1 session. */
  readonly quotes: readonly QuotesScrapeResult[];
}

/**
 * The Lambda's behaviour with its wiring injected. Deps are built on the first invocation
 * (never at import time: a config error fails the invocation, which the runtime logs and retries)
 * and cached for the container's life. A refusal (a portfolio, or its session's COTAHIST missing
 * or damaged) is logged and rethrown: the schedule's retries and the dead-letter queue only work
 * if the invocation fails.
 */
export function createHandler(makeDeps: () => ScraperDeps): (event?: unknown, context?: Context) => Promise<ScraperOutput> {
  let deps: ScraperDeps | undefined;
  return async (_event, context) => {
    deps ??= makeDeps();
    const { logger } = deps;
    // Request id, function name and cold start on every line of this invocation.
    if (context) logger.addContext(context);
    try {
      const { portfolios, quotes } = await scrapeDay(deps.scrape, deps.indexCodes);
      for (const w of portfolios) logger.info('raw portfolio written', { ...w });
      for (const q of quotes) logger.info('raw quotes written', { ...q });
      return { written: portfolios, quotes };
    } catch (error) {
      const written = error instanceof ScrapeError ? error.written : [];
      logger.error('scrape refused', { error: error as Error, written: [...written] });
      throw error;
    }
  };
}

import type { Context } from 'aws-lambda';
import { scrapePortfolios, ScrapeError, type ScrapeResult } from '../../lib/pipeline/scrape-portfolio';
import type { ScraperDeps } from './deps';

export interface ScraperOutput {
  readonly written: readonly ScrapeResult[];
}

/**
 * The Lambda's behaviour with its wiring injected. Deps are built on the first invocation
 * (never at import time: a config error fails the invocation, which the runtime logs and retries)
 * and cached for the container's life. A refusal is logged and rethrown: the schedule's
 * retries and the dead-letter queue only work if the invocation fails.
 */
export function createHandler(makeDeps: () => ScraperDeps): (event?: unknown, context?: Context) => Promise<ScraperOutput> {
  let deps: ScraperDeps | undefined;
  return async (_event, context) => {
    deps ??= makeDeps();
    const { logger } = deps;
    // Request id, function name and cold start on every line of this invocation.
    if (context) logger.addContext(context);
    try {
      const written = await scrapePortfolios(deps.scrape, deps.indexCodes);
      for (const w of written) logger.info('raw portfolio written', { ...w });
      return { written };
    } catch (error) {
      const written = error instanceof ScrapeError ? error.written : [];
      logger.error('scrape refused', { error: error as Error, written: [...written] });
      throw error;
    }
  };
}

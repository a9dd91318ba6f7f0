import { PipelineError } from '../errors';
import { REFINED_TABLE_PREFIX } from '../refined/refined-contract';
import { readRefinedDay, type RefinedDay } from './refined-day';
import type { QuotesSource } from '../ports/quotes-source';
import { scrapeDay } from './scrape-day';
import { ScrapeError, scrapePortfolios, type ScrapeDeps, type ScrapeResult } from './scrape-portfolio';
import type { QuotesScrapeResult } from './scrape-quotes';
import type { RefinementOutcome } from './start-refinement';

/**
 * What happens after an object lands in the lake. In AWS, S3 itself notifies the trigger Lambda;
 * locally and on the emulator an adapter builds the same S3 event and calls the same handler.
 * Resolves once the trigger has started (and, for these runners, finished) the job runs.
 */
export interface ObjectCreatedNotifier {
  objectsCreated(keys: readonly string[]): Promise<RefinementOutcome>;
}

export interface RunPipelineDeps extends ScrapeDeps {
  readonly notifier: ObjectCreatedNotifier;
  /** How many of the largest weights the summary lists (default 5). */
  readonly top?: number;
  /**
   * B3's COTAHIST: when given, the run also writes each portfolio's D-1 session quotes (as the
   * scraper does) and their ObjectCreated starts the quotes job, so the day can be checked.
   */
  readonly quotes?: QuotesSource;
}

/** One index's trip through the pipeline; snake_case like the columns it describes. */
export interface PipelineRun {
  readonly scraped: ScrapeResult;
  readonly run_ids: readonly string[];
  readonly refined: RefinedDay;
  /** Where the day's refined partitions are, e.g. /abs/lake/refined/b3_portfolio_refined/dt=2025-04-07. */
  readonly refined_location: string;
  /** The D-1 session's quotes written and refined with this portfolio, when the run fetched them. */
  readonly quotes?: QuotesScrapeResult;
}

/**
 * scrape (with `quotes`, the D-1 session's COTAHIST too) → raw objects written → ObjectCreated →
 * trigger handler → job runs → refined day read
 * back. The refined day is read after the notifier returns, which holds for the local and the
 * emulated runners (both run the job to completion before answering StartJobRun); the refined
 * row count must equal the raw one, since the job writes one row per ticker and index.
 * When some indexes are refused, the written ones still go through (S3 would announce them
 * too) and the refusal is thrown afterwards.
 */
export async function runPipeline(deps: RunPipelineDeps, indexCodes: readonly string[]): Promise<PipelineRun[]> {
  let written: readonly ScrapeResult[];
  let quotes: readonly QuotesScrapeResult[] = [];
  let refusal: ScrapeError | undefined;
  try {
    if (deps.quotes) ({ portfolios: written, quotes } = await scrapeDay({ ...deps, quotes: deps.quotes }, indexCodes));
    else written = await scrapePortfolios(deps, indexCodes);
  } catch (error) {
    if (!(error instanceof ScrapeError) || error.written.length === 0) throw error;
    refusal = error;
    written = error.written;
    quotes = error.writtenQuotes;
  }
  // S3 announces every object written, the quotes too; the trigger routes each to its job.
  const keys = [...written.map((w) => w.key), ...quotes.map((q) => q.key)];
  deps.progress?.(`trigger: ObjectCreated for ${keys.join(', ')}`);
  const outcome = await deps.notifier.objectsCreated(keys);
  const runIdsOf = (key: string): string[] => {
    const runIds = outcome.started.filter((s) => s.rawObjectKey === key).map((s) => s.runId);
    if (runIds.length === 0) throw new PipelineError(`run: the trigger started no job for ${key}, got ignored keys [${outcome.ignored.join(', ')}]`);
    return runIds;
  };
  for (const q of quotes) deps.progress?.(`refine: job run ${runIdsOf(q.key).join(', ')} done for the quotes of ${q.session_date}`);
  const runs: PipelineRun[] = [];
  for (const scraped of written) {
    const runIds = runIdsOf(scraped.key);
    deps.progress?.(`refine: job run ${runIds.join(', ')} done for ${scraped.index} ${scraped.portfolio_date}`);
    const refined = await readRefinedDay(deps.store, scraped.portfolio_date, scraped.index, deps.top ?? 5);
    if (refined.rows !== scraped.rows) {
      throw new PipelineError(
        `run: refined rows of ${scraped.index} ${scraped.portfolio_date} differ from the raw rows, got ${refined.rows} refined for ${scraped.rows} raw`,
      );
    }
    const sessionQuotes = quotes.find((q) => q.session_date === scraped.session_date);
    runs.push({
      scraped,
      run_ids: runIds,
      refined,
      refined_location: deps.store.describe(`${REFINED_TABLE_PREFIX}dt=${scraped.portfolio_date}`),
      ...(sessionQuotes ? { quotes: sessionQuotes } : {}),
    });
  }
  if (refusal) throw refusal;
  return runs;
}

import { randomUUID } from 'node:crypto';
import { rm, rmdir } from 'node:fs/promises';
import * as path from 'node:path';
import { ReplayCotahistSource, isSavedCotahist } from '../../adapters/b3-http/replay-cotahist-source';
import { assertCurrentLakeLayout } from '../../adapters/storage/lake-layout-check';
import { LocalLakeStore } from '../../adapters/storage/local-lake-store';
import { b3TradingCalendar } from '../../lib/calendar/trading-calendar';
import { ENV } from '../../lib/config/env-names';
import { UsageError } from '../../lib/errors';
import { scrapeDay } from '../../lib/pipeline/scrape-day';
import { formatScrapeResult, scrapePortfolios, type ScrapeDeps } from '../../lib/pipeline/scrape-portfolio';
import { replayQuotes } from '../../lib/pipeline/replay-quotes';
import { formatQuotesResult } from '../../lib/pipeline/scrape-quotes';
import { systemClock } from '../../lib/ports/clock';
import { B3_SOURCE_OPTIONS, b3SourceFromOptions, liveQuotesSource, parseIndexes } from '../b3-source-options';
import { parseOptions, type Command } from '../command';
import { asLakeWriter } from '../lake-access';

const HELP = `Usage: npm start -- scrape [--index IBOV] [--lake DIR] [--replay FILE ...] [--source json|csv] [--verbose]

Fetches an index portfolio from B3 (or replays a saved answer), validates it and writes it to
the local lake as raw Parquet: <lake>/raw/portfolio/dt=<portfolio_date>/<index>.parquet. Beside it,
a live scrape fetches B3's COTAHIST of the portfolio's D-1 session (session_date) into
<lake>/raw/quotes/dt=<session_date>/cotahist.parquet. A replayed COTAHIST writes its session's
partition; B3's monthly (COTAHIST_M…) or yearly (COTAHIST_A…) file, one partition per session it
holds. A refused answer writes nothing; the same day again overwrites the same file.

Options:
  --index CODE          index to scrape, repeatable or comma-separated (default: IBOV)
  --lake DIR            local data lake folder (default: ./lake)
  --replay FILE         parse a saved B3 body instead of calling B3: a portfolio (JSON, CSV, or the
                        download's base64) or a COTAHIST file (B3's zip or its text), told from its bytes;
                        repeatable for COTAHIST files (e.g. a folder of daily files: --replay $f each)
  --source SRC          json (default; falls back to the CSV download) or csv
  --base-url URL        B3 index service base URL (default: $${ENV.b3BaseUrl} or B3's public site)
  --quotes-base-url URL B3 COTAHIST base URL (default: $${ENV.cotahistBaseUrl} or B3's public site)
  --verbose             progress lines and stack traces on stderr
  -h, --help            show this help
`;

/** The lake a scrape writes into, refused in the old layout before anything is written. */
function localLake(dir: string): LocalLakeStore {
  assertCurrentLakeLayout(dir);
  return new LocalLakeStore(dir);
}

export const scrapeCommand: Command = {
  help: HELP,
  async run(argv, ctx) {
    const { replay: replays = [], ...opts } = parseOptions('scrape', argv, {
      ...B3_SOURCE_OPTIONS,
      replay: { type: 'string', multiple: true },
      lake: { type: 'string' },
      'quotes-base-url': { type: 'string' },
    });
    const lake = path.resolve(ctx.cwd, opts.lake ?? 'lake');
    const saved = replays.map((f) => path.resolve(ctx.cwd, f));
    if (saved.length > 0 && saved.every(isSavedCotahist)) {
      // A saved COTAHIST holds sessions' quotes, no portfolio: the portfolio options do not apply.
      const extra = (['index', 'source', 'base-url', 'quotes-base-url'] as const).filter((o) => opts[o] !== undefined);
      if (extra.length > 0) throw new UsageError(`scrape: --replay of a COTAHIST file takes no ${extra.map((o) => `--${o}`).join(', ')}, got them`);
      const written = await asLakeWriter(lake, 'scrape', ctx, async () => {
        // A monthly or yearly file's sessions wait here until the whole file has parsed; a dead
        // run's folder is swept by the next writer's recovery (.staging is the lake's scratch).
        const stagingDir = path.join(lake, '.staging', `replay-${randomUUID()}`);
        try {
          const files = saved.map((f) => new ReplayCotahistSource(f));
          return await replayQuotes({ files, store: localLake(lake), staging: new LocalLakeStore(stagingDir), progress: ctx.progress });
        } finally {
          await rm(stagingDir, { recursive: true, force: true });
          await rmdir(path.dirname(stagingDir)).catch(() => undefined); // only when empty
        }
      });
      for (const q of written) ctx.stdout(formatQuotesResult(q));
      return;
    }
    if (saved.length > 1) throw new UsageError(`scrape: several --replay files must all be COTAHIST files (a portfolio answer is replayed alone), got ${replays.join(', ')}`);
    const [replay] = replays;
    const indexes = parseIndexes('scrape', opts);
    const source = b3SourceFromOptions('scrape', { ...opts, ...(replay === undefined ? {} : { replay }) }, indexes, ctx);
    if (!source.live && opts['quotes-base-url'] !== undefined) {
      throw new UsageError('scrape: --replay reads a saved body, so --quotes-base-url does not apply, got both');
    }
    const written = await asLakeWriter(lake, 'scrape', ctx, async () => {
      const deps: ScrapeDeps = { source, store: localLake(lake), calendar: b3TradingCalendar, clock: systemClock, progress: ctx.progress };
      // A replayed portfolio is offline; only a live scrape fetches its session's quotes from B3.
      if (!source.live) return { portfolios: await scrapePortfolios(deps, indexes), quotes: [] };
      return scrapeDay({ ...deps, quotes: liveQuotesSource(opts, ctx) }, indexes);
    });
    for (const w of written.portfolios) ctx.stdout(formatScrapeResult(w));
    for (const q of written.quotes) ctx.stdout(formatQuotesResult(q));
  },
};

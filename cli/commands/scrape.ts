import * as path from 'node:path';
import { assertCurrentLakeLayout } from '../../adapters/storage/lake-layout-check';
import { LocalLakeStore } from '../../adapters/storage/local-lake-store';
import { b3TradingCalendar } from '../../lib/calendar/trading-calendar';
import { ENV } from '../../lib/config/env-names';
import { formatScrapeResult, scrapePortfolios } from '../../lib/pipeline/scrape-portfolio';
import { systemClock } from '../../lib/ports/clock';
import { B3_SOURCE_OPTIONS, b3SourceFromOptions, parseIndexes } from '../b3-source-options';
import { parseOptions, type Command } from '../command';
import { asLakeWriter } from '../lake-access';

const HELP = `Usage: npm start -- scrape [--index IBOV] [--lake DIR] [--replay FILE] [--source json|csv] [--verbose]

Fetches an index portfolio from B3 (or replays a saved answer), validates it and writes it to
the local lake as raw Parquet: <lake>/raw/portfolio/dt=<portfolio_date>/<index>.parquet. A refused
answer writes nothing; the same day again overwrites the same file.

Options:
  --index CODE     index to scrape, repeatable or comma-separated (default: IBOV)
  --lake DIR       local data lake folder (default: ./lake)
  --replay FILE    parse a saved B3 body (JSON, CSV, or the download's base64) instead of calling B3
  --source SRC     json (default; falls back to the CSV download) or csv
  --base-url URL   B3 service base URL (default: $${ENV.b3BaseUrl} or B3's public site)
  --verbose        progress lines and stack traces on stderr
  -h, --help       show this help
`;

/** The lake a scrape writes into, refused in the old layout before anything is written. */
function localLake(dir: string): LocalLakeStore {
  assertCurrentLakeLayout(dir);
  return new LocalLakeStore(dir);
}

export const scrapeCommand: Command = {
  help: HELP,
  async run(argv, ctx) {
    const opts = parseOptions('scrape', argv, { ...B3_SOURCE_OPTIONS, lake: { type: 'string' } });
    const indexes = parseIndexes('scrape', opts);
    const source = b3SourceFromOptions('scrape', opts, indexes, ctx);
    const lake = path.resolve(ctx.cwd, opts.lake ?? 'lake');
    const written = await asLakeWriter(lake, 'scrape', ctx, () =>
      scrapePortfolios({ source, store: localLake(lake), calendar: b3TradingCalendar, clock: systemClock, progress: ctx.progress }, indexes),
    );
    for (const w of written) ctx.stdout(formatScrapeResult(w));
  },
};

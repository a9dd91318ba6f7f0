import * as path from 'node:path';
import { B3HttpSource, parseSourceChoice } from '../../adapters/b3-http/b3-http-source';
import { ReplayFileSource } from '../../adapters/b3-http/replay-file-source';
import { LocalLakeStore } from '../../adapters/storage/local-lake-store';
import { assertIndexCode } from '../../lib/b3/sources';
import { b3TradingCalendar } from '../../lib/calendar/trading-calendar';
import { ENV } from '../../lib/config/env-names';
import { UsageError } from '../../lib/errors';
import { formatScrapeResult, scrapePortfolios } from '../../lib/pipeline/scrape-portfolio';
import type { B3Source } from '../../lib/ports/b3-source';
import { systemClock } from '../../lib/ports/clock';
import { parseOptions, type Command } from '../command';

const HELP = `Usage: npm start -- scrape [--index IBOV] [--lake DIR] [--replay FILE] [--source json|csv] [--verbose]

Fetches an index portfolio from B3 (or replays a saved answer), validates it and writes it to
the local lake as raw Parquet: <lake>/raw/dt=<portfolio_date>/<index>.parquet. A refused
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

export const scrapeCommand: Command = {
  help: HELP,
  async run(argv, ctx) {
    const opts = parseOptions('scrape', argv, {
      index: { type: 'string', multiple: true },
      lake: { type: 'string' },
      replay: { type: 'string' },
      source: { type: 'string' },
      'base-url': { type: 'string' },
    });
    let indexes: string[];
    try {
      indexes = [...new Set((opts.index ?? ['IBOV']).flatMap((v) => v.split(',')).map((v) => assertIndexCode(v)))];
    } catch (error) {
      throw new UsageError(`scrape: --index ${(error as Error).message}`);
    }
    let source: B3Source;
    if (opts.replay !== undefined) {
      if (opts.source !== undefined || opts['base-url'] !== undefined) {
        throw new UsageError('scrape: --replay reads a saved body, so --source and --base-url do not apply, got both');
      }
      if (indexes.length !== 1) throw new UsageError(`scrape: --replay holds one index's answer, got --index ${indexes.join(',')}`);
      source = new ReplayFileSource(path.resolve(ctx.cwd, opts.replay));
    } else {
      let choice;
      try {
        choice = parseSourceChoice(opts.source ?? 'json');
      } catch (error) {
        throw new UsageError(`scrape: --source must be json or csv, got ${JSON.stringify(opts.source)}`, { cause: error });
      }
      source = new B3HttpSource({
        baseUrl: opts['base-url'] ?? (ctx.env[ENV.b3BaseUrl]?.trim() || undefined),
        source: choice,
        log: ctx.progress,
      });
    }
    const written = await scrapePortfolios(
      {
        source,
        store: new LocalLakeStore(path.resolve(ctx.cwd, opts.lake ?? 'lake')),
        calendar: b3TradingCalendar,
        clock: systemClock,
        progress: ctx.progress,
      },
      indexes,
    );
    for (const w of written) ctx.stdout(formatScrapeResult(w));
  },
};

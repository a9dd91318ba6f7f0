import * as path from 'node:path';
import { realTiming } from '../../adapters/b3-http/http-get';
import { assertCurrentLakeLayout } from '../../adapters/storage/lake-layout-check';
import { LocalLakeStore } from '../../adapters/storage/local-lake-store';
import { isIsoDate } from '../../lib/calendar/iso-date';
import { b3TradingCalendar } from '../../lib/calendar/trading-calendar';
import { ENV } from '../../lib/config/env-names';
import { UsageError } from '../../lib/errors';
import { assertBackfillComplete, backfillQuotes, formatBackfillSummary, type BackfillStep } from '../../lib/pipeline/backfill-quotes';
import { liveQuotesSource } from '../b3-source-options';
import { parseOptions, type Command } from '../command';
import { asLakeWriter } from '../lake-access';
import { ProgressBar } from '../progress-bar';

/** About one request a second: B3's download host is a public service, not ours to hammer. */
export const DEFAULT_MIN_INTERVAL_MS = 1_000;

const HELP = `Usage: npm start -- backfill --from YYYY-MM-DD --to YYYY-MM-DD [--lake DIR] [--quotes-base-url URL] [--min-interval-ms N] [--verbose]

Fetches B3's COTAHIST of every B3 session from --from to --to (both included; weekends and B3
holidays are not sessions) into <lake>/raw/quotes/dt=<session>/cotahist.parquet, one session at a
time, each with the scraper's timeout, retry and backoff policy. Resumable: a session already in
raw is skipped, so a backfill stopped anywhere (or with failed sessions) is run again as is.
Prints a summary (fetched, skipped, failed); any failed session makes it exit 1. A progress bar
shows on stderr when it is a terminal. Holds the lake's lock for the whole range. Afterwards one
\`npm start -- refine\` processes every new day (its bookmark has not seen them).

For months or years at once, B3's monthly (COTAHIST_M…) or yearly (COTAHIST_A…) file, downloaded
by hand, can be replayed instead: npm start -- scrape --replay FILE.

Options:
  --from DAY            first day of the range, YYYY-MM-DD
  --to DAY              last day of the range, YYYY-MM-DD
  --lake DIR            local data lake folder (default: ./lake)
  --quotes-base-url URL B3 COTAHIST base URL (default: $${ENV.cotahistBaseUrl} or B3's public site)
  --min-interval-ms N   least time between the starts of two requests, in ms (default: ${DEFAULT_MIN_INTERVAL_MS})
  --verbose             a line per session and stack traces on stderr
  -h, --help            show this help
`;

function parseDay(name: string, value: string | undefined): string {
  if (value === undefined) throw new UsageError(`backfill: --${name} YYYY-MM-DD is required, got none`);
  if (!isIsoDate(value)) throw new UsageError(`backfill: --${name} must be a YYYY-MM-DD day, got ${JSON.stringify(value)}`);
  return value;
}

function parseInterval(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MIN_INTERVAL_MS;
  if (!/^\d+$/.test(value)) throw new UsageError(`backfill: --min-interval-ms must be a whole number of ms, got ${JSON.stringify(value)}`);
  return Number(value);
}

export const backfillCommand: Command = {
  help: HELP,
  async run(argv, ctx) {
    const opts = parseOptions('backfill', argv, {
      from: { type: 'string' },
      to: { type: 'string' },
      lake: { type: 'string' },
      'quotes-base-url': { type: 'string' },
      'min-interval-ms': { type: 'string' },
    });
    const from = parseDay('from', opts.from);
    const to = parseDay('to', opts.to);
    if (from > to) throw new UsageError(`backfill: --from must not be after --to, got ${from} after ${to}`);
    const minIntervalMs = parseInterval(opts['min-interval-ms']);
    const lake = path.resolve(ctx.cwd, opts.lake ?? 'lake');
    const bar = ProgressBar.forTerminal(ctx);
    // With a bar on the terminal every other line goes above it; in a pipe, lines only with --verbose.
    const say = bar ? (line: string) => bar.log(line) : ctx.progress;
    const quotes = liveQuotesSource(opts, ctx, say);
    const onStep = (s: BackfillStep) => {
      bar?.update(s.done, s.total, `${s.session_date} ${s.outcome}`);
      if (ctx.verbose || (bar && s.outcome === 'failed')) say(`backfill: ${s.done}/${s.total} ${s.session_date} ${s.outcome} (${s.detail})`);
    };
    const summary = await asLakeWriter(lake, 'backfill', ctx, async () => {
      assertCurrentLakeLayout(lake);
      try {
        return await backfillQuotes(
          {
            quotes,
            store: new LocalLakeStore(lake),
            calendar: b3TradingCalendar,
            timing: realTiming,
            minIntervalMs,
            onStep,
            ...(ctx.verbose ? { progress: say } : {}),
          },
          from,
          to,
        );
      } finally {
        bar?.end();
      }
    });
    ctx.stdout(formatBackfillSummary(summary));
    assertBackfillComplete(summary);
  },
};

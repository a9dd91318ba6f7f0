import * as path from 'node:path';
import { B3HttpError, B3SourceError } from '../../adapters/b3-http/errors';
import { isSavedCotahist, ReplayCotahistSource } from '../../adapters/b3-http/replay-cotahist-source';
import { checkD1Days } from '../../adapters/duckdb/d1-session-reader';
import { b3TradingCalendar } from '../../lib/calendar/trading-calendar';
import { ENV } from '../../lib/config/env-names';
import type { D1WeightCheck } from '../../lib/d1-session/weight-check';
import { ConfigError, PipelineError, UsageError } from '../../lib/errors';
import { runPipeline, type PipelineRun } from '../../lib/pipeline/run-pipeline';
import { ScrapeError } from '../../lib/pipeline/scrape-portfolio';
import { systemClock } from '../../lib/ports/clock';
import type { QuotesSource } from '../../lib/ports/quotes-source';
import { B3_SOURCE_OPTIONS, b3SourceFromOptions, liveQuotesSource, parseIndexes } from '../b3-source-options';
import { parseOptions, type Command } from '../command';
import { asLakeWriter } from '../lake-access';
import { awsTarget, localTarget, type PipelineTarget } from '../pipeline-targets';
import { formatRunSummary } from '../summary';
import { LOCAL_JOB, LOCAL_QUOTES_JOB } from './refine';

const HELP = `Usage: npm start -- run [--replay FILE [--quotes-replay FILE]] [--lake DIR] [--index IBOV] [--target local|aws] [--bucket NAME] [--verbose]

The whole pipeline for today's portfolio (also what \`npm start\` with no command does):
scrape B3 (or replay a saved answer), and B3's COTAHIST of the portfolio's D-1 session -> raw
Parquet -> the S3 ObjectCreated events, built as S3 sends them, to the glue-trigger Lambda's own
handler -> the refinement jobs (the portfolio's, the quotes') -> refined Parquet and the catalog. Prints the portfolio date, its D-1 session, the rows, the
partitions written and the five largest weights; locally also the cross-source check (B3's
weights against the D-1 session's closes in b3_portfolio_d1) and the index level at that close.
Without network, try \`npm run demo\`.

Options:
  --replay FILE     parse a saved B3 body (JSON, CSV, or the download's base64) instead of calling B3
  --quotes-replay FILE  with --replay: a saved COTAHIST (B3's zip or its text) of that portfolio's
                    D-1 session, instead of fetching it (without it a replay writes no quotes)
  --quotes-base-url URL B3 COTAHIST base URL (default: $${ENV.cotahistBaseUrl} or B3's public site)
  --index CODE      index to run, repeatable or comma-separated (default: IBOV)
  --source SRC      json (default; falls back to the CSV download) or csv
  --base-url URL    B3 service base URL (default: $${ENV.b3BaseUrl} or B3's public site)
  --target TARGET   local (default): the lake folder, the trigger handler and the DuckDB executor;
                    aws: S3, Glue StartJobRun/GetJob and the Data Catalog through the AWS SDK at
                    the emulator $AWS_ENDPOINT_URL (required); an emulator runs no job, so the run
                    is carried out locally over its S3 and catalog (EmulatedGlueRun)
  --lake DIR        local data lake folder, with --target local (default: ./lake)
  --bucket NAME     the lake bucket, with --target aws (default: $${ENV.lakeBucket})
  --job-name NAME   the portfolio's Glue job, with --target aws (default: $${ENV.glueJobName} or ${LOCAL_JOB.jobName});
                    the quotes job is $${ENV.quotesGlueJobName} or ${LOCAL_QUOTES_JOB.jobName}
  --verbose         progress lines and stack traces on stderr
  -h, --help        show this help
`;

/** The innermost cause's message: for a network failure, the resolver's or socket's own words. */
function rootMessage(error: unknown): string {
  let e = error as { message?: string; cause?: unknown } | undefined;
  while (e?.cause !== undefined && e.cause !== null) e = e.cause as { message?: string; cause?: unknown };
  return e?.message ?? String(e);
}

/** True when B3 never answered at all (DNS, refused connection, timeout): no network, not a bad answer. */
function unreachable(error: unknown): boolean {
  if (error instanceof B3HttpError) return error.status === null;
  if (error instanceof B3SourceError) return error.failures.length > 0 && error.failures.every((f) => unreachable(f.error));
  return false;
}

export const runCommand: Command = {
  help: HELP,
  async run(argv, ctx) {
    const opts = parseOptions('run', argv, {
      ...B3_SOURCE_OPTIONS,
      lake: { type: 'string' },
      target: { type: 'string' },
      bucket: { type: 'string' },
      'job-name': { type: 'string' },
      'quotes-replay': { type: 'string' },
      'quotes-base-url': { type: 'string' },
    });
    if (opts.replay !== undefined && isSavedCotahist(path.resolve(ctx.cwd, opts.replay))) {
      // run follows one portfolio through its job; a COTAHIST holds quotes, which scrape writes.
      throw new UsageError(`run: --replay takes a saved portfolio; a COTAHIST file is replayed by npm start -- scrape --replay FILE (then npm start -- refine), got ${opts.replay}`);
    }
    if (opts['quotes-replay'] !== undefined && opts.replay === undefined) {
      throw new UsageError(`run: --quotes-replay goes with --replay (a live run fetches the D-1 session's COTAHIST from B3), got it alone`);
    }
    if (opts.replay !== undefined && opts['quotes-base-url'] !== undefined) {
      throw new UsageError('run: --replay reads saved bodies, so --quotes-base-url does not apply, got both');
    }
    const indexes = parseIndexes('run', opts);
    const targetName = opts.target ?? 'local';
    let target: PipelineTarget;
    // The local lake is held for the whole run; in AWS mode S3 and the job's bookmark are the service's.
    let hold = <T>(body: () => Promise<T>): Promise<T> => body();
    // Locally the catalog has the view b3_portfolio_d1; on the emulator Athena runs no query.
    let checkDays: ((runs: readonly PipelineRun[]) => Promise<(D1WeightCheck | null)[]>) | undefined;
    if (targetName === 'local') {
      if (opts.bucket !== undefined || opts['job-name'] !== undefined) throw new UsageError('run: --bucket and --job-name are for --target aws, got them with --target local');
      const lake = path.resolve(ctx.cwd, opts.lake ?? 'lake');
      target = localTarget(lake);
      hold = (body) => asLakeWriter(lake, 'run', ctx, body);
      checkDays = (runs) => checkD1Days(lake, runs.map((r) => r.scraped));
    } else if (targetName === 'aws') {
      if (opts.lake !== undefined) throw new UsageError(`run: --lake is for --target local (aws writes to --bucket), got --lake ${opts.lake}`);
      const bucket = opts.bucket ?? (ctx.env[ENV.lakeBucket]?.trim() || undefined);
      if (bucket === undefined) throw new UsageError(`run: --target aws needs --bucket or $${ENV.lakeBucket}, got neither`);
      // Against AWS itself the deployed S3 notification starts the real job: emulating it as well
      // would run the day twice, into the same refined prefix.
      if (!ctx.env.AWS_ENDPOINT_URL?.trim()) {
        throw new ConfigError('run: --target aws drives an AWS emulator and needs AWS_ENDPOINT_URL (in AWS the deployed stack runs the pipeline), got none');
      }
      const jobNames = {
        portfolio: opts['job-name'] ?? (ctx.env[ENV.glueJobName]?.trim() || LOCAL_JOB.jobName),
        quotes: ctx.env[ENV.quotesGlueJobName]?.trim() || LOCAL_QUOTES_JOB.jobName,
      };
      target = awsTarget({ bucket, jobNames, env: ctx.env, progress: ctx.progress });
    } else {
      throw new UsageError(`run: --target must be local or aws, got ${JSON.stringify(targetName)}`);
    }
    const source = b3SourceFromOptions('run', opts, indexes, ctx);
    const quotesReplay = opts['quotes-replay'];
    const quotes: QuotesSource | undefined = source.live
      ? liveQuotesSource(opts, ctx)
      : quotesReplay === undefined
        ? undefined
        : new ReplayCotahistSource(path.resolve(ctx.cwd, quotesReplay));

    let runs: PipelineRun[];
    let checks: (D1WeightCheck | null)[] | undefined;
    try {
      runs = await hold(async () => {
        const done = await runPipeline({ source, quotes, store: target.store, notifier: target.notifier, calendar: b3TradingCalendar, clock: systemClock, progress: ctx.progress }, indexes);
        checks = await checkDays?.(done);
        return done;
      });
    } catch (error) {
      if (error instanceof ScrapeError && error.written.length === 0 && error.failures.every((f) => unreachable(f.error))) {
        throw new PipelineError(
          `run: B3 unreachable for ${error.failures.map((f) => f.index).join(', ')} (${rootMessage(error.failures[0].error)}), nothing written; without network, try the offline demo: npm run demo`,
          { cause: error },
        );
      }
      throw error;
    }
    ctx.stdout(runs.map((r, i) => formatRunSummary(r, target.catalogLabel, checks?.[i])).join('\n'));
  },
};

import { RAW_PORTFOLIO_PREFIX } from '../../lib/lake/layout';
import { REFINED_TABLE_PREFIX } from '../../lib/refined/refined-contract';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ReplayCotahistSource } from '../../adapters/b3-http/replay-cotahist-source';
import { ReplayFileSource } from '../../adapters/b3-http/replay-file-source';
import { checkD1Days } from '../../adapters/duckdb/d1-session-reader';
import { b3TradingCalendar } from '../../lib/calendar/trading-calendar';
import { runPipeline, type PipelineRun } from '../../lib/pipeline/run-pipeline';
import { systemClock } from '../../lib/ports/clock';
import { parseOptions, type Command, type CommandContext } from '../command';
import { asLakeWriter } from '../lake-access';
import { formatQueryResult, queryLocalCatalog } from '../local-query';
import { localTarget } from '../pipeline-targets';
import { formatD1Lines, formatRunLine } from '../summary';
import { describeReport, parseReportArgs, runReport } from './report';

/**
 * Real B3 answers shipped as the project's sample data (their origins are in samples/README.md),
 * oldest first: two JSON API answers (pt-br, en-us) and two CSV downloads. The tests read the same
 * files; the demo never reads the test tree. Named one by one: a file added there is not demo data
 * until it is listed here.
 */
export const DEMO_CAPTURES_DIR = path.join(__dirname, '..', '..', 'samples', 'b3');
export const DEMO_CAPTURES = [
  'GetPortfolioDay_ptbr_seg2_2022-12-08.json',
  'IBOVDia_21-08-23.csv',
  'IBOVDia_15-12-23.csv',
  'GetPortfolioDay_enus_seg2_2025-04-07.json',
] as const;

/**
 * The day the demo replays last, with B3's quotes of its D-1 session beside it (both real, in
 * samples/): the cross-source check and the index level at the D-1 close, as `run --replay …
 * --quotes-replay …` prints them.
 */
export const DEMO_D1_DAY = {
  portfolio: 'IBOVDia_11-11-24.csv',
  quotes: path.join('..', 'cotahist', 'COTAHIST_D08112024.ZIP'),
} as const;

/** The named Athena query the demo shows, run unchanged on the local catalog. */
export const DEMO_QUERY = path.join('athena', 'queries', 'top-weights-of-day.sql');

const HELP = `Usage: npm run demo [-- --lake DIR] [--verbose]
       npm start -- demo [--lake DIR] [--verbose]

The whole pipeline offline, on ${DEMO_CAPTURES.length + 1} real B3 answers captured on different days (two from the
JSON API, three CSV downloads, in samples/b3/). Each is replayed as \`run --replay\`
does: raw Parquet -> the S3 ObjectCreated event -> the glue-trigger handler -> the Glue job
on DuckDB -> refined Parquet and the local catalog. The last, ${DEMO_D1_DAY.portfolio}, comes with B3's
COTAHIST of its D-1 session (samples/cotahist/), refined by the quotes job: the demo prints
the check that B3's weights come from those closes, and the index level at the D-1 close.
Then it runs the named Athena query ${DEMO_QUERY} and builds the HTML report. Needs no
network and no AWS account.

Options:
  --lake DIR   local data lake folder (default: ./lake)
  --verbose    progress lines (shown anyway on a terminal) and stack traces on stderr
  -h, --help   show this help
`;

export const demoCommand: Command = {
  help: HELP,
  async run(argv, ctx) {
    const opts = parseOptions('demo', argv, { lake: { type: 'string' } });
    const lake = path.resolve(ctx.cwd, opts.lake ?? 'lake');
    await asLakeWriter(lake, 'demo', ctx, () => demo(lake, ctx));
  },
};

/** The walkthrough itself, holding the lake: its query and report read what it has just written. */
async function demo(lake: string, ctx: CommandContext): Promise<void> {
  const target = localTarget(lake);
  const runs: PipelineRun[] = [];
  const days = [...DEMO_CAPTURES.map((portfolio) => ({ portfolio, quotes: undefined })), DEMO_D1_DAY];
  for (const [i, day] of days.entries()) {
    const withQuotes = day.quotes === undefined ? '' : ` with its D-1 session's ${path.basename(day.quotes)}`;
    ctx.progress(`demo: ${i + 1}/${days.length} replaying ${day.portfolio}${withQuotes}`);
    const [run] = await runPipeline(
      {
        source: new ReplayFileSource(path.join(DEMO_CAPTURES_DIR, day.portfolio)),
        ...(day.quotes === undefined ? {} : { quotes: new ReplayCotahistSource(path.join(DEMO_CAPTURES_DIR, day.quotes)) }),
        store: target.store,
        notifier: target.notifier,
        calendar: b3TradingCalendar,
        clock: systemClock,
        progress: ctx.progress,
      },
      ['IBOV'],
    );
    runs.push(run);
    ctx.stdout(formatRunLine(run));
    if (day.quotes !== undefined) {
      const [check] = await checkD1Days(lake, [run.scraped]);
      ctx.stdout(formatD1Lines(run, check).join('\n'));
    }
  }
  ctx.stdout(`raw: ${path.join(lake, RAW_PORTFOLIO_PREFIX)}; refined: ${path.join(lake, REFINED_TABLE_PREFIX)}; ${target.catalogLabel}`);

  ctx.progress(`demo: query ${DEMO_QUERY}`);
  const sql = readFileSync(path.join(__dirname, '..', '..', DEMO_QUERY), 'utf8');
  ctx.stdout(`\n$ npm start -- query --file ${DEMO_QUERY}\n${formatQueryResult(await queryLocalCatalog(lake, sql), 'table')}`);

  ctx.progress('demo: building the report');
  const report = await runReport(parseReportArgs(['--lake', lake], ctx.cwd), ctx.progress);
  ctx.stdout(`\n$ npm start -- report\n${describeReport(report)}`);
  ctx.stdout(`\nNext: npm start -- query "SELECT dt, count(*) AS n FROM b3_portfolio_refined GROUP BY dt ORDER BY dt"`);
  ctx.stdout(`      npm start -- query --file athena/queries/d1-weight-check.sql   (each day's weights against its D-1 closes)`);
  const d1Day = runs[runs.length - 1].scraped.portfolio_date;
  ctx.stdout(`      npm start -- report --date ${d1Day}   (the report of the day with its D-1 quotes: the pregão D-1 section)`);
}

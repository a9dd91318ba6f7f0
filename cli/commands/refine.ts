import * as path from 'node:path';
import { bookmarkPath } from '../../adapters/duckdb/job-bookmark';
import { localCatalogPath } from '../../adapters/duckdb/local-catalog';
import { runGlueJobLocally, type LocalRunResult } from '../../adapters/duckdb/run-glue-job-locally';
import { b3PortfolioRefinedJob } from '../../glue-jobs/b3-portfolio-refined';
import { REFINED_TABLE, REFINED_TABLE_PREFIX } from '../../lib/refined/refined-contract';
import { isIsoDate } from '../../lib/calendar/iso-date';
import { UsageError } from '../../lib/errors';
import { parseOptions, type Command } from '../command';
import { faultHookFromEnv } from '../fault-hook';
import { asLakeWriter } from '../lake-access';

const HELP = `Usage: npm start -- refine [--date YYYY-MM-DD | --all] [--lake DIR] [--verbose]

Runs the Glue visual job (glue-jobs/b3-portfolio-refined.ts) locally on DuckDB, as Glue runs it
with its job bookmark: reads the raw Parquet objects of <lake>/raw/portfolio/ that no earlier
run has read, rebuilds every day they belong to from all of that day's raw objects, writes
<lake>/${REFINED_TABLE_PREFIX}dt=<day>/ticker=<ticker>/ (replacing those days), registers the
table ${REFINED_TABLE} in the local catalog <lake>/catalog.duckdb, and then advances the
bookmark (<lake>/.bookmarks/). With nothing new it says so, writes nothing and exits 0.

Options:
  (none)       the raw objects the bookmark has not seen (what each Glue run does)
  --date DAY   reprocess one portfolio date from all of <lake>/raw/portfolio/dt=DAY/; the
               bookmark is left as it is
  --all        rebuild every day under <lake>/raw/portfolio/, in bounded batches, and reset
               the bookmark to everything read
  --lake DIR   local data lake folder (default: ./lake)
  --verbose    progress lines and stack traces on stderr
  -h, --help   show this help
`;

/** The local stand-in names: the bucket is the lake folder, the role is never assumed. */
export const LOCAL_JOB = { jobName: 'b3-portfolio-refined', roleArn: 'arn:aws:iam::000000000000:role/local', bucket: 'local-lake' } as const;

/** One line of what a run did, for people: days, rows, where. */
export function describeRefineRun(result: LocalRunResult, lakeDir: string): string {
  if (result.days.length === 0) {
    return `refine: nothing new since the last run (bookmark ${bookmarkPath(lakeDir, LOCAL_JOB.jobName)}); no partition written, ${path.join(lakeDir, REFINED_TABLE_PREFIX)} unchanged`;
  }
  const span = result.days.length === 1 ? result.days[0] : `${result.days[0]}..${result.days[result.days.length - 1]}`;
  return (
    `refined ${result.rows} rows for ${result.days.length} day(s) ${span} from ${result.newObjects.length} raw object(s) into ` +
    `${path.join(lakeDir, REFINED_TABLE_PREFIX).replace(/\/$/, '')}; table ${REFINED_TABLE} in ${localCatalogPath(lakeDir)}`
  );
}

export const refineCommand: Command = {
  help: HELP,
  async run(argv, ctx) {
    const opts = parseOptions('refine', argv, { date: { type: 'string' }, all: { type: 'boolean' }, lake: { type: 'string' } });
    if (opts.date !== undefined && opts.all) throw new UsageError('refine: give at most one of --date or --all, got both');
    if (opts.date !== undefined && !isIsoDate(opts.date)) throw new UsageError(`refine: --date must be a YYYY-MM-DD day, got ${JSON.stringify(opts.date)}`);
    const lakeDir = path.resolve(ctx.cwd, opts.lake ?? 'lake');
    const fault = faultHookFromEnv(ctx.env);
    const result = await asLakeWriter(lakeDir, 'refine', ctx, () =>
      runGlueJobLocally({
        job: b3PortfolioRefinedJob(LOCAL_JOB),
        lakeDir,
        ...(opts.date !== undefined ? { date: opts.date } : opts.all ? { all: true } : {}),
        onProgress: (p) => {
          if (p.batch.length) ctx.progress(`refine: ${p.daysDone}/${p.daysTotal} days (${p.batch[0]}..${p.batch[p.batch.length - 1]}), ${p.rows} rows`);
        },
        fault,
      }),
    );
    ctx.stdout(describeRefineRun(result, lakeDir));
  },
};

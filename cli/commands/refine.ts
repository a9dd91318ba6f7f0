import type { CreateJobRequest } from '@aws-sdk/client-glue';
import * as path from 'node:path';
import { bookmarkPath } from '../../adapters/duckdb/job-bookmark';
import { localCatalogPath } from '../../adapters/duckdb/local-catalog';
import { NoRawDataError, runGlueJobLocally, type LocalRunResult } from '../../adapters/duckdb/run-glue-job-locally';
import { REFINEMENT_JOBS } from '../../glue-jobs/refinement-jobs';
import type { VisualJobOptions } from '../../glue-jobs/visual-job-request';
import { REFINED_TABLE, REFINED_TABLE_PREFIX } from '../../lib/refined/refined-contract';
import { QUOTES_REFINED_PREFIX, QUOTES_REFINED_TABLE } from '../../lib/refined/quotes-refined-contract';
import { isIsoDate, type IsoDate } from '../../lib/calendar/iso-date';
import { PipelineError, UsageError } from '../../lib/errors';
import type { RefinedDataset } from '../../lib/pipeline/refinement-routes';
import { parseOptions, type Command } from '../command';
import { faultHookFromEnv } from '../fault-hook';
import { asLakeWriter } from '../lake-access';

const HELP = `Usage: npm start -- refine [--date YYYY-MM-DD | --all] [--lake DIR] [--verbose]

Runs the two Glue visual jobs locally on DuckDB, as Glue runs them, each with its own job
bookmark: b3-portfolio-refined (glue-jobs/b3-portfolio-refined.ts) over <lake>/raw/portfolio/
and b3-quotes-refined (glue-jobs/b3-quotes-refined.ts) over <lake>/raw/quotes/. Each reads the
raw objects no earlier run of it has read, rebuilds every day they belong to from all of that
day's raw objects, writes <lake>/${REFINED_TABLE_PREFIX}dt=<day>/ticker=<ticker>/ and
<lake>/${QUOTES_REFINED_PREFIX}dt=<session>/ (replacing those days), registers the tables
${REFINED_TABLE} and ${QUOTES_REFINED_TABLE} in the local catalog <lake>/catalog.duckdb, and then
advances its bookmark (<lake>/.bookmarks/). With nothing new it says so, writes nothing and exits 0.

Options:
  (none)       the raw objects each bookmark has not seen (what each Glue run does)
  --date DAY   reprocess the raw partition dt=DAY of each dataset that has one: the portfolio of
               that date (<lake>/raw/portfolio/dt=DAY/) and the quotes of that session
               (<lake>/raw/quotes/dt=DAY/); the bookmarks are left as they are; a day in
               neither is an error
  --all        rebuild every day under <lake>/raw/portfolio/ and <lake>/raw/quotes/, in bounded
               batches, and reset the bookmarks to everything read
  --lake DIR   local data lake folder (default: ./lake)
  --verbose    progress lines and stack traces on stderr
  -h, --help   show this help
`;

/** The local stand-in names: the bucket is the lake folder, the role is never assumed. */
export const LOCAL_JOB = { jobName: 'b3-portfolio-refined', roleArn: 'arn:aws:iam::000000000000:role/local', bucket: 'local-lake' } as const;
export const LOCAL_QUOTES_JOB = { ...LOCAL_JOB, jobName: 'b3-quotes-refined' } as const;

/** Each dataset's local job, and the table a line about its run names. */
export const LOCAL_JOBS: Readonly<Record<RefinedDataset, { readonly options: VisualJobOptions; readonly table: string; readonly prefix: string }>> = {
  portfolio: { options: LOCAL_JOB, table: REFINED_TABLE, prefix: REFINED_TABLE_PREFIX },
  quotes: { options: LOCAL_QUOTES_JOB, table: QUOTES_REFINED_TABLE, prefix: QUOTES_REFINED_PREFIX },
};

/** The local job names the trigger starts for each dataset. */
export const LOCAL_JOB_NAMES = Object.fromEntries(
  Object.entries(LOCAL_JOBS).map(([dataset, { options }]) => [dataset, options.jobName]),
) as Readonly<Record<RefinedDataset, string>>;

/** Every dataset's job definition as run locally, in the order refine runs them. */
export function localRefinementJobs(): Array<{ readonly dataset: RefinedDataset; readonly job: CreateJobRequest }> {
  return (Object.keys(LOCAL_JOBS) as RefinedDataset[]).map((dataset) => ({ dataset, job: REFINEMENT_JOBS[dataset](LOCAL_JOBS[dataset].options) }));
}

/** One line of what a run did, for people: days, rows, where. */
export function describeRefineRun(result: LocalRunResult, lakeDir: string, dataset: RefinedDataset): string {
  const { options, table, prefix } = LOCAL_JOBS[dataset];
  if (result.days.length === 0) {
    return `refine: nothing new since the last run (bookmark ${bookmarkPath(lakeDir, options.jobName)}); no partition written, ${path.join(lakeDir, prefix)} unchanged`;
  }
  const span = result.days.length === 1 ? result.days[0] : `${result.days[0]}..${result.days[result.days.length - 1]}`;
  return (
    `refined ${result.rows} rows for ${result.days.length} day(s) ${span} from ${result.newObjects.length} raw object(s) into ` +
    `${path.join(lakeDir, prefix).replace(/\/$/, '')}; table ${table} in ${localCatalogPath(lakeDir)}`
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
    const date: IsoDate | undefined = opts.date;
    const lines = await asLakeWriter(lakeDir, 'refine', ctx, async () => {
      const out: string[] = [];
      const missing: NoRawDataError[] = [];
      for (const { dataset, job } of localRefinementJobs()) {
        try {
          const result = await runGlueJobLocally({
            job,
            lakeDir,
            ...(date !== undefined ? { date } : opts.all ? { all: true } : {}),
            onProgress: (p) => {
              if (p.batch.length) ctx.progress(`refine: ${job.Name} ${p.daysDone}/${p.daysTotal} days (${p.batch[0]}..${p.batch[p.batch.length - 1]}), ${p.rows} rows`);
            },
            fault,
          });
          out.push(describeRefineRun(result, lakeDir, dataset));
        } catch (error) {
          // --date and --all name days; a dataset without them is skipped, and only if none has them is it an error.
          if (!(error instanceof NoRawDataError)) throw error;
          missing.push(error);
          out.push(`refine: ${job.Name} skipped, ${error.message.replace(/^local-job: /, '')}; ${path.join(lakeDir, LOCAL_JOBS[dataset].prefix)} unchanged`);
        }
      }
      if (missing.length === out.length) {
        const searched = missing.flatMap((e) => e.searched).join(', ');
        throw new PipelineError(date !== undefined ? `refine: no raw partition for ${date}, got no Parquet under ${searched}` : `refine: nothing to refine, got no dt= partitions under ${searched}`);
      }
      return out;
    });
    ctx.stdout(lines.join('\n'));
  },
};

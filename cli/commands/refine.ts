import * as path from 'node:path';
import { localCatalogPath } from '../../adapters/duckdb/local-catalog';
import { runGlueJobLocally } from '../../adapters/duckdb/run-glue-job-locally';
import { b3PortfolioRefinedJob } from '../../glue-jobs/b3-portfolio-refined';
import { REFINED_TABLE } from '../../lib/refined/refined-contract';
import { isIsoDate } from '../../lib/calendar/iso-date';
import { UsageError } from '../../lib/errors';
import { parseOptions, type Command } from '../command';
import { faultHookFromEnv } from '../fault-hook';
import { asLakeWriter } from '../lake-access';

const HELP = `Usage: npm start -- refine (--date YYYY-MM-DD | --all) [--lake DIR] [--verbose]

Runs the Glue visual job (glue-jobs/b3-portfolio-refined.ts) locally on DuckDB: reads the raw
Parquet of the lake, writes refined Parquet to <lake>/refined/dt=<day>/ticker=<ticker>/,
replacing the days it writes, and registers the table ${REFINED_TABLE} in the local
catalog <lake>/catalog.duckdb so it can be queried by name.

Options:
  --date DAY   refine one portfolio date: reads only <lake>/raw/dt=DAY/ (like the job bookmark)
  --all        refine every day under <lake>/raw/, in bounded batches
  --lake DIR   local data lake folder (default: ./lake)
  --verbose    progress lines and stack traces on stderr
  -h, --help   show this help
`;

/** The local stand-in names: the bucket is the lake folder, the role is never assumed. */
export const LOCAL_JOB = { jobName: 'b3-portfolio-refined', roleArn: 'arn:aws:iam::000000000000:role/local', bucket: 'local-lake' } as const;

export const refineCommand: Command = {
  help: HELP,
  async run(argv, ctx) {
    const opts = parseOptions('refine', argv, { date: { type: 'string' }, all: { type: 'boolean' }, lake: { type: 'string' } });
    if ((opts.date === undefined) === !opts.all) throw new UsageError(`refine: give exactly one of --date or --all, got ${opts.date === undefined ? 'neither' : 'both'}`);
    if (opts.date !== undefined && !isIsoDate(opts.date)) throw new UsageError(`refine: --date must be a YYYY-MM-DD day, got ${JSON.stringify(opts.date)}`);
    const lakeDir = path.resolve(ctx.cwd, opts.lake ?? 'lake');
    const fault = faultHookFromEnv(ctx.env);
    const result = await asLakeWriter(lakeDir, 'refine', ctx, () =>
      runGlueJobLocally({
        job: b3PortfolioRefinedJob(LOCAL_JOB),
        lakeDir,
        ...(opts.date !== undefined ? { date: opts.date } : { all: true }),
        onProgress: (p) => ctx.progress(`refine: ${p.daysDone}/${p.daysTotal} days (${p.batch[0]}..${p.batch[p.batch.length - 1]}), ${p.rows} rows`),
        fault,
      }),
    );
    const span = result.days.length === 1 ? result.days[0] : `${result.days[0]}..${result.days[result.days.length - 1]}`;
    ctx.stdout(`refined ${result.rows} rows for ${result.days.length} day(s) ${span} into ${path.join(lakeDir, 'refined')}; table ${REFINED_TABLE} in ${localCatalogPath(lakeDir)}`);
  },
};

/**
 * One local run of the Glue job as its own process, as `npm start -- refine` does it.
 * Usage: node --import tsx bench/glue-local/refine-process.ts <lake> (--date DAY | --all | --bookmark) [batch-days]
 */
import { runGlueJobLocally } from '../../adapters/duckdb/run-glue-job-locally';
import { LOCAL_JOB } from '../../cli/commands/refine';
import { b3PortfolioRefinedJob } from '../../glue-jobs/b3-portfolio-refined';

async function main(): Promise<void> {
  const started = performance.now();
  const [lakeDir, mode, arg] = process.argv.slice(2);
  const job = b3PortfolioRefinedJob(LOCAL_JOB);
  const result =
    mode === '--all'
      ? await runGlueJobLocally({ job, lakeDir, all: true, ...(arg ? { batchDays: Number(arg) } : {}) })
      : mode === '--bookmark'
        ? await runGlueJobLocally({ job, lakeDir })
        : await runGlueJobLocally({ job, lakeDir, date: arg });
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ days: result.days.length, rows: result.rows, ms: Math.round(performance.now() - started), maxRssMiB: Math.round(maxRssMiB) })}\n`);
}

main().catch((e) => {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exit(1);
});

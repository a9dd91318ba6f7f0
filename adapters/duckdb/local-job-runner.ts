import type { CreateJobRequest } from '@aws-sdk/client-glue';
import { isIsoDate } from '../../lib/calendar/iso-date';
import { PipelineError } from '../../lib/errors';
import { JOB_ARGS, type JobRunner } from '../../lib/ports/job-runner';
import { runGlueJobLocally, type LocalRunResult } from './run-glue-job-locally';

export interface LocalJobRunnerOptions {
  /** The job definition to run (glue-jobs/), whose Name the trigger starts. */
  readonly job: CreateJobRequest;
  readonly lakeDir: string;
  readonly onRun?: (result: LocalRunResult) => void;
}

/**
 * The JobRunner of local mode: the trigger's "start the job" runs the DAG on DuckDB for the
 * portfolio date it passes, to completion, and returns the local run id.
 */
export class LocalJobRunner implements JobRunner {
  constructor(private readonly opts: LocalJobRunnerOptions) {}

  async startRun(jobName: string, args: Readonly<Record<string, string>>): Promise<string> {
    if (jobName !== this.opts.job.Name) throw new PipelineError(`local-job: unknown job, got ${jobName} (this runner runs ${this.opts.job.Name})`);
    const date = args[JOB_ARGS.portfolioDate];
    if (date === undefined || !isIsoDate(date)) throw new PipelineError(`local-job: ${JOB_ARGS.portfolioDate} must be YYYY-MM-DD, got ${date}`);
    const result = await runGlueJobLocally({ job: this.opts.job, lakeDir: this.opts.lakeDir, date });
    this.opts.onRun?.(result);
    return result.runId;
  }
}

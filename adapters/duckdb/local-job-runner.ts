import type { CreateJobRequest } from '@aws-sdk/client-glue';
import { PipelineError } from '../../lib/errors';
import type { JobRunner } from '../../lib/ports/job-runner';
import { runGlueJobLocally, type LocalRunResult } from './run-glue-job-locally';

export interface LocalJobRunnerOptions {
  /** The job definition to run (glue-jobs/), whose Name the trigger starts. */
  readonly job: CreateJobRequest;
  readonly lakeDir: string;
  readonly onRun?: (result: LocalRunResult) => void;
}

/**
 * The JobRunner of local mode: the trigger's "start the job" runs the DAG on DuckDB to
 * completion and returns the local run id. As in Glue, the run reads what the job bookmark has
 * not seen, not the object named in the arguments (they only label the run): two events for one
 * object give two runs, and the second finds nothing new.
 */
export class LocalJobRunner implements JobRunner {
  constructor(private readonly opts: LocalJobRunnerOptions) {}

  async startRun(jobName: string, _args: Readonly<Record<string, string>>): Promise<string> {
    if (jobName !== this.opts.job.Name) throw new PipelineError(`local-job: unknown job, got ${jobName} (this runner runs ${this.opts.job.Name})`);
    const result = await runGlueJobLocally({ job: this.opts.job, lakeDir: this.opts.lakeDir });
    this.opts.onRun?.(result);
    return result.runId;
  }
}

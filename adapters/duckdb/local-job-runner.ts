import type { CreateJobRequest } from '@aws-sdk/client-glue';
import { PipelineError } from '../../lib/errors';
import type { JobRunner } from '../../lib/ports/job-runner';
import { runGlueJobLocally, type LocalRunResult } from './run-glue-job-locally';

export interface LocalJobRunnerOptions {
  /** The job definitions it runs (glue-jobs/), by the Name the trigger starts; each keeps its own bookmark. */
  readonly jobs: readonly CreateJobRequest[];
  readonly lakeDir: string;
  readonly onRun?: (result: LocalRunResult, jobName: string) => void;
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
    const job = this.opts.jobs.find((j) => j.Name === jobName);
    if (!job) throw new PipelineError(`local-job: unknown job, got ${jobName} (this runner runs ${this.opts.jobs.map((j) => j.Name).join(', ')})`);
    const result = await runGlueJobLocally({ job, lakeDir: this.opts.lakeDir });
    this.opts.onRun?.(result, jobName);
    return result.runId;
  }
}

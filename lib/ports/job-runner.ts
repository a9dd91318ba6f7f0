/** Starts a run of a batch job: Glue in AWS, the local DuckDB executor locally. */
export interface JobRunner {
  /** Starts the job with `--name value` arguments and returns the run id. */
  startRun(jobName: string, args: Readonly<Record<string, string>>): Promise<string>;
}

/** Run arguments the trigger passes to the refinement job (Glue wants the `--` prefix). */
export const JOB_ARGS = {
  portfolioDate: '--portfolio_date',
  /** The quotes job's day: the COTAHIST session of the object. */
  sessionDate: '--session_date',
  rawObjectKey: '--raw_object_key',
} as const;

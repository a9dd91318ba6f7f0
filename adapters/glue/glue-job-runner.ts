import { StartJobRunCommand, type GlueClient } from '@aws-sdk/client-glue';
import { PipelineError } from '../../lib/errors';
import type { JobRunner } from '../../lib/ports/job-runner';

/** JobRunner on AWS Glue: one StartJobRun per run. The client is injected (region, endpoint, retries). */
export class GlueJobRunner implements JobRunner {
  constructor(private readonly glue: GlueClient) {}

  async startRun(jobName: string, args: Readonly<Record<string, string>>): Promise<string> {
    const out = await this.glue.send(new StartJobRunCommand({ JobName: jobName, Arguments: { ...args } }));
    if (!out.JobRunId) throw new PipelineError(`glue: StartJobRun returned no run id, got job ${jobName}`);
    return out.JobRunId;
  }
}

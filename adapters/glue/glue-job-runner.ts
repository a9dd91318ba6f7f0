import { StartJobRunCommand, type GlueClient } from '@aws-sdk/client-glue';
import { PipelineError } from '../../lib/errors';
import type { JobRunner } from '../../lib/ports/job-runner';

/**
 * JobRunner on AWS Glue: one StartJobRun per run. The client is injected (region, endpoint, retries).
 * A refusal (ConcurrentRunsExceededException, ThrottlingException once the SDK's own retries are
 * spent, a missing job) becomes one line with Glue's error code and the attempts made: Glue's own
 * messages ("Rate exceeded") name neither, and the operator needs both to judge a retry.
 */
export class GlueJobRunner implements JobRunner {
  constructor(private readonly glue: GlueClient) {}

  async startRun(jobName: string, args: Readonly<Record<string, string>>): Promise<string> {
    let out;
    try {
      out = await this.glue.send(new StartJobRunCommand({ JobName: jobName, Arguments: { ...args } }));
    } catch (err) {
      throw new PipelineError(`glue: StartJobRun refused, got ${describeSdkError(err)}`, { cause: err });
    }
    if (!out.JobRunId) throw new PipelineError(`glue: StartJobRun returned no run id, got job ${jobName}`);
    return out.JobRunId;
  }
}

/** `<code> after <n> attempts: <message>` from an SDK error (or anything thrown). */
function describeSdkError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const attempts = (err as { $metadata?: { attempts?: number } }).$metadata?.attempts;
  const tries = attempts !== undefined && attempts > 1 ? ` after ${attempts} attempts` : '';
  return `${err.name}${tries}: ${err.message}`;
}

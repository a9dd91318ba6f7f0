import { GlueClient } from '@aws-sdk/client-glue';
import { Logger } from '@aws-lambda-powertools/logger';
import { GlueJobRunner } from '../../adapters/glue/glue-job-runner';
import { ENV } from '../../lib/config/env-names';
import { readEnv } from '../../lib/config/read-env';
import type { JobRunner } from '../../lib/ports/job-runner';
import { startRefinement, type RefinementOutcome, type S3ObjectRecord } from '../../lib/pipeline/start-refinement';

export interface TriggerDeps {
  readonly jobRunner: JobRunner;
  readonly jobName: string;
  readonly logger: Logger;
}

/** Built on the first invocation and cached: nothing reads the environment at import time. */
export function defaultDeps(): TriggerDeps {
  const env = readEnv(process.env, [ENV.glueJobName]);
  return {
    // The SDK's standard retries (3 attempts, jittered backoff under 1 s and 2 s for throttling)
    // end well inside the 30 s timeout, so a refusal throws a clear error, not a timeout; Lambda's
    // async retries (1 and 2 minutes later) then the on-failure queue take over. See docs/glue-job.md.
    jobRunner: new GlueJobRunner(new GlueClient({ retryMode: 'standard', maxAttempts: 3 })),
    jobName: env[ENV.glueJobName],
    logger: new Logger({ serviceName: 'glue-trigger' }),
  };
}

/** S3 ObjectCreated on raw/*.parquet → start the refinement job for each raw portfolio object. */
export function createHandler(makeDeps: () => TriggerDeps) {
  let deps: TriggerDeps | undefined;
  return async (event: { Records?: readonly S3ObjectRecord[] }): Promise<RefinementOutcome> => {
    deps ??= makeDeps();
    const outcome = await startRefinement(event.Records ?? [], deps);
    for (const run of outcome.started) deps.logger.info('job run started', { jobName: deps.jobName, ...run });
    if (outcome.ignored.length > 0) deps.logger.warn('keys ignored', { keys: [...outcome.ignored] });
    return outcome;
  };
}

export const handler = createHandler(defaultDeps);

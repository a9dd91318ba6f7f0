import { GlueClient } from '@aws-sdk/client-glue';
import { Logger } from '@aws-lambda-powertools/logger';
import { GlueJobRunner } from '../../adapters/glue/glue-job-runner';
import { readEnv } from '../../lib/config/read-env';
import type { JobRunner } from '../../lib/ports/job-runner';
import { REFINEMENT_ROUTES, type RefinedDataset } from '../../lib/pipeline/refinement-routes';
import { startRefinement, type RefinementOutcome, type S3ObjectRecord } from '../../lib/pipeline/start-refinement';

export interface TriggerDeps {
  readonly jobRunner: JobRunner;
  /** The job each dataset's objects start. */
  readonly jobNames: Readonly<Record<RefinedDataset, string>>;
  readonly logger: Logger;
}

/** Built on the first invocation and cached: nothing reads the environment at import time. */
export function defaultDeps(): TriggerDeps {
  const env = readEnv(process.env, REFINEMENT_ROUTES.map((r) => r.jobNameEnv));
  return {
    // The SDK's standard retries (3 attempts, jittered backoff under 1 s and 2 s for throttling)
    // end well inside the 30 s timeout, so a refusal throws a clear error, not a timeout; Lambda's
    // async retries (1 and 2 minutes later) then the on-failure queue take over. See docs/glue-job.md.
    jobRunner: new GlueJobRunner(new GlueClient({ retryMode: 'standard', maxAttempts: 3 })),
    jobNames: Object.fromEntries(REFINEMENT_ROUTES.map((r) => [r.dataset, env[r.jobNameEnv]])) as Record<RefinedDataset, string>,
    logger: new Logger({ serviceName: 'glue-trigger' }),
  };
}

/** S3 ObjectCreated on a routed raw prefix → start its dataset's refinement job for each object. */
export function createHandler(makeDeps: () => TriggerDeps) {
  let deps: TriggerDeps | undefined;
  return async (event: { Records?: readonly S3ObjectRecord[] }): Promise<RefinementOutcome> => {
    deps ??= makeDeps();
    const outcome = await startRefinement(event.Records ?? [], deps);
    for (const run of outcome.started) deps.logger.info('job run started', { ...run });
    if (outcome.ignored.length > 0) deps.logger.warn('keys ignored', { keys: [...outcome.ignored] });
    return outcome;
  };
}

export const handler = createHandler(defaultDeps);

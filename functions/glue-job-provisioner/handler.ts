import { GlueClient } from '@aws-sdk/client-glue';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { parseProvisionEvent } from '../../lib/glue-job/provision-event';
import { provisionJob, type ProvisionDeps, type ProvisionResult } from './provision-job';

/** Built on the first invocation and cached: nothing runs at import time. */
export function defaultDeps(): ProvisionDeps {
  return { glue: new GlueClient({}), logger: new Logger({ serviceName: 'glue-job-provisioner' }) };
}

/**
 * Invoked by Terraform's aws_lambda_invocation (lifecycle_scope CRUD) with `{ job, tf }`. A thrown
 * error fails the invocation, and with it the terraform apply, which is what we want.
 */
export function createHandler(makeDeps: () => ProvisionDeps) {
  let deps: ProvisionDeps | undefined;
  return async (event: unknown, context: Pick<Context, 'invokedFunctionArn'>): Promise<ProvisionResult> => {
    deps ??= makeDeps();
    const parsed = parseProvisionEvent(event);
    deps.logger.appendKeys({ action: parsed.action, jobName: parsed.job.Name });
    return provisionJob(parsed, context.invokedFunctionArn, deps);
  };
}

export const handler = createHandler(defaultDeps);

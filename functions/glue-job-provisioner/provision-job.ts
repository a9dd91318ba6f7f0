import {
  CreateJobCommand,
  DeleteJobCommand,
  GetTagsCommand,
  TagResourceCommand,
  UpdateJobCommand,
  type CreateJobRequest,
  type GlueClient,
} from '@aws-sdk/client-glue';
import type { Logger } from '@aws-lambda-powertools/logger';
import { DEFINITION_TAG, definitionSha256, glueJobArn, toUpdateJobRequest } from '../../lib/glue-job/job-requests';
import type { ProvisionEvent } from '../../lib/glue-job/provision-event';

export interface ProvisionDeps {
  readonly glue: GlueClient;
  readonly logger: Logger;
  /**
   * Waits before retrying a call Glue refused with AccessDeniedException. On the first apply
   * Terraform invokes the provisioner moments after creating its IAM policy, and IAM is
   * eventually consistent; a real lack of permission still fails, after these waits.
   */
  readonly accessDeniedRetryDelaysMs?: readonly number[];
}

const DEFAULT_ACCESS_DENIED_DELAYS_MS = [1_000, 2_000, 4_000, 8_000];

/** What the steps below call: the client (wrapped with the retry) and the logger. */
interface Calls {
  readonly glue: Pick<GlueClient, 'send'>;
  readonly logger: Logger;
}

/** What the provisioner did; Terraform keeps it as the invocation's `result`. */
export interface ProvisionResult {
  readonly action: ProvisionEvent['action'];
  readonly jobName: string;
  readonly outcome: 'created' | 'updated' | 'deleted' | 'already-absent' | 'kept-for-newer-definition';
  readonly definitionSha256: string;
  /** On an update that renamed the job: what happened to the job under the old name. */
  readonly previous?: { readonly jobName: string; readonly outcome: ProvisionResult['outcome'] };
}

/**
 * Applies one lifecycle event to Glue. Every step is idempotent, because Terraform may retry and
 * the job may have been changed by hand: create of an existing job updates it, update of a missing
 * job creates it, delete of a missing job succeeds.
 * `siblingArn` is any ARN in the job's account and region (the Lambda's own), for the job's ARN.
 */
export async function provisionJob(event: ProvisionEvent, siblingArn: string, given: ProvisionDeps): Promise<ProvisionResult> {
  const { job, previousJob, action } = event;
  const deps: Calls = { logger: given.logger, glue: retryingAccessDenied(given) };
  if (action === 'delete') return deleteJob(job, siblingArn, deps);
  const outcome = await putJob(job, action === 'create' ? 'create-first' : 'update-first', siblingArn, deps);
  const written = { action, jobName: job.Name!, outcome, definitionSha256: definitionSha256(job) };
  if (action === 'update' && previousJob && previousJob.Name !== job.Name) {
    // UpdateJob cannot rename: the new job now exists, so the old one goes.
    const old = await deleteJob(previousJob, siblingArn, deps);
    return { ...written, previous: { jobName: old.jobName, outcome: old.outcome } };
  }
  return written;
}

async function putJob(
  job: CreateJobRequest,
  order: 'create-first' | 'update-first',
  siblingArn: string,
  deps: Calls,
): Promise<'created' | 'updated'> {
  const sha = definitionSha256(job);
  const create = async (): Promise<'created'> => {
    await deps.glue.send(new CreateJobCommand({ ...job, Tags: { ...job.Tags, [DEFINITION_TAG]: sha } }));
    return 'created';
  };
  const update = async (): Promise<'updated'> => {
    await deps.glue.send(new UpdateJobCommand(toUpdateJobRequest(job)));
    // UpdateJob carries no tags: refresh the definition's own tags and the marker separately.
    await deps.glue.send(
      new TagResourceCommand({ ResourceArn: glueJobArn(siblingArn, job.Name!), TagsToAdd: { ...job.Tags, [DEFINITION_TAG]: sha } }),
    );
    return 'updated';
  };
  let outcome: 'created' | 'updated';
  if (order === 'create-first') {
    outcome = await create().catch((err: unknown) => (errorName(err) === 'AlreadyExistsException' ? update() : Promise.reject(err)));
  } else {
    outcome = await update().catch((err: unknown) => (errorName(err) === 'EntityNotFoundException' ? create() : Promise.reject(err)));
  }
  deps.logger.info('glue job written', { jobName: job.Name, outcome, definitionSha256: sha });
  return outcome;
}

/**
 * Deletes the job unless a newer definition has taken it over. The invocation is replaced
 * create-before-destroy when its trigger (the definition's hash) changes, so Terraform first
 * writes the new definition into the same job and then asks to delete the old one: the tag
 * written with the job tells the two apart, and the job (with its bookmark and run history) stays.
 */
async function deleteJob(job: CreateJobRequest, siblingArn: string, deps: Calls): Promise<ProvisionResult> {
  const jobName = job.Name!;
  const sha = definitionSha256(job);
  const result = (outcome: ProvisionResult['outcome']): ProvisionResult => {
    deps.logger.info('glue job delete', { jobName, outcome, definitionSha256: sha });
    return { action: 'delete', jobName, outcome, definitionSha256: sha };
  };
  let tags: Record<string, string>;
  try {
    tags = (await deps.glue.send(new GetTagsCommand({ ResourceArn: glueJobArn(siblingArn, jobName) }))).Tags ?? {};
  } catch (err) {
    if (errorName(err) === 'EntityNotFoundException') return result('already-absent');
    throw err;
  }
  const owner = tags[DEFINITION_TAG];
  if (owner !== undefined && owner !== sha) return result('kept-for-newer-definition');
  // DeleteJob succeeds on a missing job (the API says no exception is thrown), so no race here.
  await deps.glue.send(new DeleteJobCommand({ JobName: jobName }));
  return result('deleted');
}

/** The client's `send`, retried on AccessDeniedException only (see accessDeniedRetryDelaysMs). */
function retryingAccessDenied(deps: ProvisionDeps): Pick<GlueClient, 'send'> {
  const delays = deps.accessDeniedRetryDelaysMs ?? DEFAULT_ACCESS_DENIED_DELAYS_MS;
  const send = async (command: Parameters<GlueClient['send']>[0]): Promise<unknown> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await deps.glue.send(command);
      } catch (err) {
        if (errorName(err) !== 'AccessDeniedException' || attempt >= delays.length) throw err;
        deps.logger.warn('glue refused access, retrying while IAM propagates', { attempt: attempt + 1, waitMs: delays[attempt] });
        await new Promise((r) => setTimeout(r, delays[attempt]));
      }
    }
  };
  return { send } as Pick<GlueClient, 'send'>;
}

function errorName(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}

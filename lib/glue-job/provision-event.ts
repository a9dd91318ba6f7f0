import type { CreateJobRequest } from '@aws-sdk/client-glue';
import { PipelineError } from '../errors';
import { requireName } from './job-requests';

/**
 * The payload `aws_lambda_invocation` sends with `lifecycle_scope = "CRUD"`: the resource's own
 * `input` (here `{ job }`) plus, under `tf`, the lifecycle action and the previous input (null on
 * create; on delete the provider sends the input held in state). See the provider's
 * internal/service/lambda/invocation.go, buildInput.
 */
export interface ProvisionInput {
  readonly job: CreateJobRequest;
}

export type ProvisionAction = 'create' | 'update' | 'delete';

export interface ProvisionEvent extends ProvisionInput {
  readonly action: ProvisionAction;
  /** The job as Terraform last applied it; null on create. */
  readonly previousJob: CreateJobRequest | null;
}

const ACTIONS: readonly ProvisionAction[] = ['create', 'update', 'delete'];

/** Checks the shape the provisioner relies on; anything else is refused, never guessed. */
export function parseProvisionEvent(event: unknown): ProvisionEvent {
  const root = asObject(event, 'the event');
  const job = parseJob(root.job, 'job');
  const tf = asObject(root.tf, 'tf (is lifecycle_scope "CRUD"?)');
  const action = tf.action;
  if (typeof action !== 'string' || !(ACTIONS as readonly string[]).includes(action)) {
    throw new PipelineError(`glue-job-provisioner: tf.action must be create, update or delete, got ${JSON.stringify(action)}`);
  }
  const prev = tf.prev_input;
  const previousJob = prev === null || prev === undefined ? null : parseJob(asObject(prev, 'tf.prev_input').job, 'tf.prev_input.job');
  return { job, action: action as ProvisionAction, previousJob };
}

function parseJob(value: unknown, where: string): CreateJobRequest {
  const job = asObject(value, where) as unknown as CreateJobRequest;
  requireName(job);
  if (typeof job.Role !== 'string' || job.Role === '') {
    throw new PipelineError(`glue-job-provisioner: ${where}.Role must be a role ARN, got ${JSON.stringify(job.Role)}`);
  }
  if (job.Command === null || typeof job.Command !== 'object') {
    throw new PipelineError(`glue-job-provisioner: ${where}.Command must be an object, got ${JSON.stringify(job.Command)}`);
  }
  return job;
}

function asObject(value: unknown, where: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new PipelineError(`glue-job-provisioner: ${where} must be a JSON object, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value as Record<string, unknown>;
}

import { createHash } from 'node:crypto';
import type { CreateJobRequest, JobUpdate, UpdateJobRequest } from '@aws-sdk/client-glue';
import { PipelineError } from '../errors';

/**
 * Pure mappings between the job definition (a Glue `CreateJobRequest`, the single source of truth)
 * and the other requests the provisioner sends. No SDK client here, only its types.
 */

/**
 * CreateJobRequest fields that JobUpdate lacks. If an SDK upgrade adds a CreateJob field that
 * UpdateJob cannot carry, this stops compiling instead of silently dropping the field on update.
 */
type CreateOnlyField = Exclude<keyof CreateJobRequest, keyof JobUpdate>;
const CREATE_ONLY_FIELDS: readonly CreateOnlyField[] = ['Name', 'Tags'];
type Exhaustive<T extends never> = T;
export type _CreateOnlyFieldsCovered = Exhaustive<Exclude<CreateOnlyField, (typeof CREATE_ONLY_FIELDS)[number]>>;

/** Tag the provisioner puts on the job: the hash of the definition that last wrote it. */
export const DEFINITION_TAG = 'pipeline:definition-sha256';

/**
 * UpdateJob replaces the whole job with JobUpdate (fields left out are reset), so every field of
 * the definition is carried over; `Name` becomes `JobName`, and `Tags` go through TagResource.
 */
export function toUpdateJobRequest(job: CreateJobRequest): UpdateJobRequest {
  const { Name, Tags: _tags, ...update } = job;
  return { JobName: requireName(job), JobUpdate: update satisfies JobUpdate };
}

/** The job name, checked: every request is keyed on it. */
export function requireName(job: CreateJobRequest): string {
  if (typeof job.Name !== 'string' || job.Name.trim() === '') {
    throw new PipelineError(`glue-job: the definition has no Name, got ${JSON.stringify(job.Name)}`);
  }
  return job.Name;
}

/**
 * JSON with object keys sorted at every level. Terraform hands the Lambda its input re-encoded by
 * Go's encoding/json (keys sorted), so a hash over plain JSON.stringify would differ between synth
 * and the provisioner; over this form both sides agree.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** sha256 (hex) of the definition's canonical JSON: the invocation's trigger and the job's tag. */
export function definitionSha256(job: CreateJobRequest): string {
  return createHash('sha256').update(canonicalJson(job)).digest('hex');
}

/** `arn:<partition>:glue:<region>:<account>:job/<name>`, from the ARN of any resource in the same account and region. */
export function glueJobArn(siblingArn: string, jobName: string): string {
  const parts = siblingArn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || !parts[1] || !parts[3] || !parts[4]) {
    throw new PipelineError(`glue-job: cannot derive partition, region and account from an ARN, got ${JSON.stringify(siblingArn)}`);
  }
  return `arn:${parts[1]}:glue:${parts[3]}:${parts[4]}:job/${jobName}`;
}

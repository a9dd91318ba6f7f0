import { canonicalJson, definitionSha256, glueJobArn, toUpdateJobRequest } from '../../../lib/glue-job/job-requests';
import { parseProvisionEvent } from '../../../lib/glue-job/provision-event';
import { sampleJob } from '../../functions/glue-job-provisioner/sample-job';

test('toUpdateJobRequest keeps every field but Name (now JobName) and Tags', () => {
  const job = sampleJob('refined');
  const { Name: _n, Tags: _t, ...rest } = job;
  expect(toUpdateJobRequest(job)).toEqual({ JobName: 'refined', JobUpdate: rest });
  expect(Object.keys(toUpdateJobRequest(job).JobUpdate!).sort()).toEqual(
    ['Command', 'CodeGenConfigurationNodes', 'DefaultArguments', 'ExecutionClass', 'GlueVersion', 'JobMode',
      'JobRunQueuingEnabled', 'NumberOfWorkers', 'Role', 'Timeout', 'WorkerType'].sort(),
  );
});

test('toUpdateJobRequest refuses a definition without a name', () => {
  expect(() => toUpdateJobRequest(sampleJob(''))).toThrow('glue-job: the definition has no Name, got ""');
});

test('canonicalJson sorts keys at every level and keeps array order', () => {
  expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null, u: undefined } })).toBe(
    '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
  );
});

test('definitionSha256 does not depend on key order, and changes with any value', () => {
  const job = sampleJob('refined');
  const reordered = JSON.parse(canonicalJson(job));
  expect(definitionSha256(reordered)).toBe(definitionSha256(job));
  expect(definitionSha256(job)).toMatch(/^[0-9a-f]{64}$/);
  expect(definitionSha256(sampleJob('refined', { Timeout: 31 }))).not.toBe(definitionSha256(job));
});

test('glueJobArn takes partition, region and account from a sibling ARN', () => {
  expect(glueJobArn('arn:aws-cn:lambda:cn-north-1:111122223333:function:p', 'j')).toBe('arn:aws-cn:glue:cn-north-1:111122223333:job/j');
  expect(() => glueJobArn('not-an-arn', 'j')).toThrow('glue-job: cannot derive partition, region and account from an ARN, got "not-an-arn"');
});

describe('parseProvisionEvent', () => {
  const job = sampleJob('refined');

  test('reads action, job and the previous job', () => {
    expect(parseProvisionEvent({ job, tf: { action: 'update', prev_input: { job: sampleJob('old') } } })).toEqual({
      job,
      action: 'update',
      previousJob: sampleJob('old'),
    });
    expect(parseProvisionEvent({ job, tf: { action: 'create', prev_input: null } }).previousJob).toBeNull();
  });

  test('refuses an event without the CRUD lifecycle key', () => {
    expect(() => parseProvisionEvent({ job })).toThrow(
      'glue-job-provisioner: tf (is lifecycle_scope "CRUD"?) must be a JSON object, got undefined',
    );
  });

  test('refuses an unknown action', () => {
    expect(() => parseProvisionEvent({ job, tf: { action: 'read', prev_input: null } })).toThrow(
      'glue-job-provisioner: tf.action must be create, update or delete, got "read"',
    );
  });

  test('refuses a job without a role', () => {
    const { Role: _r, ...noRole } = job;
    expect(() => parseProvisionEvent({ job: noRole, tf: { action: 'create', prev_input: null } })).toThrow(
      'glue-job-provisioner: job.Role must be a role ARN, got undefined',
    );
  });
});

import { GetJobCommand, GetTagsCommand } from '@aws-sdk/client-glue';
import { Logger } from '@aws-lambda-powertools/logger';
import { createHandler } from '../../../functions/glue-job-provisioner/handler';
import { DEFINITION_TAG, definitionSha256 } from '../../../lib/glue-job/job-requests';
import { emulatorGlue } from '../../adapters/aws/emulator-glue';
import { crudPayload, lambdaContext, sampleJob } from './sample-job';

/*
 * The real handler against the AWS emulator (moto, started by the jest globalSetup): create then
 * delete. moto 5.2 has no UpdateJob and drops JobMode, so those are checked on the serialized
 * requests in serialized-requests.int.test.ts.
 */

const glue = emulatorGlue();
const handler = createHandler(() => ({ glue, logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }) }));
const arn = (name: string) => `arn:aws:glue:us-east-1:123456789012:job/${name}`;

test('create makes a job whose GetJob returns the CodeGenConfigurationNodes; delete removes it', async () => {
  const job = sampleJob('provisioner-create-delete');
  const created = await handler(crudPayload({ job }, 'create', null), lambdaContext);
  expect(created).toEqual({
    action: 'create',
    jobName: 'provisioner-create-delete',
    outcome: 'created',
    definitionSha256: definitionSha256(job),
  });

  const got = (await glue.send(new GetJobCommand({ JobName: 'provisioner-create-delete' }))).Job!;
  expect(got.CodeGenConfigurationNodes).toEqual(job.CodeGenConfigurationNodes);
  expect(got.Command).toEqual(job.Command);
  expect(got.Role).toBe(job.Role);
  expect(got.WorkerType).toBe('G.1X');
  expect(got.NumberOfWorkers).toBe(2);
  expect(got.ExecutionClass).toBe('FLEX');
  const tags = (await glue.send(new GetTagsCommand({ ResourceArn: arn('provisioner-create-delete') }))).Tags;
  expect(tags).toEqual({ component: 'refined', [DEFINITION_TAG]: definitionSha256(job) });

  const deleted = await handler(crudPayload({ job }, 'delete', { job }), lambdaContext);
  expect(deleted.outcome).toBe('deleted');
  await expect(glue.send(new GetJobCommand({ JobName: 'provisioner-create-delete' }))).rejects.toMatchObject({
    name: 'EntityNotFoundException',
  });
});

test('a replacement (new definition created first, old one deleted after) leaves the job with the new definition', async () => {
  const before = sampleJob('provisioner-replace');
  const after = sampleJob('provisioner-replace', { Timeout: 45 });
  await handler(crudPayload({ job: before }, 'create', null), lambdaContext);
  // create_before_destroy: Terraform creates the new invocation, then destroys the old one. (moto's
  // CreateJob overwrites an existing job where Glue answers AlreadyExistsException; that fallback
  // to UpdateJob is covered in serialized-requests.int.test.ts.)
  await handler(crudPayload({ job: after }, 'create', null), lambdaContext);
  const kept = await handler(crudPayload({ job: before }, 'delete', { job: before }), lambdaContext);

  expect(kept.outcome).toBe('kept-for-newer-definition');
  const got = (await glue.send(new GetJobCommand({ JobName: 'provisioner-replace' }))).Job!;
  expect(got.Timeout).toBe(45);

  const gone = await handler(crudPayload({ job: after }, 'delete', { job: after }), lambdaContext);
  expect(gone.outcome).toBe('deleted');
  await expect(glue.send(new GetJobCommand({ JobName: 'provisioner-replace' }))).rejects.toMatchObject({
    name: 'EntityNotFoundException',
  });
});

import { GlueClient } from '@aws-sdk/client-glue';
import { Logger } from '@aws-lambda-powertools/logger';
import { createHandler } from '../../../functions/glue-job-provisioner/handler';
import { definitionSha256, DEFINITION_TAG } from '../../../lib/glue-job/job-requests';
import { FakeGlue } from '../../support/fake-glue';
import { crudPayload, lambdaContext, sampleJob } from './sample-job';

/*
 * The provisioner against a loopback HTTP server standing in for Glue. moto 5.2 has no UpdateJob and
 * drops JobMode from CreateJob, so the update path, the idempotent fallbacks and JobMode are checked
 * here on the requests the real SDK serializes (X-Amz-Target and JSON body). Create and delete
 * against the emulator are in provisioner.int.test.ts.
 */

const ARN = 'arn:aws:glue:us-east-1:123456789012:job/';
let fake: FakeGlue;
let handler: ReturnType<typeof createHandler>;

beforeEach(async () => {
  fake = await FakeGlue.start();
  const glue = new GlueClient({
    endpoint: fake.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  // 1 ms waits: the retry on AccessDeniedException is exercised without slowing the suite.
  handler = createHandler(() => ({
    glue,
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    accessDeniedRetryDelaysMs: [1, 1],
  }));
});
afterEach(() => fake.close());

test('update sends UpdateJob with the whole definition (JobMode and nodes included, no Name, no Tags), then refreshes the tags', async () => {
  const before = sampleJob('refined', { NumberOfWorkers: 3 });
  const after = sampleJob('refined');
  const result = await handler(crudPayload({ job: after }, 'update', { job: before }), lambdaContext);

  const sha = definitionSha256(after);
  expect(result).toEqual({ action: 'update', jobName: 'refined', outcome: 'updated', definitionSha256: sha });
  expect(fake.operations()).toEqual(['UpdateJob', 'TagResource']);
  const { Name: _name, Tags: _tags, ...jobUpdate } = after;
  expect(fake.requests[0].body).toEqual({ JobName: 'refined', JobUpdate: jobUpdate });
  expect((fake.requests[0].body.JobUpdate as Record<string, unknown>).JobMode).toBe('VISUAL');
  expect((fake.requests[0].body.JobUpdate as Record<string, unknown>).NumberOfWorkers).toBe(2);
  expect(fake.requests[1].body).toEqual({
    ResourceArn: `${ARN}refined`,
    TagsToAdd: { component: 'refined', [DEFINITION_TAG]: sha },
  });
});

test('create sends CreateJob with JobMode VISUAL, the nodes and the definition tag', async () => {
  const job = sampleJob('refined');
  const result = await handler(crudPayload({ job }, 'create', null), lambdaContext);

  expect(result.outcome).toBe('created');
  expect(fake.operations()).toEqual(['CreateJob']);
  expect(fake.requests[0].body).toEqual({ ...job, Tags: { component: 'refined', [DEFINITION_TAG]: definitionSha256(job) } });
  expect(fake.requests[0].body.JobMode).toBe('VISUAL');
});

test('create of a job that already exists updates it instead', async () => {
  fake.answerWith((req) => (req.operation === 'CreateJob' ? { error: 'AlreadyExistsException' } : { ok: {} }));
  const result = await handler(crudPayload({ job: sampleJob('refined') }, 'create', null), lambdaContext);

  expect(result.outcome).toBe('updated');
  expect(fake.operations()).toEqual(['CreateJob', 'UpdateJob', 'TagResource']);
});

test('update of a job deleted out of band creates it again', async () => {
  fake.answerWith((req) => (req.operation === 'UpdateJob' ? { error: 'EntityNotFoundException' } : { ok: {} }));
  const job = sampleJob('refined');
  const result = await handler(crudPayload({ job }, 'update', { job }), lambdaContext);

  expect(result.outcome).toBe('created');
  expect(fake.operations()).toEqual(['UpdateJob', 'CreateJob']);
});

test('update that renames the job writes the new one, then deletes the old one', async () => {
  const old = sampleJob('refined-old');
  fake.answerWith((req) =>
    req.operation === 'UpdateJob'
      ? { error: 'EntityNotFoundException' }
      : req.operation === 'GetTags'
        ? { ok: { Tags: { [DEFINITION_TAG]: definitionSha256(old) } } }
        : { ok: {} },
  );
  const result = await handler(crudPayload({ job: sampleJob('refined-new') }, 'update', { job: old }), lambdaContext);

  expect(result.previous).toEqual({ jobName: 'refined-old', outcome: 'deleted' });
  expect(fake.operations()).toEqual(['UpdateJob', 'CreateJob', 'GetTags', 'DeleteJob']);
  expect(fake.requests[0].body.JobName).toBe('refined-new');
  expect(fake.requests[2].body).toEqual({ ResourceArn: `${ARN}refined-old` });
  expect(fake.requests[3].body).toEqual({ JobName: 'refined-old' });
});

test('delete of a job that is gone succeeds without calling DeleteJob', async () => {
  fake.answerWith(() => ({ error: 'EntityNotFoundException' }));
  const result = await handler(crudPayload({ job: sampleJob('refined') }, 'delete', { job: sampleJob('refined') }), lambdaContext);

  expect(result.outcome).toBe('already-absent');
  expect(fake.operations()).toEqual(['GetTags']);
});

test('delete keeps the job when a newer definition wrote it (create-before-destroy replacement)', async () => {
  fake.answerWith(() => ({ ok: { Tags: { [DEFINITION_TAG]: definitionSha256(sampleJob('refined', { Timeout: 45 })) } } }));
  const job = sampleJob('refined');
  const result = await handler(crudPayload({ job }, 'delete', { job }), lambdaContext);

  expect(result.outcome).toBe('kept-for-newer-definition');
  expect(fake.operations()).toEqual(['GetTags']);
});

test('any other Glue error fails the invocation at once, and with it the apply', async () => {
  fake.answerWith(() => ({ error: 'InvalidInputException' }));
  await expect(handler(crudPayload({ job: sampleJob('refined') }, 'create', null), lambdaContext)).rejects.toMatchObject({
    name: 'InvalidInputException',
  });
  expect(fake.operations()).toEqual(['CreateJob']);
});

test('AccessDeniedException is retried while IAM propagates, then succeeds', async () => {
  let refusals = 2;
  fake.answerWith(() => (refusals-- > 0 ? { error: 'AccessDeniedException' } : { ok: {} }));
  const result = await handler(crudPayload({ job: sampleJob('refined') }, 'create', null), lambdaContext);
  expect(result.outcome).toBe('created');
  expect(fake.operations()).toEqual(['CreateJob', 'CreateJob', 'CreateJob']);
});

test('AccessDeniedException that outlasts the retries fails the invocation', async () => {
  fake.answerWith(() => ({ error: 'AccessDeniedException' }));
  await expect(handler(crudPayload({ job: sampleJob('refined') }, 'create', null), lambdaContext)).rejects.toMatchObject({
    name: 'AccessDeniedException',
  });
  expect(fake.operations()).toEqual(['CreateJob', 'CreateJob', 'CreateJob']);
});

import { Logger } from '@aws-lambda-powertools/logger';
import { s3ObjectCreatedEvent } from '../../../adapters/local-events/s3-event';
import { createHandler, defaultDeps } from '../../../functions/glue-trigger/handler';
import { ENV } from '../../../lib/config/env-names';
import { PipelineError } from '../../../lib/errors';
import { JOB_ARGS } from '../../../lib/ports/job-runner';
import { rawObjectKey } from '../../../lib/raw/raw-key';
import { FakeGlue, type FakeAnswer, type RecordedRequest } from '../../support/fake-glue';

/*
 * A refused StartJobRun must not lose a day: the real handler, with the GlueClient its own
 * defaultDeps builds (retry settings included), against the loopback Glue stand-in answering the
 * refusals moto never gives. The invocation fails with one line naming the key, nothing is logged
 * as started, and the next invocation of the same event (Lambda's asynchronous retry) starts the run.
 */

const JOB = 'b3t-test-refine';
const DAY = '2025-07-14';
const KEY = rawObjectKey('IBOV', DAY);
const QUOTES_JOB = 'b3t-test-refine-quotes';
const saved = { endpoint: process.env.AWS_ENDPOINT_URL_GLUE, job: process.env[ENV.glueJobName], quotesJob: process.env[ENV.quotesGlueJobName] };
let fake: FakeGlue;

beforeAll(async () => {
  fake = await FakeGlue.start();
  // The SDK's per-service endpoint variable: only Glue goes to the stand-in.
  process.env.AWS_ENDPOINT_URL_GLUE = fake.endpoint;
  process.env[ENV.glueJobName] = JOB;
  process.env[ENV.quotesGlueJobName] = QUOTES_JOB;
});
afterAll(async () => {
  for (const [name, value] of [['AWS_ENDPOINT_URL_GLUE', saved.endpoint], [ENV.glueJobName, saved.job], [ENV.quotesGlueJobName, saved.quotesJob]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await fake.close();
});
beforeEach(() => fake.requests.splice(0));

/** The handler as deployed, with a silent logger whose `info` the test reads. */
function deployedHandler() {
  const logger = new Logger({ serviceName: 'glue-trigger', logLevel: 'SILENT' });
  const info = jest.spyOn(logger, 'info');
  const handler = createHandler(() => ({ ...defaultDeps(), logger }));
  return { handler, startedLogs: () => info.mock.calls.filter(([message]) => message === 'job run started') };
}

/** The ObjectCreated event S3 sends for the raw object, URL-encoded key included. */
const event = s3ObjectCreatedEvent(
  { key: KEY, body: new Uint8Array([80, 65, 82, 49]) },
  { bucket: 'b3t-test-lake', eventTime: new Date('2025-07-14T10:00:01.000Z'), sequence: 1 },
);

/** Answers StartJobRun with `refusals` first, then with a run id. */
function refuseThenStart(...refusals: FakeAnswer[]): void {
  let n = 0;
  fake.answerWith((req) => (req.operation !== 'StartJobRun' ? { ok: {} } : (refusals[n++] ?? { ok: { JobRunId: 'jr_after_retry' } })));
}

const startJobRuns = (): RecordedRequest[] => fake.requests.filter((r) => r.operation === 'StartJobRun');
const expectedRequest = { JobName: JOB, Arguments: { [JOB_ARGS.portfolioDate]: DAY, [JOB_ARGS.rawObjectKey]: KEY } };
const startedRun = { rawObjectKey: KEY, dataset: 'portfolio', jobName: JOB, day: DAY, runId: 'jr_after_retry' };

/** The invocation's error: a PipelineError on one line. */
async function invocationError(run: Promise<unknown>): Promise<string> {
  const err = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PipelineError);
  const message = (err as Error).message;
  expect(message).not.toMatch(/\n/);
  return message;
}

describe('glue-trigger when Glue refuses StartJobRun', () => {
  it('fails on ConcurrentRunsExceededException after one request (the SDK does not retry it), and the retry starts the run', async () => {
    const { handler, startedLogs } = deployedHandler();
    refuseThenStart({ error: 'ConcurrentRunsExceededException' });

    expect(await invocationError(handler(event))).toBe(
      `trigger: could not start job ${JOB} for 1 object(s), got ${KEY} ` +
        '(glue: StartJobRun refused, got ConcurrentRunsExceededException: fake glue: ConcurrentRunsExceededException)',
    );
    expect(startJobRuns().map((r) => r.body)).toEqual([expectedRequest]);
    expect(startedLogs()).toEqual([]);

    // Lambda's asynchronous retry hands the same event to the same (warm) handler.
    await expect(handler(event)).resolves.toEqual({ started: [startedRun], ignored: [] });
    expect(startJobRuns().map((r) => r.body)).toEqual([expectedRequest, expectedRequest]);
    expect(startedLogs()).toEqual([['job run started', startedRun]]);
  });

  it('fails on ThrottlingException once the SDK has spent its 3 attempts, inside the Lambda timeout', async () => {
    const { handler, startedLogs } = deployedHandler();
    // Glue's throttling answer: HTTP 400, code ThrottlingException, "Rate exceeded".
    const throttled: FakeAnswer = { error: 'ThrottlingException', message: 'Rate exceeded' };
    refuseThenStart(throttled, throttled, throttled);

    const started = performance.now();
    expect(await invocationError(handler(event))).toBe(
      `trigger: could not start job ${JOB} for 1 object(s), got ${KEY} ` +
        '(glue: StartJobRun refused, got ThrottlingException after 3 attempts: Rate exceeded)',
    );
    const requests = startJobRuns();
    expect(requests.map((r) => r.body)).toEqual([expectedRequest, expectedRequest, expectedRequest]);
    // The trigger's timeout is 30 s (stacks/pipeline-stack.ts): the error must come before it.
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(startedLogs()).toEqual([]);

    await expect(handler(event)).resolves.toEqual({ started: [startedRun], ignored: [] });
    expect(startJobRuns()).toHaveLength(4);
  });

  it('rides out a short throttle inside one invocation: the SDK retries and the run starts', async () => {
    const { handler, startedLogs } = deployedHandler();
    refuseThenStart({ error: 'ThrottlingException', message: 'Rate exceeded' });

    await expect(handler(event)).resolves.toEqual({ started: [startedRun], ignored: [] });
    expect(startJobRuns().map((r) => r.body)).toEqual([expectedRequest, expectedRequest]);
    expect(startedLogs()).toHaveLength(1);
  });
});

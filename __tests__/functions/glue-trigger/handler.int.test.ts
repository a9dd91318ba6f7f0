import { CreateJobCommand, GetJobRunsCommand, GlueClient } from '@aws-sdk/client-glue';
import { Logger } from '@aws-lambda-powertools/logger';
import { GlueJobRunner } from '../../../adapters/glue/glue-job-runner';
import { createHandler, defaultDeps } from '../../../functions/glue-trigger/handler';
import { ConfigError } from '../../../lib/errors';

// The real handler with the real Glue adapter against moto (AWS_ENDPOINT_URL from the jest globalSetup).
const glue = new GlueClient({});
const jobName = `refine-${process.pid}-${Date.now()}`;

/** The shape S3 sends: keys URL-encoded, several records in one event. */
function s3Event(keys: string[]) {
  return {
    Records: keys.map((key) => ({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: '2025-07-15T10:00:01.000Z',
      eventName: 'ObjectCreated:Put',
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'raw-parquet',
        bucket: { name: 'b3-dev-lake', arn: 'arn:aws:s3:::b3-dev-lake' },
        object: { key, size: 4242, eTag: '0123456789abcdef', sequencer: '0055AED6DCD90281E5' },
      },
    })),
  };
}

beforeAll(async () => {
  await glue.send(
    new CreateJobCommand({
      Name: jobName,
      Role: 'arn:aws:iam::123456789012:role/glue',
      Command: { Name: 'glueetl', ScriptLocation: 's3://b3-dev-lake/scripts/refine.py' },
      MaxRetries: 0,
    }),
  );
});

describe('glue-trigger handler against the emulator', () => {
  it('starts exactly one Glue run per raw portfolio object, with day and key as arguments', async () => {
    const handler = createHandler(() => ({
      jobRunner: new GlueJobRunner(glue),
      jobNames: { portfolio: jobName, quotes: `${jobName}-quotes` },
      logger: new Logger({ serviceName: 'glue-trigger', logLevel: 'SILENT' }),
    }));
    const outcome = await handler(
      s3Event(['raw/portfolio/dt%3D2025-07-14/ibov.parquet', 'raw/portfolio/dt%3D2025-07-15/ibov.parquet', 'raw/portfolio/dt%3D2025-07-15/ibov.csv']),
    );

    const runs = (await glue.send(new GetJobRunsCommand({ JobName: jobName }))).JobRuns ?? [];
    const byArgs = runs.map((r) => r.Arguments).sort((a, b) => String(a?.['--portfolio_date']).localeCompare(String(b?.['--portfolio_date'])));
    expect(byArgs).toEqual([
      { '--portfolio_date': '2025-07-14', '--raw_object_key': 'raw/portfolio/dt=2025-07-14/ibov.parquet' },
      { '--portfolio_date': '2025-07-15', '--raw_object_key': 'raw/portfolio/dt=2025-07-15/ibov.parquet' },
    ]);
    expect(outcome.started.map((s) => s.runId).sort()).toEqual(runs.map((r) => r.Id).sort());
    expect(outcome.ignored).toEqual(['raw/portfolio/dt=2025-07-15/ibov.csv']);
  });

  it('fails naming the job when Glue refuses the run', async () => {
    const handler = createHandler(() => ({
      jobRunner: new GlueJobRunner(glue),
      jobNames: { portfolio: 'no-such-job', quotes: 'no-such-quotes-job' },
      logger: new Logger({ serviceName: 'glue-trigger', logLevel: 'SILENT' }),
    }));
    await expect(handler(s3Event(['raw/portfolio/dt%3D2025-07-14/ibov.parquet']))).rejects.toThrow(
      /^trigger: could not start job no-such-job for 1 object\(s\), got raw\/portfolio\/dt=2025-07-14\/ibov\.parquet \(/,
    );
  });

  it('reports missing job names as one ConfigError on first use, not at import: each routed dataset needs its job', () => {
    const saved = { portfolio: process.env.GLUE_JOB_NAME, quotes: process.env.QUOTES_GLUE_JOB_NAME };
    delete process.env.GLUE_JOB_NAME;
    delete process.env.QUOTES_GLUE_JOB_NAME;
    try {
      expect(() => defaultDeps()).toThrow(new ConfigError('config: missing environment variable(s) GLUE_JOB_NAME, QUOTES_GLUE_JOB_NAME'));
      process.env.GLUE_JOB_NAME = 'refine';
      expect(() => defaultDeps()).toThrow(new ConfigError('config: missing environment variable(s) QUOTES_GLUE_JOB_NAME'));
      process.env.QUOTES_GLUE_JOB_NAME = 'refine-quotes';
      expect(defaultDeps().jobNames).toEqual({ portfolio: 'refine', quotes: 'refine-quotes' });
    } finally {
      for (const [name, value] of [['GLUE_JOB_NAME', saved.portfolio], ['QUOTES_GLUE_JOB_NAME', saved.quotes]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

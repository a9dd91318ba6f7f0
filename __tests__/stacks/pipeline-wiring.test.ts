import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest'; // the matchers' type declarations
import { AthenaNamedQuery } from '@cdktf/provider-aws/lib/athena-named-query';
import { AthenaWorkgroup } from '@cdktf/provider-aws/lib/athena-workgroup';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { ref, resourcesOf, synthStack, testConfig } from './support';

Testing.setupJest();

const queriesDir = mkdtempSync(join(tmpdir(), 'b3-queries-'));
writeFileSync(join(queriesDir, 'b-sector-weights.sql'), '-- Weight per sector on the latest day\nSELECT 2;\n');
writeFileSync(join(queriesDir, 'a-latest.sql'), 'SELECT 1;\n');
writeFileSync(join(queriesDir, 'notes.md'), 'not a query');

const base = synthStack(testConfig({ schedule: { time: '07:30', maxRetryAttempts: 4, maxEventAgeSeconds: 7200 } }), { queriesDir });
const json = JSON.stringify(base.tfJson);
afterAll(() => {
  rmSync(base.outDir, { recursive: true, force: true });
  rmSync(queriesDir, { recursive: true, force: true });
});

describe('scraper schedule', () => {
  it('runs on weekdays at the configured São Paulo time, retries, and dead-letters to SQS', () => {
    expect(json).toHaveResourceWithProperties(SchedulerSchedule, {
      name: 'b3t-test-scraper-weekdays',
      schedule_expression: 'cron(30 7 ? * MON-FRI *)',
      schedule_expression_timezone: 'America/Sao_Paulo',
      flexible_time_window: { mode: 'OFF' },
      target: {
        arn: ref('aws_lambda_function', 'scraper_function', 'arn'),
        role_arn: ref('aws_iam_role', 'scraper-schedule_role', 'arn'),
        input: '{"source":"schedule"}',
        retry_policy: { maximum_retry_attempts: 4, maximum_event_age_in_seconds: 7200 },
        dead_letter_config: { arn: ref('aws_sqs_queue', 'scraper-schedule_dlq', 'arn') },
      },
    });
  });

  it('lets the scheduler role invoke only the scraper and write only to the DLQ', () => {
    const policy = resourcesOf(base.tfJson, 'aws_iam_role_policy').find((p) => String(p.role).includes('scraper-schedule_role'));
    expect(JSON.parse(policy!.policy as string).Statement).toEqual([
      { Sid: 'InvokeScraper', Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: [ref('aws_lambda_function', 'scraper_function', 'arn')] },
      { Sid: 'DeadLetter', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [ref('aws_sqs_queue', 'scraper-schedule_dlq', 'arn')] },
    ]);
  });
});

describe('refinement trigger', () => {
  it('notifies the trigger on raw/portfolio/*.parquet and raw/quotes/*.parquet only, after the permission exists', () => {
    expect(json).toHaveResourceWithProperties(S3BucketNotification, {
      bucket: ref('aws_s3_bucket', 'lake_bucket', 'id'),
      lambda_function: [
        {
          id: 'raw-portfolio-to-glue-trigger',
          lambda_function_arn: ref('aws_lambda_function', 'glue-trigger_function', 'arn'),
          events: ['s3:ObjectCreated:*'],
          filter_prefix: 'raw/portfolio/',
          filter_suffix: '.parquet',
        },
        {
          id: 'raw-quotes-to-glue-trigger',
          lambda_function_arn: ref('aws_lambda_function', 'glue-trigger_function', 'arn'),
          events: ['s3:ObjectCreated:*'],
          filter_prefix: 'raw/quotes/',
          filter_suffix: '.parquet',
        },
      ],
      depends_on: [expect.stringMatching(/^aws_lambda_permission\.refinement-trigger_allow-s3(_[0-9A-F]{8})?$/)],
    });
  });

  it('lets S3 invoke it only from the lake bucket of this account', () => {
    expect(json).toHaveResourceWithProperties(LambdaPermission, {
      action: 'lambda:InvokeFunction',
      principal: 's3.amazonaws.com',
      function_name: ref('aws_lambda_function', 'glue-trigger_function', 'function_name'),
      source_arn: ref('aws_s3_bucket', 'lake_bucket', 'arn'),
      source_account: ref('data.aws_caller_identity', 'account', 'account_id'),
    });
  });

  it('retries a failed asynchronous invocation twice, then sends it to an on-failure queue', () => {
    expect(json).toHaveResourceWithProperties(LambdaFunctionEventInvokeConfig, {
      function_name: ref('aws_lambda_function', 'glue-trigger_function', 'function_name'),
      maximum_retry_attempts: 2,
      // Lambda drops an event older than this without retrying: the retries of a refused
      // StartJobRun come 1 and 3 minutes after the first try (docs/glue-job.md).
      maximum_event_age_in_seconds: 3_600,
      destination_config: { on_failure: { destination: ref('aws_sqs_queue', 'trigger-failures', 'arn') } },
    });
  });
});

describe('the quotes job', () => {
  /** The inline policy of the Glue role named `roleName`, by statement id. */
  function glueRoleStatements(roleName: string): Record<string, { Action: string[]; Resource: string[]; Condition?: unknown }> {
    const roles = base.tfJson.resource.aws_iam_role as Record<string, { name: string }>;
    const [roleId] = Object.entries(roles).find(([, r]) => r.name === roleName)!;
    const policies = Object.values(base.tfJson.resource.aws_iam_role_policy as Record<string, { role: string; policy: string }>);
    const policy = policies.find((p) => p.role === `\${aws_iam_role.${roleId}.id}`)!;
    return Object.fromEntries((JSON.parse(policy.policy).Statement as { Sid: string }[]).map((s) => [s.Sid, s])) as never;
  }

  it('has its own Glue role, granted from its DAG: reads raw/quotes/, rewrites refined/b3_quotes_refined/, catalogs default.b3_quotes_refined only', () => {
    const quotes = glueRoleStatements('b3t-test-refine-quotes-glue');
    expect(quotes.ReadRaw.Resource).toEqual([ref('aws_s3_bucket', 'lake_bucket', 'arn', '/raw/quotes/*')]);
    expect(quotes.ReadWriteRefined.Resource).toEqual([ref('aws_s3_bucket', 'lake_bucket', 'arn', '/refined/b3_quotes_refined/*')]);
    expect(quotes.CatalogOwnTables.Resource.filter((r) => r.includes(':table/'))).toEqual([
      ref('data.aws_caller_identity', 'account', 'account_id', ':table/default/b3_quotes_refined', 'arn:aws:glue:us-east-1:'),
    ]);
    // And the portfolio job's role does not reach the quotes.
    const portfolio = glueRoleStatements('b3t-test-refine-glue');
    expect(JSON.stringify(portfolio)).not.toContain('quotes');
  });

  it('outputs quotes_job_name', () => {
    expect(((base.tfJson as unknown as { output: Record<string, unknown> }).output).quotes_job_name).toEqual({ value: 'b3t-test-refine-quotes' });
  });
});

describe('Athena', () => {
  it('enforces the workgroup configuration, encrypts results under athena-results/ and caps bytes scanned', () => {
    expect(json).toHaveResourceWithProperties(AthenaWorkgroup, {
      name: 'b3t-test-analysts',
      force_destroy: true,
      tags: { Project: 'b3t', Environment: 'test', ManagedBy: 'cdktf' },
      configuration: {
        enforce_workgroup_configuration: true,
        publish_cloudwatch_metrics_enabled: true,
        bytes_scanned_cutoff_per_query: 1024 ** 3,
        result_configuration: {
          output_location: ref('aws_s3_bucket', 'lake_bucket', 'bucket', '/athena-results/', 's3://'),
          encryption_configuration: { encryption_option: 'SSE_S3' },
        },
      },
    });
  });

  it('loads every .sql file as a named query in the default database, described by its first comment', () => {
    const queries = resourcesOf(base.tfJson, 'aws_athena_named_query').map(({ name, description, database, query }) => ({
      name,
      description,
      database,
      query,
    }));
    expect(queries).toEqual([
      { name: 'a-latest', description: 'a-latest', database: 'default', query: 'SELECT 1;' },
      { name: 'b-sector-weights', description: 'Weight per sector on the latest day', database: 'default', query: '-- Weight per sector on the latest day\nSELECT 2;' },
    ]);
    expect(json).toHaveResourceWithProperties(AthenaNamedQuery, { workgroup: ref('aws_athena_workgroup', 'athena_workgroup', 'id') });
  });

  it('adds the Spark notebook workgroup only when configured', () => {
    expect(resourcesOf(base.tfJson, 'aws_athena_workgroup')).toHaveLength(1);
    const spark = synthStack(testConfig({ sparkNotebookWorkgroup: true }), { queriesDir });
    try {
      expect(JSON.stringify(spark.tfJson)).toHaveResourceWithProperties(AthenaWorkgroup, {
        name: 'b3t-test-notebooks',
        configuration: expect.objectContaining({
          execution_role: ref('aws_iam_role', 'athena_spark-role', 'arn'),
          engine_version: { selected_engine_version: 'PySpark engine version 3' },
        }),
      });
    } finally {
      rmSync(spark.outDir, { recursive: true, force: true });
    }
  });
});

describe('alerts', () => {
  it('routes Glue runs ending FAILED, TIMEOUT or ERROR to the alerts topic', () => {
    const [rule] = resourcesOf(base.tfJson, 'aws_cloudwatch_event_rule');
    expect(JSON.parse(rule.event_pattern as string)).toEqual({
      source: ['aws.glue'],
      'detail-type': ['Glue Job State Change'],
      detail: { jobName: ['b3t-test-refine', 'b3t-test-refine-quotes'], state: ['FAILED', 'TIMEOUT', 'ERROR'] },
    });
    expect(resourcesOf(base.tfJson, 'aws_cloudwatch_event_target')).toEqual([
      expect.objectContaining({ arn: ref('aws_sns_topic', 'alerts_topic', 'arn'), rule: ref('aws_cloudwatch_event_rule', 'alerts_glue-failed', 'name') }),
    ]);
  });

  it('alarms on every function Errors metric and every dead-letter queue', () => {
    const alarms = resourcesOf(base.tfJson, 'aws_cloudwatch_metric_alarm');
    expect(alarms.map((a) => [a.alarm_name, a.namespace, a.metric_name, a.alarm_actions]).sort()).toEqual(
      [
        ['b3t-test-glue-provisioner-errors', 'AWS/Lambda', 'Errors'],
        ['b3t-test-glue-quotes-provisioner-errors', 'AWS/Lambda', 'Errors'],
        ['b3t-test-glue-trigger-errors', 'AWS/Lambda', 'Errors'],
        ['b3t-test-scraper-dlq-messages', 'AWS/SQS', 'ApproximateNumberOfMessagesVisible'],
        ['b3t-test-scraper-errors', 'AWS/Lambda', 'Errors'],
        ['b3t-test-trigger-failures-messages', 'AWS/SQS', 'ApproximateNumberOfMessagesVisible'],
      ].map((a) => [...a, [ref('aws_sns_topic', 'alerts_topic', 'arn')]]),
    );
  });

  it('subscribes the alert email only when one is configured', () => {
    expect(json).not.toHaveResource(SnsTopicSubscription);
    const withEmail = synthStack(testConfig({ alertEmail: 'oncall@example.com' }), { queriesDir });
    try {
      expect(JSON.stringify(withEmail.tfJson)).toHaveResourceWithProperties(SnsTopicSubscription, {
        protocol: 'email',
        endpoint: 'oncall@example.com',
        topic_arn: ref('aws_sns_topic', 'alerts_topic', 'arn'),
      });
    } finally {
      rmSync(withEmail.outDir, { recursive: true, force: true });
    }
  });
});

describe('provider and state', () => {
  it('tags every resource through default_tags and uses only hashicorp/aws', () => {
    expect(json).toHaveProviderWithProperties(AwsProvider, {
      region: 'us-east-1',
      default_tags: [{ tags: { Project: 'b3t', Environment: 'test', ManagedBy: 'cdktf' } }],
    });
    expect(Object.keys(base.tfJson.terraform.required_providers as object)).toEqual(['aws']);
  });

  it('keeps state in a local file by default and in S3 with a lock file when configured', () => {
    expect(base.tfJson.terraform.backend).toEqual({ local: { path: 'terraform.tfstate' } });
    const s3 = synthStack(testConfig({ backend: { kind: 's3', bucket: 'tf-state', key: 'b3/test.tfstate', region: 'sa-east-1' } }), { queriesDir });
    try {
      expect(s3.tfJson.terraform.backend).toEqual({
        s3: { bucket: 'tf-state', key: 'b3/test.tfstate', region: 'sa-east-1', encrypt: true, use_lockfile: true },
      });
    } finally {
      rmSync(s3.outDir, { recursive: true, force: true });
    }
  });
});

import { rmSync } from 'node:fs';
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest'; // the matchers' type declarations
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { ref, resourcesOf, synthStack, testConfig } from './support';

Testing.setupJest();

describe('data lake bucket', () => {
  const dev = synthStack(testConfig());
  const prod = synthStack(testConfig({ environment: 'prod', production: true }));
  const devJson = JSON.stringify(dev.tfJson);
  afterAll(() => [dev, prod].forEach((s) => rmSync(s.outDir, { recursive: true, force: true })));

  it('is named from prefix and environment, force_destroy only outside production', () => {
    expect(devJson).toHaveResourceWithProperties(S3Bucket, { bucket: 'b3t-test-lake', force_destroy: true });
    expect(JSON.stringify(prod.tfJson)).toHaveResourceWithProperties(S3Bucket, { bucket: 'b3t-prod-lake', force_destroy: false });
    expect(JSON.stringify(prod.tfJson)).not.toHaveResourceWithProperties(S3Bucket, { force_destroy: true });
  });

  it('blocks all public access and disables ACLs', () => {
    expect(devJson).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(devJson).toHaveResourceWithProperties(S3BucketOwnershipControls, { rule: { object_ownership: 'BucketOwnerEnforced' } });
  });

  it('encrypts by default and keeps versions', () => {
    expect(devJson).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' }, bucket_key_enabled: true }],
    });
    expect(devJson).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: 'Enabled' } });
  });

  it('denies every request not made over TLS', () => {
    const [policy] = resourcesOf(dev.tfJson, 'aws_s3_bucket_policy');
    expect(JSON.parse(policy.policy as string)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [ref('aws_s3_bucket', 'lake_bucket', 'arn'), ref('aws_s3_bucket', 'lake_bucket', 'arn', '/*')],
          Condition: { Bool: { 'aws:SecureTransport': false } },
        },
      ],
    });
  });

  it('expires Athena results and noncurrent versions and aborts stale multipart uploads', () => {
    expect(devJson).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      rule: [
        { id: 'expire-athena-results', status: 'Enabled', filter: [{ prefix: 'athena-results/' }], expiration: [{ days: 7 }] },
        {
          id: 'abort-incomplete-multipart-uploads',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }],
        },
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrent_version_expiration: [{ noncurrent_days: 30 }],
        },
      ],
    });
  });
});

describe('NodeFunction', () => {
  const { tfJson, stack, outDir } = synthStack(testConfig());
  const json = JSON.stringify(tfJson);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('runs nodejs22.x on arm64 with explicit memory and timeout and its bundle hash', () => {
    for (const [fn, name, memory, timeout] of [
      [stack.scraper, 'b3t-test-scraper', 256, 320], // two indexes: 2 x (JSON + CSV + their session's COTAHIST) x 50 s + 20 s
      [stack.trigger, 'b3t-test-glue-trigger', 128, 30],
    ] as const) {
      expect(json).toHaveResourceWithProperties(LambdaFunction, {
        function_name: name,
        runtime: 'nodejs22.x',
        architectures: ['arm64'],
        handler: 'index.handler',
        memory_size: memory,
        timeout,
        source_code_hash: fn.bundle.sha256Base64,
      });
    }
  });

  it('gives every function its own log group with retention, created first', () => {
    const functions = resourcesOf(tfJson, 'aws_lambda_function');
    expect(functions).toHaveLength(4); // scraper, trigger, the provisioner of each Glue job
    for (const fn of functions) {
      expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, { name: `/aws/lambda/${fn.function_name}`, retention_in_days: 14 });
      expect(fn.depends_on).toEqual([expect.stringMatching(/^aws_cloudwatch_log_group\./)]);
    }
    const roles = new Set(functions.map((fn) => fn.role));
    expect(roles.size).toBe(4);
  });

  it('passes configuration through the shared ENV names', () => {
    expect(json).toHaveResourceWithProperties(LambdaFunction, {
      function_name: 'b3t-test-scraper',
      environment: { variables: { LAKE_BUCKET: ref('aws_s3_bucket', 'lake_bucket', 'bucket'), INDEX_CODES: 'IBOV,SMLL' } },
    });
    expect(json).toHaveResourceWithProperties(LambdaFunction, {
      function_name: 'b3t-test-glue-trigger',
      environment: { variables: { GLUE_JOB_NAME: 'b3t-test-refine', QUOTES_GLUE_JOB_NAME: 'b3t-test-refine-quotes' } },
    });
  });

  it('lets the scraper write raw/portfolio/ and raw/quotes/ objects and nothing else', () => {
    const policy = resourcesOf(tfJson, 'aws_iam_role_policy').find((p) => String(p.role).includes('scraper_role'));
    expect(JSON.parse(policy!.policy as string).Statement).toEqual([
      {
        Sid: 'OwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [ref('aws_cloudwatch_log_group', 'scraper_logs', 'arn', ':*')],
      },
      {
        Sid: 'WriteRawOnly',
        Effect: 'Allow',
        Action: ['s3:PutObject'],
        Resource: [ref('aws_s3_bucket', 'lake_bucket', 'arn', '/raw/portfolio/*'), ref('aws_s3_bucket', 'lake_bucket', 'arn', '/raw/quotes/*')],
      },
    ]);
  });

  it('lets the trigger start only the two refinement jobs and send only to its failure queue', () => {
    const policy = resourcesOf(tfJson, 'aws_iam_role_policy').find((p) => String(p.role).includes('glue-trigger_role'));
    expect(JSON.parse(policy!.policy as string).Statement.slice(1)).toEqual([
      {
        Sid: 'StartRefineJobs',
        Effect: 'Allow',
        Action: ['glue:StartJobRun'],
        Resource: [
          ref('data.aws_caller_identity', 'account', 'account_id', ':job/b3t-test-refine', 'arn:aws:glue:us-east-1:'),
          ref('data.aws_caller_identity', 'account', 'account_id', ':job/b3t-test-refine-quotes', 'arn:aws:glue:us-east-1:'),
        ],
      },
      { Sid: 'OnFailureDestination', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [ref('aws_sqs_queue', 'trigger-failures', 'arn')] },
    ]);
  });
});

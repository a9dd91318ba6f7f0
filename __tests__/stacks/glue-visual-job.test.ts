import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { b3PortfolioRefinedJob } from '../../glue-jobs/b3-portfolio-refined';
import { DataLake } from '../../stacks/constructs/data-lake';
import { GlueVisualJob } from '../../stacks/constructs/glue-visual-job';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

const bundleDir = mkdtempSync(join(tmpdir(), 'glue-visual-job-'));
afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

function synth(): { resources: Resources; locals: Record<string, string>; construct: GlueVisualJob } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  const lake = new DataLake(stack, 'lake', {
    bucketName: 'b3-test-lake',
    forceDestroy: true,
    athenaResultsExpirationDays: 7,
    noncurrentVersionExpirationDays: 30,
  });
  const construct = new GlueVisualJob(stack, 'refine', {
    lake,
    jobName: 'b3-test-refine',
    definition: (c) => b3PortfolioRefinedJob(c),
    roleName: 'b3-test-refine-glue',
    provisionerFunctionName: 'b3-test-refine-provisioner',
    logRetentionDays: 14,
    bundleDir,
    region: 'us-east-1',
    accountId: '123456789012',
  });
  const out = JSON.parse(Testing.synth(stack));
  return { resources: out.resource as Resources, locals: out.locals as Record<string, string>, construct };
}

const { resources, locals, construct } = synth();
/** The one resource of a type whose attribute `key` equals `value`, with its logical id. */
function only(type: string, key?: string, value?: unknown): [string, Record<string, unknown>] {
  const found = Object.entries(resources[type] ?? {}).filter(([, r]) => key === undefined || r[key] === value);
  if (found.length !== 1) throw new Error(`test: expected one ${type} with ${key}=${String(value)}, got ${found.length}`);
  return found[0];
}
const [glueRoleId] = only('aws_iam_role', 'name', 'b3-test-refine-glue');
const [bucketId] = only('aws_s3_bucket');
const [, invocation] = only('aws_lambda_invocation');
const policyOf = (roleId: string) => {
  const [, p] = only('aws_iam_role_policy', 'role', `\${aws_iam_role.${roleId}.id}`);
  return JSON.parse(p.policy as string) as { Statement: Record<string, unknown>[] };
};

test('declares no aws_glue_job: the provider cannot hold CodeGenConfigurationNodes (issue 40625)', () => {
  expect(resources.aws_glue_job).toBeUndefined();
});

test('the invocation input is the JSON of the job definition, with Terraform references for role and bucket', () => {
  const expected = b3PortfolioRefinedJob({
    jobName: 'b3-test-refine',
    roleArn: `\${aws_iam_role.${glueRoleId}.arn}`,
    bucket: `\${aws_s3_bucket.${bucketId}.bucket}`,
  });
  expect(invocation.input).toBe(JSON.stringify({ job: expected }));
  const parsed = JSON.parse(invocation.input as string);
  expect(parsed.job.JobMode).toBe('VISUAL');
  expect(Object.keys(parsed.job.CodeGenConfigurationNodes)).toEqual(Object.keys(expected.CodeGenConfigurationNodes!));
});

test('the invocation runs on create, update and delete, re-triggers on the definition hash, replaces create-before-destroy', () => {
  const [provisionerId, provisioner] = only('aws_lambda_function', 'function_name', 'b3-test-refine-provisioner');
  expect(invocation.function_name).toBe(`\${aws_lambda_function.${provisionerId}.function_name}`);
  expect(invocation.lifecycle_scope).toBe('CRUD');
  const trigger = (invocation.triggers as Record<string, string>).definition_sha256;
  // The hash is over a local holding exactly the input, so Terraform hashes the resolved JSON.
  const [localName, localValue] = Object.entries(locals)[0];
  expect(Object.keys(locals)).toHaveLength(1);
  expect(trigger).toBe(`\${sha256(local.${localName})}`);
  expect(localValue).toBe(invocation.input);
  expect(invocation.lifecycle).toEqual({ create_before_destroy: true });
  const provisionerRoleId = /aws_iam_role\.([^.]+)\.arn/.exec(provisioner.role as string)![1];
  const [policyId] = only('aws_iam_role_policy', 'role', `\${aws_iam_role.${provisionerRoleId}.id}`);
  expect(invocation.depends_on).toEqual([`aws_iam_role_policy.${policyId}`]);
});

test('the Glue role trusts only glue.amazonaws.com from this account and has no managed policy', () => {
  const [, role] = only('aws_iam_role', 'name', 'b3-test-refine-glue');
  expect(JSON.parse(role.assume_role_policy as string).Statement).toEqual([
    {
      Effect: 'Allow',
      Principal: { Service: 'glue.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
    },
  ]);
  expect(resources.aws_iam_role_policy_attachment).toBeUndefined();
  expect(JSON.stringify(resources)).not.toContain('AWSGlueServiceRole');
});

test('the Glue role may touch only the datasets its DAG reads and writes, its catalog tables, its logs and the Glue metric namespace', () => {
  const bucketArn = `\${aws_s3_bucket.${bucketId}.arn}`;
  const glue = 'arn:aws:glue:us-east-1:123456789012';
  const logs = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws-glue/*';
  expect(policyOf(glueRoleId).Statement).toEqual([
    {
      Sid: 'ListOwnPrefixes',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: [bucketArn],
      Condition: { StringLike: { 's3:prefix': ['raw/portfolio', 'raw/portfolio/*', 'refined/b3_portfolio_daily', 'refined/b3_portfolio_daily/*', 'refined/b3_portfolio_refined', 'refined/b3_portfolio_refined/*', 'scripts', 'scripts/*'] } },
    },
    { Sid: 'BucketLocation', Effect: 'Allow', Action: ['s3:GetBucketLocation'], Resource: [bucketArn] },
    { Sid: 'ReadRaw', Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`${bucketArn}/raw/portfolio/*`] },
    {
      Sid: 'ReadWriteRefined',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: [`${bucketArn}/refined/b3_portfolio_daily/*`, `${bucketArn}/refined/b3_portfolio_refined/*`],
    },
    { Sid: 'Scripts', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: [`${bucketArn}/scripts/*`] },
    {
      Sid: 'CatalogOwnTables',
      Effect: 'Allow',
      Action: [
        'glue:GetDatabase',
        'glue:GetTable',
        'glue:CreateTable',
        'glue:UpdateTable',
        'glue:GetPartition',
        'glue:GetPartitions',
        'glue:BatchGetPartition',
        'glue:CreatePartition',
        'glue:BatchCreatePartition',
        'glue:UpdatePartition',
      ],
      Resource: [`${glue}:catalog`, `${glue}:database/default`, `${glue}:table/default/b3_portfolio_refined`, `${glue}:table/default/b3_portfolio_daily`],
    },
    {
      Sid: 'GlueLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: [logs, `${logs}:*`],
    },
    {
      Sid: 'GlueMetrics',
      Effect: 'Allow',
      Action: ['cloudwatch:PutMetricData'],
      Resource: ['*'],
      Condition: { StringEquals: { 'cloudwatch:namespace': 'Glue' } },
    },
  ]);
});

test('the provisioner may manage this one job and pass the Glue role to Glue only', () => {
  const [, fn] = only('aws_lambda_function', 'function_name', 'b3-test-refine-provisioner');
  const roleId = /aws_iam_role\.([^.]+)\.arn/.exec(fn.role as string)![1];
  const statements = policyOf(roleId).Statement;
  expect(statements.slice(1)).toEqual([
    {
      Sid: 'ManageThisJob',
      Effect: 'Allow',
      Action: ['glue:CreateJob', 'glue:UpdateJob', 'glue:DeleteJob', 'glue:GetTags', 'glue:TagResource'],
      Resource: ['arn:aws:glue:us-east-1:123456789012:job/b3-test-refine'],
    },
    {
      Sid: 'PassTheJobRoleToGlueOnly',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: [`\${aws_iam_role.${glueRoleId}.arn}`],
      Condition: { StringEquals: { 'iam:PassedToService': 'glue.amazonaws.com' } },
    },
  ]);
  expect(statements[0].Sid).toBe('OwnLogs');
});

test('no statement in the construct grants a wildcard action', () => {
  const actions = Object.values(resources.aws_iam_role_policy).flatMap(
    (p) => (JSON.parse(p.policy as string).Statement as { Action: string[] }[]).flatMap((s) => s.Action),
  );
  expect(actions.length).toBe(30); // 22 for the Glue role, 8 for the provisioner
  expect(actions.filter((a) => a.includes('*'))).toEqual([]);
});

test('exposes the job name, its ARN and the role', () => {
  expect(construct.jobName).toBe('b3-test-refine');
  expect(construct.jobArn).toBe('arn:aws:glue:us-east-1:123456789012:job/b3-test-refine');
  expect(construct.role.node.id).toBe('role');
});

test('refuses a definition that names another job', () => {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'other');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  const lake = new DataLake(stack, 'lake', { bucketName: 'b', forceDestroy: true, athenaResultsExpirationDays: 1, noncurrentVersionExpirationDays: 1 });
  expect(
    () =>
      new GlueVisualJob(stack, 'refine', {
        lake,
        jobName: 'wanted',
        definition: (c) => b3PortfolioRefinedJob({ ...c, jobName: 'other' }),
        roleName: 'r',
        provisionerFunctionName: 'p',
        logRetentionDays: 1,
        bundleDir,
        region: 'us-east-1',
        accountId: '123456789012',
      }),
  ).toThrow('glue-visual-job: the definition names another job than wanted, got other');
});

test('the provisioner bundle stays far under the 250 KiB budget, with the AWS SDK left to the runtime', () => {
  const { bundle } = construct.provisioner;
  expect(bundle.sizeBytes).toBeLessThan(250 * 1024);
  // esbuild leaves @aws-sdk/* external: the zip must not have swallowed the Glue client.
  expect(bundle.sizeBytes).toBeLessThan(20 * 1024);
});

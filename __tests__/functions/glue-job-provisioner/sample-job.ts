import type { CreateJobRequest } from '@aws-sdk/client-glue';

/**
 * A small visual job in the shape of the real definition (glue-jobs/), for the provisioner tests:
 * what matters here is that it carries JobMode and CodeGenConfigurationNodes through the API.
 */
export function sampleJob(name: string, overrides: Partial<CreateJobRequest> = {}): CreateJobRequest {
  return {
    Name: name,
    JobMode: 'VISUAL',
    Role: 'arn:aws:iam::123456789012:role/glue-refined',
    Command: { Name: 'glueetl', ScriptLocation: 's3://lake/scripts/refined.py', PythonVersion: '3' },
    GlueVersion: '5.0',
    WorkerType: 'G.1X',
    NumberOfWorkers: 2,
    ExecutionClass: 'FLEX',
    JobRunQueuingEnabled: true,
    Timeout: 30,
    DefaultArguments: { '--job-bookmark-option': 'job-bookmark-enable' },
    Tags: { component: 'refined' },
    CodeGenConfigurationNodes: {
      'node-raw': {
        S3ParquetSource: { Name: 'raw', Paths: ['s3://lake/raw/'], Recurse: true },
      },
      'node-refined': {
        S3GlueParquetTarget: {
          Name: 'refined',
          Inputs: ['node-raw'],
          Path: 's3://lake/refined/',
          PartitionKeys: [['dt'], ['ticker']],
          Compression: 'snappy',
          SchemaChangePolicy: {
            EnableUpdateCatalog: true,
            UpdateBehavior: 'UPDATE_IN_DATABASE',
            Database: 'default',
            Table: 'b3_portfolio_refined',
          },
        },
      },
    },
    ...overrides,
  };
}

/**
 * The payload aws_lambda_invocation sends with lifecycle_scope CRUD: the input plus `tf`, re-encoded
 * by Go's encoding/json, which sorts object keys (reproduced here by sorting them).
 */
export function crudPayload(
  input: { job: CreateJobRequest },
  action: 'create' | 'update' | 'delete',
  prevInput: { job: CreateJobRequest } | null,
): unknown {
  return JSON.parse(JSON.stringify(sortKeys({ ...input, tf: { action, prev_input: prevInput } })));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}

/** What the Lambda runtime passes as context, as far as the provisioner reads it. */
export const lambdaContext = { invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:glue-job-provisioner' };

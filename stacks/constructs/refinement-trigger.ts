import { Construct } from 'constructs';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import type { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { REFINEMENT_ROUTES } from '../../lib/pipeline/refinement-routes';
import type { DataLake } from './data-lake';
import type { NodeFunction } from './node-function';

export interface RefinementTriggerProps {
  readonly lake: DataLake;
  /** The glue-trigger function. */
  readonly trigger: NodeFunction;
  /** Where failed asynchronous invocations go after Lambda's own retries. */
  readonly onFailureQueue: SqsQueue;
  readonly accountId: string;
  readonly maxRetryAttempts: number;
}

/**
 * S3 ObjectCreated under each routed raw prefix (`raw/portfolio/*.parquet`, `raw/quotes/*.parquet`,
 * REFINEMENT_ROUTES) → the one trigger Lambda, which starts that dataset's job. The permission names the bucket and
 * the account (bucket names are global: without the account, a same-named bucket elsewhere
 * could invoke us). Failed invocations land on the on-failure queue.
 */
export class RefinementTrigger extends Construct {
  readonly notification: S3BucketNotification;

  constructor(scope: Construct, id: string, props: RefinementTriggerProps) {
    super(scope, id);
    const permission = new LambdaPermission(this, 'allow-s3', {
      statementId: 'AllowS3InvokeFromLake',
      action: 'lambda:InvokeFunction',
      functionName: props.trigger.function.functionName,
      principal: 's3.amazonaws.com',
      sourceArn: props.lake.arn,
      sourceAccount: props.accountId,
    });
    new LambdaFunctionEventInvokeConfig(this, 'async', {
      functionName: props.trigger.function.functionName,
      maximumRetryAttempts: props.maxRetryAttempts,
      maximumEventAgeInSeconds: 3_600,
      destinationConfig: { onFailure: { destination: props.onFailureQueue.arn } },
    });
    this.notification = new S3BucketNotification(this, 'raw-parquet', {
      bucket: props.lake.bucket.id,
      // One configuration per route: S3 allows no two with overlapping prefixes and suffixes, and these do not overlap.
      lambdaFunction: REFINEMENT_ROUTES.map((route) => ({
        id: route.notificationId,
        lambdaFunctionArn: props.trigger.arn,
        events: ['s3:ObjectCreated:*'],
        filterPrefix: route.prefix,
        filterSuffix: route.suffix,
      })),
      // S3 tests the destination when the notification is written: the permission must exist.
      dependsOn: [permission],
    });
  }
}

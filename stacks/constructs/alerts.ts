import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import type { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { policyDocument } from '../iam';
import type { Namer } from '../naming';
import type { NodeFunction } from './node-function';

/** Glue run states that need a human. */
const GLUE_FAILURE_STATES = ['FAILED', 'TIMEOUT', 'ERROR'] as const;

export interface AlertsProps {
  readonly name: Namer;
  readonly email?: string;
  /** Glue jobs whose failed runs alert. */
  readonly glueJobNames: readonly string[];
  /** Each function gets an alarm on its Errors metric. */
  readonly functions: readonly NodeFunction[];
  /** Dead-letter / on-failure queues by role name: a message there is a lost run. */
  readonly deadLetterQueues: readonly { readonly role: string; readonly queue: SqsQueue }[];
  /** Every alarm name starts with this; the topic accepts alarms under it only. */
  readonly alarmNamePrefix: string;
  readonly region: string;
  readonly accountId: string;
}

/**
 * One SNS topic for everything that needs a human: Glue runs ending FAILED/TIMEOUT/ERROR (an
 * EventBridge rule), any Lambda error and any message parked in a dead-letter queue (alarms).
 * The topic uses no AWS-managed KMS key: EventBridge and CloudWatch cannot publish to a topic
 * encrypted with alias/aws/sns.
 */
export class Alerts extends Construct {
  readonly topic: SnsTopic;
  readonly glueFailureRule: CloudwatchEventRule;
  readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, 'topic', { name: props.name('alerts') });
    if (props.email) {
      new SnsTopicSubscription(this, 'email', { topicArn: this.topic.arn, protocol: 'email', endpoint: props.email });
    }

    this.glueFailureRule = new CloudwatchEventRule(this, 'glue-failed', {
      name: props.name('glue-failed'),
      description: 'Glue refinement runs ending FAILED, TIMEOUT or ERROR',
      eventPattern: JSON.stringify({
        source: ['aws.glue'],
        'detail-type': ['Glue Job State Change'],
        detail: { jobName: [...props.glueJobNames], state: [...GLUE_FAILURE_STATES] },
      }),
    });
    new CloudwatchEventTarget(this, 'glue-failed-to-topic', {
      rule: this.glueFailureRule.name,
      targetId: 'alerts-topic',
      arn: this.topic.arn,
    });

    const ids = new Set<string>();
    for (const fn of props.functions) {
      // Each job's provisioner is a `provisioner` in its own job construct: qualify a repeated id by
      // its parent's, and leave the first one's (and its Terraform address) as it was.
      const id = ids.has(fn.node.id) ? `${fn.node.scope?.node.id}-${fn.node.id}` : fn.node.id;
      ids.add(id);
      this.alarmOnAny(`${id}-errors`, {
        alarmName: `${fn.functionName}-errors`,
        alarmDescription: `${fn.functionName} failed at least once in 5 minutes`,
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: { FunctionName: fn.functionName },
        statistic: 'Sum',
      });
    }
    for (const { role, queue } of props.deadLetterQueues) {
      this.alarmOnAny(`${role}-messages`, {
        alarmName: `${props.name(role)}-messages`,
        alarmDescription: 'A message waits in a dead-letter queue: a run was lost',
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: queue.name },
        statistic: 'Maximum',
      });
    }

    new SnsTopicPolicy(this, 'policy', {
      arn: this.topic.arn,
      policy: policyDocument([
        {
          Sid: 'GlueFailureRule',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: this.topic.arn,
          Condition: { ArnEquals: { 'aws:SourceArn': this.glueFailureRule.arn } },
        },
        {
          Sid: 'StackAlarms',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: this.topic.arn,
          Condition: {
            ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${props.region}:${props.accountId}:alarm:${props.alarmNamePrefix}*` },
          },
        },
      ]),
    });
  }

  /** An alarm to the topic when the metric reaches 1 within 5 minutes; no data is not a breach. */
  private alarmOnAny(
    id: string,
    metric: Pick<CloudwatchMetricAlarmConfig, 'alarmName' | 'alarmDescription' | 'namespace' | 'metricName' | 'dimensions' | 'statistic'>,
  ): void {
    this.alarms.push(
      new CloudwatchMetricAlarm(this, id, {
        ...metric,
        period: 300,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        treatMissingData: 'notBreaching',
        alarmActions: [this.topic.arn],
      }),
    );
  }
}

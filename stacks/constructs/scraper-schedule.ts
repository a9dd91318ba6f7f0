import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { assumeRolePolicy, policyDocument } from '../iam';
import type { NodeFunction } from './node-function';

export interface ScraperScheduleProps {
  /** The scraper Lambda the schedule invokes. */
  readonly target: NodeFunction;
  readonly scheduleName: string;
  readonly roleName: string;
  readonly deadLetterQueueName: string;
  /** `cron(...)` in the time zone below. */
  readonly scheduleExpression: string;
  readonly maxRetryAttempts: number;
  readonly maxEventAgeSeconds: number;
  readonly accountId: string;
}

/** B3 publishes the D-1 portfolio in Brasília time; the schedule follows it, daylight saving included. */
const SCHEDULE_TIME_ZONE = 'America/Sao_Paulo';

/**
 * EventBridge Scheduler invoking the scraper on weekdays, retrying with backoff, and parking
 * invocations it could not deliver in an encrypted SQS dead-letter queue.
 */
export class ScraperSchedule extends Construct {
  readonly schedule: SchedulerSchedule;
  readonly deadLetterQueue: SqsQueue;

  constructor(scope: Construct, id: string, props: ScraperScheduleProps) {
    super(scope, id);
    this.deadLetterQueue = new SqsQueue(this, 'dlq', {
      name: props.deadLetterQueueName,
      messageRetentionSeconds: 14 * 24 * 3600,
      sqsManagedSseEnabled: true,
    });
    const role = new IamRole(this, 'role', {
      name: props.roleName,
      // Only schedules of this account may assume it (confused-deputy guard).
      assumeRolePolicy: assumeRolePolicy('scheduler.amazonaws.com', props.accountId),
    });
    new IamRolePolicy(this, 'policy', {
      name: 'invoke-scraper',
      role: role.id,
      policy: policyDocument([
        { Sid: 'InvokeScraper', Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: [props.target.arn] },
        { Sid: 'DeadLetter', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [this.deadLetterQueue.arn] },
      ]),
    });
    this.schedule = new SchedulerSchedule(this, 'schedule', {
      name: props.scheduleName,
      description: 'Scrape the B3 index portfolios (D-1 session) into raw/ on weekdays',
      scheduleExpression: props.scheduleExpression,
      scheduleExpressionTimezone: SCHEDULE_TIME_ZONE,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: props.target.arn,
        roleArn: role.arn,
        input: JSON.stringify({ source: 'schedule' }),
        retryPolicy: {
          maximumRetryAttempts: props.maxRetryAttempts,
          maximumEventAgeInSeconds: props.maxEventAgeSeconds,
        },
        deadLetterConfig: { arn: this.deadLetterQueue.arn },
      },
    });
  }
}

import type { S3Event } from 'aws-lambda';
import { PipelineError } from '../../lib/errors';
import type { ObjectCreatedNotifier } from '../../lib/pipeline/run-pipeline';
import type { RefinementOutcome, StartedRun } from '../../lib/pipeline/start-refinement';
import { systemClock, type Clock } from '../../lib/ports/clock';
import type { ObjectStore } from '../../lib/ports/object-store';
import { routeOfKey } from '../../lib/pipeline/refinement-routes';
import { s3ObjectCreatedEvent } from './s3-event';

/** The trigger Lambda's handler as `createHandler` (functions/glue-trigger) builds it. */
export type S3EventHandler = (event: S3Event) => Promise<RefinementOutcome>;

export interface LocalS3NotificationsOptions {
  /** The bucket name the events carry (locally, the name the lake folder stands for). */
  readonly bucket: string;
  /** Where the objects were written: the event reports their size and ETag as S3 would. */
  readonly store: ObjectStore;
  readonly handler: S3EventHandler;
  readonly region?: string;
  readonly clock?: Clock;
}

/**
 * The local stand-in for S3 → Lambda: for each created object that passes one of the notification's
 * filters, one ObjectCreated event (S3 sends one record per event) goes to the trigger handler,
 * one after the other. Unlike S3's asynchronous invocation, a handler failure reaches the
 * caller: locally there is no retry or on-failure destination to catch it.
 */
export class LocalS3Notifications implements ObjectCreatedNotifier {
  private sequence = 0;

  constructor(private readonly opts: LocalS3NotificationsOptions) {}

  async objectsCreated(keys: readonly string[]): Promise<RefinementOutcome> {
    const started: StartedRun[] = [];
    const ignored: string[] = [];
    for (const key of keys) {
      // The bucket notification's filters, as the stack declares them from the same routes.
      const route = routeOfKey(key);
      if (route === null) continue;
      const body = await this.opts.store.get(key);
      if (body === undefined) {
        throw new PipelineError(`local-events: no object to announce as created, got ${this.opts.store.describe(key)}`);
      }
      const event = s3ObjectCreatedEvent(
        { key, body },
        {
          bucket: this.opts.bucket,
          configurationId: route.notificationId,
          region: this.opts.region,
          eventTime: (this.opts.clock ?? systemClock).now(),
          sequence: ++this.sequence,
        },
      );
      const outcome = await this.opts.handler(event);
      started.push(...outcome.started);
      ignored.push(...outcome.ignored);
    }
    return { started, ignored };
  }
}

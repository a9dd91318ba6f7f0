import type { S3Event, S3EventRecord } from 'aws-lambda';
import { createHash, randomBytes } from 'node:crypto';

/**
 * Encodes an object key the way S3 writes it into event notifications: form-URL encoding of
 * each path segment (space → `+`, `=` → `%3D`), with `/` left as is. Java's URLEncoder, which S3
 * follows, also escapes `!'()~` (encodeURIComponent does not) and leaves `*` alone.
 */
export function encodeS3EventKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%20/g, '+'),
    )
    .join('/');
}

export interface CreatedObject {
  readonly key: string;
  /** The object's bytes: S3 reports their size and, for a single PUT, their MD5 as the ETag. */
  readonly body: Uint8Array;
}

export interface S3EventOptions {
  readonly bucket: string;
  readonly region?: string;
  /** The notification configuration's id (the stack's are the routes' `notificationId`s, lib/pipeline/refinement-routes.ts). */
  readonly configurationId?: string;
  /** When the object was created; S3 sends ISO-8601 with milliseconds. */
  readonly eventTime: Date;
  /** S3's sequencer orders events of one key: a hex string that grows. */
  readonly sequence: number;
}

/**
 * One `ObjectCreated:Put` record shaped as S3 delivers it to Lambda (event version 2.1), so the
 * trigger handler reads exactly what it reads in AWS, URL-encoded key included.
 */
function s3ObjectCreatedRecord(object: CreatedObject, opts: S3EventOptions): S3EventRecord {
  const region = opts.region ?? 'us-east-1';
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: region,
    eventTime: opts.eventTime.toISOString(),
    eventName: 'ObjectCreated:Put',
    userIdentity: { principalId: 'AWS:LOCAL' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: {
      'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(),
      'x-amz-id-2': randomBytes(32).toString('base64'),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: opts.configurationId ?? 'raw-parquet-to-glue-trigger',
      bucket: { name: opts.bucket, ownerIdentity: { principalId: 'LOCAL' }, arn: `arn:aws:s3:::${opts.bucket}` },
      object: {
        key: encodeS3EventKey(object.key),
        size: object.body.byteLength,
        eTag: createHash('md5').update(object.body).digest('hex'),
        sequencer: opts.sequence.toString(16).toUpperCase().padStart(18, '0'),
      },
    },
  };
}

/** S3 sends one record per notification; an event is a list so the type allows more. */
export function s3ObjectCreatedEvent(object: CreatedObject, opts: S3EventOptions): S3Event {
  return { Records: [s3ObjectCreatedRecord(object, opts)] };
}

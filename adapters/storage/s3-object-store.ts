import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import type { ObjectStore } from '../../lib/ports/object-store';

/** The base64 SHA-256 of a body, as S3's `x-amz-checksum-sha256` carries it. */
function sha256Base64(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('base64');
}

/** The data lake in S3. The client is injected (region, endpoint and credentials are the caller's). */
export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
  ) {}

  async put(key: string, body: Uint8Array, contentType = 'application/octet-stream'): Promise<void> {
    // PutObject replaces the whole object or nothing: readers never see a partial file. The
    // SHA-256 is computed here from the bytes we mean to store, so S3 refuses the write
    // (BadDigest) when what arrived differs, and keeps the checksum for every later read.
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, ChecksumAlgorithm: 'SHA256', ChecksumSHA256: sha256Base64(body) }),
    );
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      // ChecksumMode makes S3 return the stored checksum and the SDK check the bytes against it.
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, ChecksumMode: 'ENABLED' }));
      return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  describe(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }
}

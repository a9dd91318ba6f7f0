import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { S3ObjectStore } from '../../../adapters/storage/s3-object-store';
import { emulatorEndpoint, emulatorS3 } from './emulator-s3';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('S3ObjectStore against the AWS emulator', () => {
  const client = emulatorS3();
  const bucket = `lake-store-${process.pid}-${Date.now()}`;
  const store = new S3ObjectStore(client, bucket);
  beforeAll(async () => {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(() => client.destroy());

  it('puts and gets the exact bytes with the content type', async () => {
    await store.put('raw/portfolio/dt=2025-04-07/ibov.parquet', bytes('PAR1…PAR1'), 'application/vnd.apache.parquet');
    expect(Buffer.from((await store.get('raw/portfolio/dt=2025-04-07/ibov.parquet'))!).toString()).toBe('PAR1…PAR1');
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'raw/portfolio/dt=2025-04-07/ibov.parquet' }));
    expect(head.ContentType).toBe('application/vnd.apache.parquet');
  });

  it('writes each object with the SHA-256 of its bytes, which the service keeps and returns', async () => {
    const body = bytes('PAR1 raw day PAR1');
    const key = 'raw/portfolio/dt=2025-04-09/ibov.parquet';
    await store.put(key, body, 'application/vnd.apache.parquet');
    // Computed independently of the adapter: the digest of the exact bytes.
    const expected = createHash('sha256').update(body).digest('base64');
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
    expect(head.ChecksumSHA256).toBe(expected);
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
    expect(got.ChecksumSHA256).toBe(expected);
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.from(body))).toBe(true);
  });

  it('refuses to read an object whose bytes do not match its stored checksum', async () => {
    const key = 'raw/portfolio/dt=2025-04-10/ibov.parquet';
    const wrong = createHash('sha256').update('other bytes').digest('base64');
    // Known difference: moto 5.2.1 stores the checksum a PutObject sends without checking it,
    // where S3 refuses the write with BadDigest. So the mismatch is planted here, and the read
    // side, which the SDK checks against the stored checksum, is what this test holds to it.
    const planted = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes('PAR1'), ChecksumAlgorithm: 'SHA256', ChecksumSHA256: wrong }));
    expect(planted.ChecksumSHA256).toBe(wrong);
    // A client that checks responses only when asked: the store itself asks (ChecksumMode).
    const lax = new S3Client({ endpoint: emulatorEndpoint(), region: process.env.AWS_REGION ?? 'us-east-1', forcePathStyle: true, responseChecksumValidation: 'WHEN_REQUIRED' });
    try {
      await expect(new S3ObjectStore(lax, bucket).get(key)).rejects.toThrow(/checksum mismatch/i);
    } finally {
      lax.destroy();
    }
  });

  it('overwrites the same key', async () => {
    await store.put('raw/portfolio/dt=2025-04-08/ibov.parquet', bytes('first'));
    await store.put('raw/portfolio/dt=2025-04-08/ibov.parquet', bytes('second'));
    expect(Buffer.from((await store.get('raw/portfolio/dt=2025-04-08/ibov.parquet'))!).toString()).toBe('second');
  });

  it('answers undefined for a missing key', async () => {
    expect(await store.get('raw/portfolio/dt=1999-01-01/ibov.parquet')).toBeUndefined();
  });

  it('lists keys under a prefix, sorted', async () => {
    await store.put('raw/portfolio/dt=2025-04-07/smll.parquet', bytes('s'));
    await store.put('refined/other.parquet', bytes('r'));
    expect(await store.list('raw/')).toEqual([
      'raw/portfolio/dt=2025-04-07/ibov.parquet',
      'raw/portfolio/dt=2025-04-07/smll.parquet',
      'raw/portfolio/dt=2025-04-08/ibov.parquet',
      'raw/portfolio/dt=2025-04-09/ibov.parquet',
      'raw/portfolio/dt=2025-04-10/ibov.parquet',
    ]);
    expect(store.describe('raw/x')).toBe(`s3://${bucket}/raw/x`);
  });
});

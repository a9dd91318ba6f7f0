import { CreateBucketCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../../../adapters/storage/s3-object-store';
import { emulatorS3 } from './emulator-s3';

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
    ]);
    expect(store.describe('raw/x')).toBe(`s3://${bucket}/raw/x`);
  });
});

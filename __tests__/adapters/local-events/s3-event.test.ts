import { encodeS3EventKey, s3ObjectCreatedEvent } from '../../../adapters/local-events/s3-event';
import { decodeS3EventKey } from '../../../lib/pipeline/start-refinement';

describe('encodeS3EventKey', () => {
  it('encodes as S3 writes keys into notifications: = as %3D, space as +, / kept', () => {
    expect(encodeS3EventKey('raw/portfolio/dt=2025-07-14/ibov.parquet')).toBe('raw/portfolio/dt%3D2025-07-14/ibov.parquet');
    expect(encodeS3EventKey('raw/red flower+1.jpg')).toBe('raw/red+flower%2B1.jpg');
    expect(encodeS3EventKey("a(b)!c'~*/ç")).toBe('a%28b%29%21c%27%7E*/%C3%A7');
  });

  it('round-trips through the trigger decoder for awkward keys', () => {
    for (const key of ['raw/portfolio/dt=2025-07-14/ibov.parquet', 'raw/a b+c/d%e.parquet', "raw/(x)!'~*/é ü.parquet", 'raw//double/'] as const) {
      expect(decodeS3EventKey(encodeS3EventKey(key))).toBe(key);
    }
  });
});

describe('s3ObjectCreatedEvent', () => {
  it('carries one ObjectCreated:Put record shaped as S3 sends it', () => {
    const body = new TextEncoder().encode('hello');
    const event = s3ObjectCreatedEvent(
      { key: 'raw/portfolio/dt=2025-04-07/ibov.parquet', body },
      { bucket: 'local-lake', eventTime: new Date(Date.UTC(2025, 3, 7, 21, 0, 1, 5)), sequence: 26 },
    );
    expect(event.Records).toHaveLength(1);
    const [record] = event.Records;
    expect(record).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: '2025-04-07T21:00:01.005Z',
      eventName: 'ObjectCreated:Put',
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'raw-parquet-to-glue-trigger',
        bucket: { name: 'local-lake', arn: 'arn:aws:s3:::local-lake' },
        // md5("hello"), as S3 reports the ETag of a single-part PUT.
        object: { key: 'raw/portfolio/dt%3D2025-04-07/ibov.parquet', size: 5, eTag: '5d41402abc4b2a76b9719d911017c592', sequencer: '00000000000000001A' },
      },
    });
    expect(record.responseElements['x-amz-request-id']).toMatch(/^[0-9A-F]{16}$/);
  });
});

import { Logger } from '@aws-lambda-powertools/logger';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Event } from 'aws-lambda';
import { LocalS3Notifications } from '../../../adapters/local-events/local-s3-notifications';
import { LocalLakeStore } from '../../../adapters/storage/local-lake-store';
import { createHandler } from '../../../functions/glue-trigger/handler';
import type { JobRunner } from '../../../lib/ports/job-runner';

/** A JobRunner that records its calls: the port, implemented for the test. */
class RecordingRunner implements JobRunner {
  readonly calls: { jobName: string; args: Readonly<Record<string, string>> }[] = [];
  async startRun(jobName: string, args: Readonly<Record<string, string>>): Promise<string> {
    this.calls.push({ jobName, args });
    return `run-${this.calls.length}`;
  }
}

describe('LocalS3Notifications', () => {
  let dir: string;
  let store: LocalLakeStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'local-events-'));
    store = new LocalLakeStore(dir);
    await store.put('raw/portfolio/dt=2025-04-07/ibov.parquet', new Uint8Array([1, 2, 3]));
    await store.put('raw/portfolio/dt=2025-04-08/smll.parquet', new Uint8Array([4, 5, 6, 7]));
    await store.put('raw/portfolio/dt=2025-04-07/notes.txt', new Uint8Array([8]));
    await store.put('raw/quotes/dt=2025-04-04/cotahist.parquet', new Uint8Array([5, 5]));
    await store.put('refined/b3_portfolio_refined/dt=2025-04-07/ticker=VALE3/part-1.parquet', new Uint8Array([9]));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('sends one S3 event per created raw Parquet object to the real trigger handler, which starts the job', async () => {
    const runner = new RecordingRunner();
    const events: S3Event[] = [];
    const trigger = createHandler(() => ({ jobRunner: runner, jobNames: { portfolio: 'b3-portfolio-refined', quotes: 'b3-quotes-refined' }, logger: new Logger({ logLevel: 'SILENT' }) }));
    const notifier = new LocalS3Notifications({
      bucket: 'local-lake',
      store,
      handler: async (event) => {
        events.push(event);
        return trigger(event);
      },
    });
    const outcome = await notifier.objectsCreated([
      'raw/portfolio/dt=2025-04-07/ibov.parquet',
      'raw/portfolio/dt=2025-04-07/notes.txt',
      'refined/b3_portfolio_refined/dt=2025-04-07/ticker=VALE3/part-1.parquet',
      'raw/portfolio/dt=2025-04-08/smll.parquet',
      'raw/quotes/dt=2025-04-04/cotahist.parquet',
    ]);
    // The bucket notification filters on raw/<dataset>/ and .parquet: the other two never reach the trigger.
    expect(events.map((e) => e.Records.map((r) => [r.s3.bucket.name, r.s3.object.key, r.s3.object.size]))).toEqual([
      [['local-lake', 'raw/portfolio/dt%3D2025-04-07/ibov.parquet', 3]],
      [['local-lake', 'raw/portfolio/dt%3D2025-04-08/smll.parquet', 4]],
      [['local-lake', 'raw/quotes/dt%3D2025-04-04/cotahist.parquet', 2]],
    ]);
    // Each event names the notification configuration of its route, as the stack declares them.
    expect(events.map((e) => e.Records[0].s3.configurationId)).toEqual(['raw-portfolio-to-glue-trigger', 'raw-portfolio-to-glue-trigger', 'raw-quotes-to-glue-trigger']);
    expect(Number.parseInt(events[1].Records[0].s3.object.sequencer, 16)).toBeGreaterThan(Number.parseInt(events[0].Records[0].s3.object.sequencer, 16));
    expect(runner.calls).toEqual([
      { jobName: 'b3-portfolio-refined', args: { '--portfolio_date': '2025-04-07', '--raw_object_key': 'raw/portfolio/dt=2025-04-07/ibov.parquet' } },
      { jobName: 'b3-portfolio-refined', args: { '--portfolio_date': '2025-04-08', '--raw_object_key': 'raw/portfolio/dt=2025-04-08/smll.parquet' } },
      { jobName: 'b3-quotes-refined', args: { '--session_date': '2025-04-04', '--raw_object_key': 'raw/quotes/dt=2025-04-04/cotahist.parquet' } },
    ]);
    expect(outcome).toEqual({
      started: [
        { rawObjectKey: 'raw/portfolio/dt=2025-04-07/ibov.parquet', dataset: 'portfolio', jobName: 'b3-portfolio-refined', day: '2025-04-07', runId: 'run-1' },
        { rawObjectKey: 'raw/portfolio/dt=2025-04-08/smll.parquet', dataset: 'portfolio', jobName: 'b3-portfolio-refined', day: '2025-04-08', runId: 'run-2' },
        { rawObjectKey: 'raw/quotes/dt=2025-04-04/cotahist.parquet', dataset: 'quotes', jobName: 'b3-quotes-refined', day: '2025-04-04', runId: 'run-3' },
      ],
      ignored: [],
    });
  });

  it('refuses to announce an object that is not in the store', async () => {
    const runner = new RecordingRunner();
    const notifier = new LocalS3Notifications({
      bucket: 'local-lake',
      store,
      handler: createHandler(() => ({ jobRunner: runner, jobNames: { portfolio: 'job', quotes: 'quotes-job' }, logger: new Logger({ logLevel: 'SILENT' }) })),
    });
    await expect(notifier.objectsCreated(['raw/portfolio/dt=2025-04-09/ibov.parquet'])).rejects.toThrow(
      `local-events: no object to announce as created, got ${join(dir, 'raw/portfolio/dt=2025-04-09/ibov.parquet')}`,
    );
    expect(runner.calls).toEqual([]);
  });

  it('passes a trigger failure to the caller (no asynchronous retry locally)', async () => {
    const failing: JobRunner = { startRun: async () => Promise.reject(new Error('glue: concurrent runs exceeded')) };
    const notifier = new LocalS3Notifications({
      bucket: 'local-lake',
      store,
      handler: createHandler(() => ({ jobRunner: failing, jobNames: { portfolio: 'job', quotes: 'quotes-job' }, logger: new Logger({ logLevel: 'SILENT' }) })),
    });
    await expect(notifier.objectsCreated(['raw/portfolio/dt=2025-04-07/ibov.parquet'])).rejects.toThrow(
      'trigger: could not start job job for 1 object(s), got raw/portfolio/dt=2025-04-07/ibov.parquet (glue: concurrent runs exceeded)',
    );
  });
});

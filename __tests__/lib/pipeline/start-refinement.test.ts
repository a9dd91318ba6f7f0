import { PipelineError } from '../../../lib/errors';
import type { JobRunner } from '../../../lib/ports/job-runner';
import { decodeS3EventKey, startRefinement, type S3ObjectRecord } from '../../../lib/pipeline/start-refinement';
import { rawObjectKey } from '../../../lib/raw/raw-key';

/** Records every call; fails for keys listed in `failFor`. A port implementation, not a mock. */
class RecordingRunner implements JobRunner {
  readonly calls: { jobName: string; args: Record<string, string> }[] = [];
  constructor(private readonly failFor: readonly string[] = []) {}
  async startRun(jobName: string, args: Readonly<Record<string, string>>): Promise<string> {
    if (this.failFor.includes(args['--raw_object_key'])) throw new Error('ConcurrentRunsExceededException');
    this.calls.push({ jobName, args: { ...args } });
    return `jr_${this.calls.length}`;
  }
}

const JOBS = { portfolio: 'b3-dev-refine', quotes: 'b3-dev-refine-quotes' } as const;
const record = (key: string): S3ObjectRecord => ({ s3: { bucket: { name: 'lake' }, object: { key } } });

describe('decodeS3EventKey', () => {
  it('undoes S3 URL encoding with + for a space', () => {
    expect(decodeS3EventKey('raw/portfolio/dt%3D2025-07-14/ibov.parquet')).toBe('raw/portfolio/dt=2025-07-14/ibov.parquet');
    expect(decodeS3EventKey('raw/my+file%2B1.parquet')).toBe('raw/my file+1.parquet');
  });
  it('returns undefined for a malformed escape', () => {
    expect(decodeS3EventKey('raw/%E0%A4%A.parquet')).toBeUndefined();
  });
});

describe('startRefinement', () => {
  it('starts one run per raw portfolio object with day and key as arguments, ignoring other keys', async () => {
    const runner = new RecordingRunner();
    const outcome = await startRefinement(
      [
        record('raw/portfolio/dt%3D2025-07-14/ibov.parquet'),
        record('raw/portfolio/dt%3D2025-07-15/smll.parquet'),
        record('raw/portfolio/dt%3D2025-07-14/notes.txt'),
        record('refined/b3_portfolio_refined/dt%3D2025-07-14/ibov.parquet'),
        record('raw/portfolio/dt%3D2025-02-30/ibov.parquet'),
      ],
      { jobRunner: runner, jobNames: JOBS },
    );
    expect(runner.calls).toEqual([
      { jobName: 'b3-dev-refine', args: { '--portfolio_date': '2025-07-14', '--raw_object_key': 'raw/portfolio/dt=2025-07-14/ibov.parquet' } },
      { jobName: 'b3-dev-refine', args: { '--portfolio_date': '2025-07-15', '--raw_object_key': 'raw/portfolio/dt=2025-07-15/smll.parquet' } },
    ]);
    expect(outcome).toEqual({
      started: [
        { rawObjectKey: 'raw/portfolio/dt=2025-07-14/ibov.parquet', dataset: 'portfolio', jobName: 'b3-dev-refine', day: '2025-07-14', runId: 'jr_1' },
        { rawObjectKey: 'raw/portfolio/dt=2025-07-15/smll.parquet', dataset: 'portfolio', jobName: 'b3-dev-refine', day: '2025-07-15', runId: 'jr_2' },
      ],
      ignored: ['raw/portfolio/dt=2025-07-14/notes.txt', 'refined/b3_portfolio_refined/dt=2025-07-14/ibov.parquet', 'raw/portfolio/dt=2025-02-30/ibov.parquet'],
    });
  });

  it('starts the quotes job for a raw quotes object and the portfolio job for a raw portfolio object, each with its day argument', async () => {
    const runner = new RecordingRunner();
    const outcome = await startRefinement(
      [
        record('raw/quotes/dt%3D2024-11-08/cotahist.parquet'),
        record('raw/portfolio/dt%3D2024-11-11/ibov.parquet'),
        record('raw/quotes/dt%3D2024-11-08/other.parquet'),
        record('raw/quotes/dt%3D2024-11-31/cotahist.parquet'),
        record('raw/quotesx/dt%3D2024-11-08/cotahist.parquet'),
        record('refined/b3_quotes_refined/dt%3D2024-11-08/part-0.parquet'),
      ],
      { jobRunner: runner, jobNames: JOBS },
    );
    expect(runner.calls).toEqual([
      { jobName: 'b3-dev-refine-quotes', args: { '--session_date': '2024-11-08', '--raw_object_key': 'raw/quotes/dt=2024-11-08/cotahist.parquet' } },
      { jobName: 'b3-dev-refine', args: { '--portfolio_date': '2024-11-11', '--raw_object_key': 'raw/portfolio/dt=2024-11-11/ibov.parquet' } },
    ]);
    expect(outcome.started.map((s) => [s.dataset, s.jobName, s.day])).toEqual([
      ['quotes', 'b3-dev-refine-quotes', '2024-11-08'],
      ['portfolio', 'b3-dev-refine', '2024-11-11'],
    ]);
    expect(outcome.ignored).toEqual([
      'raw/quotes/dt=2024-11-08/other.parquet',
      'raw/quotes/dt=2024-11-31/cotahist.parquet',
      'raw/quotesx/dt=2024-11-08/cotahist.parquet',
      'refined/b3_quotes_refined/dt=2024-11-08/part-0.parquet',
    ]);
  });

  it('names every job it could not start', async () => {
    const runner = new RecordingRunner(['raw/quotes/dt=2024-11-08/cotahist.parquet', 'raw/portfolio/dt=2024-11-11/ibov.parquet']);
    await expect(
      startRefinement([record('raw/quotes/dt%3D2024-11-08/cotahist.parquet'), record('raw/portfolio/dt%3D2024-11-11/ibov.parquet')], { jobRunner: runner, jobNames: JOBS }),
    ).rejects.toThrow(
      'trigger: could not start job b3-dev-refine-quotes, b3-dev-refine for 2 object(s), got raw/quotes/dt=2024-11-08/cotahist.parquet (ConcurrentRunsExceededException); raw/portfolio/dt=2024-11-11/ibov.parquet (ConcurrentRunsExceededException)',
    );
  });

  it('starts a key repeated in one event once', async () => {
    const runner = new RecordingRunner();
    const key = 'raw/portfolio/dt%3D2025-07-14/ibov.parquet';
    const outcome = await startRefinement([record(key), record(key)], { jobRunner: runner, jobNames: JOBS });
    expect(runner.calls).toHaveLength(1);
    expect(outcome.started.map((s) => s.runId)).toEqual(['jr_1']);
  });

  it('starts nothing for an event without matching keys', async () => {
    const runner = new RecordingRunner();
    const outcome = await startRefinement([record('raw/readme.md')], { jobRunner: runner, jobNames: JOBS });
    expect(runner.calls).toEqual([]);
    expect(outcome).toEqual({ started: [], ignored: ['raw/readme.md'] });
  });

  it('tries every key and then fails naming the keys it could not start', async () => {
    const runner = new RecordingRunner(['raw/portfolio/dt=2025-07-15/ibov.parquet']);
    const run = startRefinement(
      [record('raw/portfolio/dt%3D2025-07-14/ibov.parquet'), record('raw/portfolio/dt%3D2025-07-15/ibov.parquet')],
      { jobRunner: runner, jobNames: { ...JOBS, portfolio: 'refine' } },
    );
    await expect(run).rejects.toThrow(PipelineError);
    await expect(run).rejects.toThrow(
      'trigger: could not start job refine for 1 object(s), got raw/portfolio/dt=2025-07-15/ibov.parquet (ConcurrentRunsExceededException); started jr_1',
    );
    expect(runner.calls).toHaveLength(1);
  });

  it('keeps the error on one line when a runner reason spans several lines', async () => {
    const key = rawObjectKey('IBOV', '2025-07-14');
    const multiLine: JobRunner = {
      startRun: async () => {
        throw new Error('local-glue: Binder Error:\n  column "dt" not found\n');
      },
    };
    await expect(startRefinement([record(key)], { jobRunner: multiLine, jobNames: { ...JOBS, portfolio: 'refine' } })).rejects.toThrow(
      new PipelineError(`trigger: could not start job refine for 1 object(s), got ${key} (local-glue: Binder Error: column "dt" not found)`),
    );
  });
});

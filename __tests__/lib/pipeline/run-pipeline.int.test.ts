import { Logger } from '@aws-lambda-powertools/logger';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ReplayFileSource } from '../../../adapters/b3-http/replay-file-source';
import { openLocalCatalog } from '../../../adapters/duckdb/local-catalog';
import { LocalJobRunner } from '../../../adapters/duckdb/local-job-runner';
import { LocalS3Notifications } from '../../../adapters/local-events/local-s3-notifications';
import { LocalLakeStore } from '../../../adapters/storage/local-lake-store';
import { createHandler } from '../../../functions/glue-trigger/handler';
import { b3PortfolioRefinedJob } from '../../../glue-jobs/b3-portfolio-refined';
import { b3TradingCalendar } from '../../../lib/calendar/trading-calendar';
import { runPipeline, type ObjectCreatedNotifier, type RunPipelineDeps } from '../../../lib/pipeline/run-pipeline';
import { ScrapeError } from '../../../lib/pipeline/scrape-portfolio';
import type { B3Source } from '../../../lib/ports/b3-source';
import type { JobRunner } from '../../../lib/ports/job-runner';
import { PerIndexSource } from '../../adapters/b3-http/per-index-source';
import { CLOUDFLARE_CHALLENGE } from '../../adapters/b3-http/replay-server';
import { FIXTURES, factsOf } from '../../cli/capture-facts';

const JOB = b3PortfolioRefinedJob({ jobName: 'b3-portfolio-refined', roleArn: 'arn:aws:iam::000000000000:role/local', bucket: 'local-lake' });
const JSON_2025_04_07 = path.join(FIXTURES, 'GetPortfolioDay_enus_seg2_2025-04-07.json');

describe('runPipeline on a local lake through the real trigger handler and the DuckDB executor', () => {
  let dir: string;
  let store: LocalLakeStore;
  const progress: string[] = [];
  const notifierWith = (jobRunner: JobRunner) =>
    new LocalS3Notifications({
      bucket: 'local-lake',
      store,
      handler: createHandler(() => ({ jobRunner, jobNames: { portfolio: JOB.Name!, quotes: 'b3-quotes-refined' }, logger: new Logger({ logLevel: 'SILENT' }) })),
    });
  const deps = (source: B3Source, notifier: ObjectCreatedNotifier): RunPipelineDeps => ({
    source,
    store,
    notifier,
    calendar: b3TradingCalendar,
    clock: { now: () => new Date('2025-04-07T12:00:00Z') },
    progress: (line) => progress.push(line),
  });

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'run-pipeline-'));
    store = new LocalLakeStore(dir);
    progress.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('scrapes, announces the raw object, refines that day and reads it back', async () => {
    const facts = factsOf('2025-04-07');
    const runner = new LocalJobRunner({ jobs: [JOB], lakeDir: dir });
    const [run, ...more] = await runPipeline(deps(new ReplayFileSource(JSON_2025_04_07), notifierWith(runner)), ['IBOV']);
    expect(more).toEqual([]);
    expect(run.scraped).toEqual({
      index: 'IBOV',
      portfolio_date: '2025-04-07',
      session_date: '2025-04-04',
      rows: facts.weights.length,
      key: 'raw/portfolio/dt=2025-04-07/ibov.parquet',
      location: path.join(dir, 'raw/portfolio/dt=2025-04-07/ibov.parquet'),
      source: 'json-api',
    });
    expect(run.run_ids).toHaveLength(1);
    expect(run.run_ids[0]).toMatch(/^local-[0-9a-f-]{36}$/);
    const top5 = [...facts.weights].sort((a, b) => b.weight - a.weight).slice(0, 5).map((w) => ({ ticker: w.ticker, weight_pct: w.weight }));
    expect(run.refined).toEqual({ portfolio_date: '2025-04-07', index: 'IBOV', rows: 87, partitions: 87, files: 87, largest: top5 });
    expect(run.refined_location).toBe(path.join(dir, 'refined/b3_portfolio_refined/dt=2025-04-07'));
    expect(readdirSync(path.join(dir, 'refined/b3_portfolio_refined/dt=2025-04-07')).sort()).toEqual(facts.weights.map((w) => `ticker=${w.ticker}`).sort());
    expect(progress).toEqual([
      'scrape: fetching IBOV',
      `scrape: wrote 87 rows of IBOV 2025-04-07 to ${path.join(dir, 'raw/portfolio/dt=2025-04-07/ibov.parquet')}`,
      'trigger: ObjectCreated for raw/portfolio/dt=2025-04-07/ibov.parquet',
      `refine: job run ${run.run_ids[0]} done for IBOV 2025-04-07`,
    ]);
    const catalog = await openLocalCatalog(dir);
    try {
      const rows = (await catalog.conn.runAndReadAll('SELECT count(*) AS n, count(DISTINCT ticker) AS t FROM b3_portfolio_refined')).getRowObjectsJS();
      expect(rows).toEqual([{ n: 87n, t: 87n }]);
    } finally {
      catalog.close();
    }
  });

  it('fails naming the day when the job run leaves no refined rows', async () => {
    const idle: JobRunner = { startRun: async () => 'run-that-did-nothing' };
    await expect(runPipeline(deps(new ReplayFileSource(JSON_2025_04_07), notifierWith(idle)), ['IBOV'])).rejects.toThrow(
      'run: refined rows of IBOV 2025-04-07 differ from the raw rows, got 0 refined for 87 raw',
    );
  });

  it('fails when the notification starts no job for the written object', async () => {
    const deaf: ObjectCreatedNotifier = { objectsCreated: async () => ({ started: [], ignored: ['raw/portfolio/dt=2025-04-07/ibov.parquet'] }) };
    await expect(runPipeline(deps(new ReplayFileSource(JSON_2025_04_07), deaf), ['IBOV'])).rejects.toThrow(
      'run: the trigger started no job for raw/portfolio/dt=2025-04-07/ibov.parquet, got ignored keys [raw/portfolio/dt=2025-04-07/ibov.parquet]',
    );
  });

  it('refines the index that was written when another is refused, then reports the refusal', async () => {
    const challenge = path.join(dir, 'challenge.html');
    writeFileSync(challenge, CLOUDFLARE_CHALLENGE);
    const runner = new LocalJobRunner({ jobs: [JOB], lakeDir: dir });
    const error = await runPipeline(deps(new PerIndexSource({ IBOV: JSON_2025_04_07, SMLL: challenge }), notifierWith(runner)), ['IBOV', 'SMLL']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScrapeError);
    expect((error as ScrapeError).failures.map((f) => f.index)).toEqual(['SMLL']);
    expect(readdirSync(path.join(dir, 'refined/b3_portfolio_refined/dt=2025-04-07'))).toHaveLength(87);
    expect(progress).toContain('trigger: ObjectCreated for raw/portfolio/dt=2025-04-07/ibov.parquet');
  });
});

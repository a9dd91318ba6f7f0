import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runGlueJobLocally } from '../../adapters/duckdb/run-glue-job-locally';
import { b3PortfolioRefinedJob } from '../../glue-jobs/b3-portfolio-refined';
import { parseReplayedBody } from '../../lib/b3/replay';
import type { IsoDate } from '../../lib/calendar/iso-date';
import { toRawRecords } from '../../lib/raw/raw-contract';
import { rawObjectKey } from '../../lib/raw/raw-key';
import { encodeRawParquet } from '../../lib/raw/raw-parquet';
import { fixtureBytes } from '../lib/b3/b3-fixtures';

/**
 * Writes a real IBOV capture (__tests__/fixtures/b3) as its raw object and refines the lake with
 * the real DAG on DuckDB, so b3_portfolio_daily is what the job makes. `asPortfolioDate` files
 * the same composition under another day: a scenario for returns, said so in each test using it.
 */
export async function refinePortfolioCapture(lake: string, file: string, sessionDate: IsoDate, asPortfolioDate?: IsoDate): Promise<void> {
  const parsed = parseReplayedBody(fixtureBytes(file), 'IBOV');
  const snapshot = asPortfolioDate ? { ...parsed, portfolioDate: asPortfolioDate } : parsed;
  const path = join(lake, rawObjectKey('IBOV', snapshot.portfolioDate));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, encodeRawParquet(toRawRecords(snapshot, sessionDate, new Date('2026-12-01T10:00:00Z'))));
  const job = b3PortfolioRefinedJob({ jobName: 'b3-refined', roleArn: 'arn:aws:iam::123456789012:role/glue', bucket: 'lake' });
  await runGlueJobLocally({ job, lakeDir: lake, all: true });
}

import { parquetReadObjects } from 'hyparquet';
import type { IsoDate } from '../calendar/iso-date';
import { PipelineError } from '../errors';
import type { ObjectStore } from '../ports/object-store';
import { REFINED_TABLE_PREFIX } from '../refined/refined-contract';
import { byWeightDesc } from '../report/report-model';

export interface TickerWeight {
  readonly ticker: string;
  readonly weight_pct: number;
}

/** One refined day of one index, as the run's summary reports it. */
export interface RefinedDay {
  readonly portfolio_date: IsoDate;
  readonly index: string;
  /** Refined rows of this index on the day. */
  readonly rows: number;
  /** `ticker=` partitions under `refined/b3_portfolio_refined/dt=<day>/` (every index of the day). */
  readonly partitions: number;
  /** Parquet objects under `refined/b3_portfolio_refined/dt=<day>/`. */
  readonly files: number;
  /** The largest weights of the index, heaviest first, ties by ticker. */
  readonly largest: readonly TickerWeight[];
}

const REFINED_FILE = new RegExp(`^${REFINED_TABLE_PREFIX}dt=(\\d{4}-\\d{2}-\\d{2})/ticker=([^/]+)/[^/]+\\.parquet$`);

/**
 * Reads one refined day back through the ObjectStore port, so the same code checks the local
 * lake and S3. The ticker is the Hive partition in the key (the job's sink leaves partition
 * columns out of the files); the files hold `index_code` and `weight_pct`.
 */
export async function readRefinedDay(store: ObjectStore, day: IsoDate, indexCode: string, top: number): Promise<RefinedDay> {
  const keys = (await store.list(`${REFINED_TABLE_PREFIX}dt=${day}/`)).filter((k) => REFINED_FILE.test(k));
  const tickers = new Set<string>();
  const weights: TickerWeight[] = [];
  for (const key of keys) {
    const ticker = decodeURIComponent(REFINED_FILE.exec(key)![2]);
    tickers.add(ticker);
    const body = await store.get(key);
    if (body === undefined) throw new PipelineError(`run: refined object vanished while reading it, got ${store.describe(key)}`);
    const file = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
    const rows = await parquetReadObjects({ file, columns: ['index_code', 'weight_pct'] });
    for (const row of rows) {
      if (row.index_code !== indexCode) continue;
      if (typeof row.weight_pct !== 'number') throw new PipelineError(`run: refined weight_pct is not a number, got ${String(row.weight_pct)} in ${store.describe(key)}`);
      weights.push({ ticker, weight_pct: row.weight_pct });
    }
  }
  const largest = [...weights].sort(byWeightDesc).slice(0, top);
  return { portfolio_date: day, index: indexCode, rows: weights.length, partitions: tickers.size, files: keys.length, largest };
}

import type { PortfolioSnapshot, PortfolioSource } from '../b3/portfolio';
import { isIsoDate, type IsoDate } from '../calendar/iso-date';
import { PipelineError } from '../errors';

/**
 * One row of the raw zone, exactly the contract of issue 3: one object per index and
 * portfolio date, columns in this order. Names are the Parquet column names.
 */
export interface RawRecord {
  readonly index_code: string;
  readonly portfolio_date: IsoDate;
  readonly session_date: IsoDate;
  readonly ticker: string;
  readonly asset: string;
  readonly share_type: string;
  readonly sector: string | null;
  readonly theoretical_qty: number;
  readonly weight_pct: number;
  readonly sector_weight_pct: number | null;
  readonly total_theoretical_qty: number;
  readonly reductor: number;
  readonly source: PortfolioSource;
  readonly ingested_at: Date;
}

/** Column order of the raw Parquet file; downstream readers (Glue, Athena) rely on it. */
export const RAW_COLUMNS = [
  'index_code',
  'portfolio_date',
  'session_date',
  'ticker',
  'asset',
  'share_type',
  'sector',
  'theoretical_qty',
  'weight_pct',
  'sector_weight_pct',
  'total_theoretical_qty',
  'reductor',
  'source',
  'ingested_at',
] as const satisfies readonly (keyof RawRecord)[];

export type RawColumn = (typeof RAW_COLUMNS)[number];

/** Logical type of each raw column, named as the Glue Data Catalog names them. */
export type RawColumnType = 'string' | 'date' | 'bigint' | 'double' | 'timestamp';

/**
 * Each column's type and nullability: the Parquet writer's schema and the Glue job's schema of
 * an empty batch are both generated from this, so they cannot drift apart.
 */
export const RAW_COLUMN_TYPES: Readonly<Record<RawColumn, { readonly type: RawColumnType; readonly nullable: boolean }>> = {
  index_code: { type: 'string', nullable: false },
  portfolio_date: { type: 'date', nullable: false },
  session_date: { type: 'date', nullable: false },
  ticker: { type: 'string', nullable: false },
  asset: { type: 'string', nullable: false },
  share_type: { type: 'string', nullable: false },
  sector: { type: 'string', nullable: true },
  theoretical_qty: { type: 'bigint', nullable: false },
  weight_pct: { type: 'double', nullable: false },
  sector_weight_pct: { type: 'double', nullable: true },
  total_theoretical_qty: { type: 'bigint', nullable: false },
  reductor: { type: 'double', nullable: false },
  source: { type: 'string', nullable: false },
  ingested_at: { type: 'timestamp', nullable: false },
};

export class RawContractError extends PipelineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RawContractError';
  }
}

/**
 * Flattens a validated snapshot into raw rows. `sessionDate` is the B3 trading day before
 * the portfolio date (computed by the caller from the calendar); `ingestedAt` is the clock.
 */
export function toRawRecords(snapshot: PortfolioSnapshot, sessionDate: IsoDate, ingestedAt: Date): RawRecord[] {
  if (!isIsoDate(sessionDate)) throw new RawContractError(`raw: session_date is not a YYYY-MM-DD day, got ${sessionDate}`);
  if (!(sessionDate < snapshot.portfolioDate)) {
    throw new RawContractError(
      `raw: session_date must precede portfolio_date ${snapshot.portfolioDate}, got ${sessionDate}`,
    );
  }
  if (Number.isNaN(ingestedAt.getTime())) throw new RawContractError('raw: ingested_at is not a valid time, got Invalid Date');
  return snapshot.rows.map((row) => ({
    index_code: snapshot.indexCode,
    portfolio_date: snapshot.portfolioDate,
    session_date: sessionDate,
    ticker: row.ticker,
    asset: row.asset,
    share_type: row.shareType,
    sector: row.sector,
    theoretical_qty: row.theoreticalQty,
    weight_pct: row.weightPct,
    sector_weight_pct: row.sectorWeightPct,
    total_theoretical_qty: snapshot.totalTheoreticalQty,
    reductor: snapshot.reductor,
    source: snapshot.source,
    ingested_at: ingestedAt,
  }));
}

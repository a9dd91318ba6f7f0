import { refinedTablePrefix } from '../lake/layout';

/**
 * The refined zone's contract (issues 4 and 8):
 * `refined/b3_portfolio_refined/dt=YYYY-MM-DD/ticker=XXXX/*.parquet`, cataloged as
 * `default.b3_portfolio_refined`, one row per (dt, ticker, index_code).
 * Types are the Glue Data Catalog / Athena names.
 */
export const REFINED_DATABASE = 'default';
export const REFINED_TABLE = 'b3_portfolio_refined';

/** The table's own prefix in the lake. */
export const REFINED_TABLE_PREFIX = refinedTablePrefix(REFINED_TABLE);

/** Hive partition keys, in path order. */
export const REFINED_PARTITION_KEYS = ['dt', 'ticker'] as const;

export type RefinedColumnType = 'date' | 'string' | 'bigint' | 'double' | 'int';

export interface RefinedColumn {
  readonly name: string;
  readonly type: RefinedColumnType;
  /** True when the column may be null (sector unknown and its aggregates). */
  readonly nullable: boolean;
}

/** Columns in table order: partition keys first, as the catalog lists them for queries. */
export const REFINED_COLUMNS: readonly RefinedColumn[] = [
  { name: 'dt', type: 'date', nullable: false },
  { name: 'ticker', type: 'string', nullable: false },
  { name: 'index_code', type: 'string', nullable: false },
  { name: 'company_name', type: 'string', nullable: false },
  { name: 'share_class', type: 'string', nullable: false },
  { name: 'sector', type: 'string', nullable: true },
  { name: 'theoretical_qty', type: 'bigint', nullable: false },
  { name: 'weight_pct', type: 'double', nullable: false },
  { name: 'sector_total_weight_pct', type: 'double', nullable: true },
  { name: 'sector_ticker_count', type: 'bigint', nullable: true },
  { name: 'session_date', type: 'date', nullable: false },
  { name: 'days_since_rebalance', type: 'int', nullable: false },
  // Added by issue 9 at the end (readers by name are unaffected): with the D-1 closes they give
  // the index level, Σ qty × close ÷ reductor.
  { name: 'total_theoretical_qty', type: 'bigint', nullable: false },
  { name: 'reductor', type: 'double', nullable: false },
];

/**
 * The same rows, one file per day (issue 9): `refined/b3_portfolio_daily/dt=YYYY-MM-DD/*.parquet`,
 * cataloged as `default.b3_portfolio_daily`, partitioned by `dt` only, `ticker` a plain column.
 * Histories read 1 object a day here instead of ~90 in the date × ticker table.
 */
export const DAILY_TABLE = 'b3_portfolio_daily';
export const DAILY_TABLE_PREFIX = refinedTablePrefix(DAILY_TABLE);
export const DAILY_PARTITION_KEYS = ['dt'] as const;
/** Both refined tables hold these columns in this order; only their partitioning differs. */
export const DAILY_COLUMNS: readonly RefinedColumn[] = REFINED_COLUMNS;

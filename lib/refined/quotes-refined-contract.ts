import { refinedTablePrefix } from '../lake/layout';
import type { RefinedColumn } from './refined-contract';

/**
 * The refined quotes table (issue 10, point 4), a contract other tables and views rely on:
 * `refined/b3_quotes_refined/dt=YYYY-MM-DD/*.parquet`, one file per session, cataloged as
 * `default.b3_quotes_refined`. Only the spot lot market (TPMERC 010), one row per ticker and
 * session; prices per share (B3's price ÷ FATCOT). Types are the Glue Data Catalog / Athena names.
 */
export const QUOTES_REFINED_TABLE = 'b3_quotes_refined';
export const QUOTES_REFINED_PREFIX = refinedTablePrefix(QUOTES_REFINED_TABLE);
export const QUOTES_REFINED_PARTITION_KEYS = ['dt'] as const;

/** TPMERC 010: "VISTA", the spot lot market, where IBOV's constituents trade. */
export const SPOT_MARKET_TYPE = 10;

/** Columns in table order; `dt` (the session as a DATE, like b3_portfolio_daily's) is the partition. */
export const QUOTES_REFINED_COLUMNS: readonly RefinedColumn[] = [
  { name: 'session_date', type: 'date', nullable: false },
  { name: 'ticker', type: 'string', nullable: false },
  { name: 'isin', type: 'string', nullable: false },
  { name: 'company_name', type: 'string', nullable: false },
  { name: 'specification', type: 'string', nullable: false },
  { name: 'bdi_code', type: 'string', nullable: false },
  { name: 'open_price', type: 'double', nullable: false },
  { name: 'high_price', type: 'double', nullable: false },
  { name: 'low_price', type: 'double', nullable: false },
  { name: 'avg_price', type: 'double', nullable: false },
  { name: 'close_price', type: 'double', nullable: false },
  { name: 'trades', type: 'int', nullable: false },
  { name: 'shares_traded', type: 'bigint', nullable: false },
  { name: 'volume_brl', type: 'double', nullable: false },
  { name: 'quote_factor', type: 'int', nullable: false },
  { name: 'dt', type: 'date', nullable: false },
];

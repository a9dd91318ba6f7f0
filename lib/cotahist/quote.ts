import type { IsoDate } from '../calendar/iso-date';

/**
 * One `01` record of a COTAHIST file, typed as B3 defines it; property names are the raw Parquet
 * column names. Decimals are exact: the unscaled integer of B3's digits (PREABE `0000000003585`
 * is open_price 3585n, i.e. 35.85), their scale in the raw contract. Prices are per quote factor
 * (FATCOT): per share when quote_factor is 1, per thousand shares when it is 1000.
 */
export interface CotahistQuote {
  readonly session_date: IsoDate;
  readonly bdi_code: string;
  readonly ticker: string;
  readonly market_type: number;
  readonly company_name: string;
  readonly specification: string;
  readonly forward_term_days: string | null;
  readonly currency: string;
  readonly open_price: bigint;
  readonly high_price: bigint;
  readonly low_price: bigint;
  readonly avg_price: bigint;
  readonly close_price: bigint;
  readonly best_bid_price: bigint;
  readonly best_ask_price: bigint;
  readonly trades: number;
  readonly shares_traded: bigint;
  readonly traded_volume: bigint;
  readonly strike_price: bigint;
  readonly strike_correction: number;
  readonly expiration_date: IsoDate;
  readonly quote_factor: number;
  readonly strike_points: bigint;
  readonly isin: string;
  readonly distribution_number: number;
}

/** The file's header (record 00) and what its trailer (record 99) confirmed. */
export interface CotahistSummary {
  readonly fileName: string;
  readonly origin: string;
  readonly generatedOn: IsoDate;
  /** The file's session; of a monthly or yearly file, its first. */
  readonly session: IsoDate;
  /** Every session of the file, in order: one for a daily file. */
  readonly sessions: readonly IsoDate[];
  /** Every record, header and trailer included: the trailer's TOTREG. */
  readonly totalRecords: number;
  readonly quotes: number;
}

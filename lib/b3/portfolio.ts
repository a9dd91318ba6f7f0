import type { IsoDate } from '../calendar/iso-date';

/** Where a portfolio answer came from; written to the raw `source` column. */
export type PortfolioSource = 'json-api' | 'csv-download';

/** The language B3 formatted numbers and dates in (detected from the body itself). */
export type B3Language = 'pt-br' | 'en-us';

/** One constituent of an index portfolio, parsed and typed. */
export interface PortfolioRow {
  /** B3 trading code, e.g. PETR4 (`cod`). */
  readonly ticker: string;
  /** Company short name (`asset`), trimmed. */
  readonly asset: string;
  /** Share type (`type`) with runs of spaces collapsed: "ON      NM" -> "ON NM". */
  readonly shareType: string;
  /** Sector (`segment`, the CSV sector view's `Setor`); null when the answer carries none (segment 1, the CSV portfolio layout). */
  readonly sector: string | null;
  /** Theoretical quantity (`theoricalQty`), a safe integer. */
  readonly theoreticalQty: number;
  /** Weight in the index, percent (`part`). */
  readonly weightPct: number;
  /** The sector's total weight, percent (`partAcum`); null when unknown. */
  readonly sectorWeightPct: number | null;
}

/** A whole, validated portfolio answer for one index and one portfolio date. */
export interface PortfolioSnapshot {
  /** Index code as requested, upper case, e.g. IBOV. */
  readonly indexCode: string;
  /** `header.date`: the session the portfolio applies to. */
  readonly portfolioDate: IsoDate;
  /** `header.theoricalQty`: sum of every row's theoretical quantity. */
  readonly totalTheoreticalQty: number;
  /** `header.reductor`: the index's reducer. */
  readonly reductor: number;
  readonly source: PortfolioSource;
  readonly language: B3Language;
  readonly rows: readonly PortfolioRow[];
}

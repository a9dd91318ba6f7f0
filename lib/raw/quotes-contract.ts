import { isIsoDate, type IsoDate } from '../calendar/iso-date';
import { QUOTE_FIELDS, type LayoutField, type QuoteField } from '../cotahist/layout';
import type { CotahistQuote } from '../cotahist/quote';
import { RAW_QUOTES_PREFIX } from '../lake/layout';
import { RawContractError } from './raw-contract';

/** `raw/quotes/dt=YYYY-MM-DD/cotahist.parquet`: one object per session, every 01 record of its file. */
export function rawQuotesKey(session: IsoDate): string {
  if (!isIsoDate(session)) throw new RawContractError(`raw: a quotes session is a YYYY-MM-DD day, got ${session}`);
  return `${RAW_QUOTES_PREFIX}dt=${session}/cotahist.parquet`;
}

const RAW_QUOTES_KEY = /^raw\/quotes\/dt=(\d{4}-\d{2}-\d{2})\/cotahist\.parquet$/;

/** The session a raw quotes key names, or null when the key is not one. */
export function parseRawQuotesKey(key: string): IsoDate | null {
  const m = RAW_QUOTES_KEY.exec(key);
  return m && isIsoDate(m[1]) ? m[1] : null;
}

/** A raw quotes column's type, as Athena/Glue name it; decimals exact with B3's implied scale. */
export type QuoteColumnType =
  | { readonly type: 'string'; readonly nullable: boolean }
  | { readonly type: 'date' }
  | { readonly type: 'int' }
  | { readonly type: 'bigint' }
  | { readonly type: 'decimal'; readonly precision: number; readonly scale: number };

export interface QuoteColumn {
  readonly name: keyof CotahistQuote;
  readonly layout: LayoutField;
  readonly column: QuoteColumnType;
}

const text = (nullable = false): QuoteColumnType => ({ type: 'string', nullable });
/** (n)Vdd: n + dd digits in all, dd of them decimals. */
const decimal = (field: QuoteField): QuoteColumnType => {
  const { start, end, scale } = QUOTE_FIELDS[field];
  return { type: 'decimal', precision: end - start + 1, scale: scale ?? 0 };
};
const c = (name: keyof CotahistQuote, field: QuoteField, column: QuoteColumnType): QuoteColumn => ({ name, layout: QUOTE_FIELDS[field], column });

/**
 * The raw quotes contract: the Parquet columns in order, each with its COTAHIST field. Integers up
 * to 9 digits are INT (int32); QUATOT (18 digits) is BIGINT; prices DECIMAL(13,2), VOLTOT
 * DECIMAL(18,2), PTOEXE DECIMAL(13,6): exact, as B3 wrote them. Prices are per FATCOT shares.
 */
export const RAW_QUOTE_COLUMNS: readonly QuoteColumn[] = [
  c('session_date', 'DATPRE', { type: 'date' }),
  c('bdi_code', 'CODBDI', text()),
  c('ticker', 'CODNEG', text()),
  c('market_type', 'TPMERC', { type: 'int' }),
  c('company_name', 'NOMRES', text()),
  c('specification', 'ESPECI', text()),
  c('forward_term_days', 'PRAZOT', text(true)),
  c('currency', 'MODREF', text()),
  c('open_price', 'PREABE', decimal('PREABE')),
  c('high_price', 'PREMAX', decimal('PREMAX')),
  c('low_price', 'PREMIN', decimal('PREMIN')),
  c('avg_price', 'PREMED', decimal('PREMED')),
  c('close_price', 'PREULT', decimal('PREULT')),
  c('best_bid_price', 'PREOFC', decimal('PREOFC')),
  c('best_ask_price', 'PREOFV', decimal('PREOFV')),
  c('trades', 'TOTNEG', { type: 'int' }),
  c('shares_traded', 'QUATOT', { type: 'bigint' }),
  c('traded_volume', 'VOLTOT', decimal('VOLTOT')),
  c('strike_price', 'PREEXE', decimal('PREEXE')),
  c('strike_correction', 'INDOPC', { type: 'int' }),
  c('expiration_date', 'DATVEN', { type: 'date' }),
  c('quote_factor', 'FATCOT', { type: 'int' }),
  c('strike_points', 'PTOEXE', decimal('PTOEXE')),
  c('isin', 'CODISI', text()),
  c('distribution_number', 'DISMES', { type: 'int' }),
];

/**
 * B3's COTAHIST layout ("SeriesHistoricas_Layout.pdf", 2017 build), as data: every record is 245
 * characters; positions are 1-based and inclusive, as the PDF prints them. The parser, the raw
 * contract and `docs/data-contracts.md` all read these, so a position is written once.
 */
export const RECORD_LENGTH = 245;

/**
 * Room for a session of B3 today (about 15,000 records) from the start: what the duplicate keys
 * and the raw quotes' column buffers allocate, so none grows while a session is read.
 */
export const SESSION_RECORDS_AT_START = 1 << 15;

export type FieldKind =
  /** X(n): text, trailing blanks dropped */
  | 'text'
  /** N(n) / 9(n): digits only */
  | 'integer'
  /** N(8) as AAAAMMDD */
  | 'date'
  /** (n)Vdd: digits only, `scale` implied decimals */
  | 'decimal';

export interface LayoutField {
  /** B3's field name (TIPREG, PREABE, …): what an error message names. */
  readonly field: string;
  readonly start: number;
  readonly end: number;
  readonly kind: FieldKind;
  readonly scale?: number;
}

const f = (field: string, start: number, end: number, kind: FieldKind, scale?: number): LayoutField => ({
  field,
  start,
  end,
  kind,
  ...(scale === undefined ? {} : { scale }),
});

/** Record 00 (header) and 99 (trailer) share their first 31 positions. */
export const HEADER_FIELDS = {
  TIPREG: f('TIPREG', 1, 2, 'integer'),
  NOMARQ: f('NOMARQ', 3, 15, 'text'),
  CODORI: f('CODORI', 16, 23, 'text'),
  DATGER: f('DATGER', 24, 31, 'date'),
} as const;

/** Trailer only: the count of every record of the file, header and trailer included. */
export const TRAILER_TOTREG = f('TOTREG', 32, 42, 'integer');

/** Record 01: one instrument (ticker × market) in one session. */
export const QUOTE_FIELDS = {
  TIPREG: f('TIPREG', 1, 2, 'integer'),
  DATPRE: f('DATPRE', 3, 10, 'date'),
  CODBDI: f('CODBDI', 11, 12, 'text'),
  CODNEG: f('CODNEG', 13, 24, 'text'),
  TPMERC: f('TPMERC', 25, 27, 'integer'),
  NOMRES: f('NOMRES', 28, 39, 'text'),
  ESPECI: f('ESPECI', 40, 49, 'text'),
  PRAZOT: f('PRAZOT', 50, 52, 'text'),
  MODREF: f('MODREF', 53, 56, 'text'),
  PREABE: f('PREABE', 57, 69, 'decimal', 2),
  PREMAX: f('PREMAX', 70, 82, 'decimal', 2),
  PREMIN: f('PREMIN', 83, 95, 'decimal', 2),
  PREMED: f('PREMED', 96, 108, 'decimal', 2),
  PREULT: f('PREULT', 109, 121, 'decimal', 2),
  PREOFC: f('PREOFC', 122, 134, 'decimal', 2),
  PREOFV: f('PREOFV', 135, 147, 'decimal', 2),
  TOTNEG: f('TOTNEG', 148, 152, 'integer'),
  QUATOT: f('QUATOT', 153, 170, 'integer'),
  VOLTOT: f('VOLTOT', 171, 188, 'decimal', 2),
  PREEXE: f('PREEXE', 189, 201, 'decimal', 2),
  INDOPC: f('INDOPC', 202, 202, 'integer'),
  DATVEN: f('DATVEN', 203, 210, 'date'),
  FATCOT: f('FATCOT', 211, 217, 'integer'),
  PTOEXE: f('PTOEXE', 218, 230, 'decimal', 6),
  CODISI: f('CODISI', 231, 242, 'text'),
  DISMES: f('DISMES', 243, 245, 'integer'),
} as const;

export type QuoteField = keyof typeof QUOTE_FIELDS;

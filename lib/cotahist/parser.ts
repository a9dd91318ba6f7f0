import { isIsoDate, type IsoDate } from '../calendar/iso-date';
import { CotahistFormatError } from './errors';
import { HEADER_FIELDS, QUOTE_FIELDS, RECORD_LENGTH, TRAILER_TOTREG, type LayoutField } from './layout';
import type { CotahistQuote, CotahistSummary } from './quote';

export interface CotahistParserOptions {
  /**
   * The session the file must hold: every `01` record's DATPRE is this day. Left out (a replayed
   * file), the first record's DATPRE is the session and every other record must match it.
   */
  readonly session?: IsoDate;
  /**
   * A monthly (`YYYY-MM`) or yearly (`YYYY`) file: its records hold several sessions, each in that
   * period, one after the other in ascending order (B3 writes them so). Without it a file holds
   * one session. Not with `session`: B3 serves a session asked for as a daily file.
   */
  readonly within?: string;
  /** Called once per `01` record, in file order. */
  readonly onQuote: (quote: CotahistQuote) => void;
}

const LF = 10;
const CR = 13;
const ZERO = 48;
const NINE = 57;
const DUPLICATE_SEPARATOR = '\u0000';

/**
 * A push parser of the COTAHIST text: feed it the bytes in chunks of any size (`push`), then
 * `end`. It holds one partial line at a time, never the whole text, so its memory is flat in the
 * file's size (the caller decides what to keep of each quote). Lines end in CRLF or LF. Any break
 * of B3's layout throws a CotahistFormatError naming the line and the field; the caller writes
 * nothing until `end` has returned, which is when the trailer's count has been checked.
 */
export class CotahistParser {
  private carry: Uint8Array | null = null;
  private line = 0;
  private header: { fileName: string; origin: string; generatedOn: IsoDate } | null = null;
  private trailerTotal: number | null = null;
  private quotes = 0;
  /**
   * (ticker, market, term) → first line: B3 has one record per instrument and session. The forward
   * market (TPMERC 030) has one per term (PRAZOT) of the same ticker: 125 such pairs on 2021-03-25.
   */
  private readonly seen = new Map<string, number>();
  private session: IsoDate | null;
  private sessionDigits: Uint8Array | null = null;
  private readonly expirations = new Map<number, IsoDate>();
  private readonly sessions: IsoDate[] = [];

  constructor(private readonly options: CotahistParserOptions) {
    this.session = options.session ?? null;
    const { within } = options;
    if (within !== undefined && (this.session !== null || !/^\d{4}(-(0[1-9]|1[0-2]))?$/.test(within))) {
      throw new CotahistFormatError(null, 'DATPRE', `a file of several sessions is within a YYYY or YYYY-MM period and asked for no session, got ${within}`);
    }
    if (this.session !== null) {
      if (!isIsoDate(this.session)) {
        throw new CotahistFormatError(null, 'DATPRE', `the session asked for is not a YYYY-MM-DD day, got ${this.session}`);
      }
      this.sessionDigits = digitsOf(this.session);
      this.sessions.push(this.session);
    }
  }

  push(chunk: Uint8Array): void {
    let start = 0;
    for (let nl = chunk.indexOf(LF, start); nl !== -1; nl = chunk.indexOf(LF, start)) {
      let lineBytes = chunk.subarray(start, nl);
      if (this.carry) {
        lineBytes = concat(this.carry, lineBytes);
        this.carry = null;
      }
      this.record(lineBytes);
      start = nl + 1;
    }
    if (start < chunk.length) this.carry = this.carry ? concat(this.carry, chunk.subarray(start)) : chunk.slice(start);
  }

  end(): CotahistSummary {
    if (this.carry) {
      const last = this.carry;
      this.carry = null;
      this.record(last);
    }
    if (!this.header) throw new CotahistFormatError(null, 'TIPREG', 'the file has no header record 00, got an empty file');
    if (this.trailerTotal === null) {
      throw new CotahistFormatError(null, 'TIPREG', `no trailer record 99, the file is truncated, got ${this.line} lines`);
    }
    if (this.quotes === 0) throw new CotahistFormatError(null, 'TIPREG', 'the file has no quote record 01, got 0 records');
    return { ...this.header, session: this.sessions[0], sessions: this.sessions, totalRecords: this.trailerTotal, quotes: this.quotes };
  }

  private record(raw: Uint8Array): void {
    this.line += 1;
    const bytes = raw.length > 0 && raw[raw.length - 1] === CR ? raw.subarray(0, raw.length - 1) : raw;
    if (this.trailerTotal !== null) {
      // A final blank line after the trailer is harmless; anything else is not one file.
      if (bytes.length === 0) return;
      throw new CotahistFormatError(this.line, 'TIPREG', `a record after the trailer, got ${excerptOf(bytes)}`);
    }
    if (bytes.length !== RECORD_LENGTH) {
      throw new CotahistFormatError(this.line, 'record', `a record is ${RECORD_LENGTH} characters, got ${bytes.length}`);
    }
    const kind = bytes[0] * 256 + bytes[1];
    if (kind === RECORD_01) {
      if (!this.header) throw new CotahistFormatError(this.line, 'TIPREG', 'the first record must be the header 00, got 01');
      this.quote(bytes);
    } else if (kind === RECORD_00) {
      if (this.line !== 1) throw new CotahistFormatError(this.line, 'TIPREG', `a header 00 only opens the file, got one at line ${this.line}`);
      this.header = this.fileId(bytes);
    } else if (kind === RECORD_99) {
      if (!this.header) throw new CotahistFormatError(this.line, 'TIPREG', 'the first record must be the header 00, got 99');
      this.trailer(bytes);
    } else {
      throw new CotahistFormatError(this.line, 'TIPREG', `a record type is 00, 01 or 99, got ${JSON.stringify(text(bytes, HEADER_FIELDS.TIPREG))}`);
    }
  }

  private fileId(bytes: Uint8Array): { fileName: string; origin: string; generatedOn: IsoDate } {
    const fileName = text(bytes, HEADER_FIELDS.NOMARQ);
    if (!/^COTAHIST\.\d{4}$/.test(fileName)) {
      throw new CotahistFormatError(this.line, 'NOMARQ', `the file name is COTAHIST.AAAA, got ${JSON.stringify(fileName)}`);
    }
    const origin = text(bytes, HEADER_FIELDS.CODORI);
    if (origin !== 'BOVESPA') throw new CotahistFormatError(this.line, 'CODORI', `the origin is BOVESPA, got ${JSON.stringify(origin)}`);
    return { fileName, origin, generatedOn: this.date(bytes, HEADER_FIELDS.DATGER) };
  }

  private trailer(bytes: Uint8Array): void {
    const id = this.fileId(bytes);
    if (id.fileName !== this.header?.fileName) {
      throw new CotahistFormatError(this.line, 'NOMARQ', `the trailer names the header's file ${this.header?.fileName}, got ${id.fileName}`);
    }
    const total = this.integer(bytes, TRAILER_TOTREG);
    if (total !== this.line) {
      throw new CotahistFormatError(this.line, 'TOTREG', `the trailer counts every record, the file has ${this.line}, got ${total}`);
    }
    this.trailerTotal = total;
  }

  private quote(b: Uint8Array): void {
    const F = QUOTE_FIELDS;
    if (this.sessionDigits === null) this.startSession(this.date(b, F.DATPRE));
    const dat = F.DATPRE.start - 1;
    for (let i = 0; i < 8; i++) {
      if (b[dat + i] !== this.sessionDigits![i]) {
        this.nextSession(this.date(b, F.DATPRE));
        break;
      }
    }
    const session_date = this.session!;
    const ticker = text(b, F.CODNEG);
    const market_type = this.integer(b, F.TPMERC);
    if (ticker === '') throw new CotahistFormatError(this.line, 'CODNEG', 'a ticker is required, got blanks');
    const prazot = text(b, F.PRAZOT);
    const key = ticker + DUPLICATE_SEPARATOR + market_type + DUPLICATE_SEPARATOR + prazot;
    const first = this.seen.get(key);
    if (first !== undefined) {
      const term = prazot === '' ? '' : `, term ${prazot}`;
      throw new CotahistFormatError(this.line, 'CODNEG', `duplicated (ticker, market) of line ${first}, got (${ticker}, ${text(b, F.TPMERC)}${term})`);
    }
    this.seen.set(key, this.line);
    this.options.onQuote({
      session_date,
      bdi_code: text(b, F.CODBDI),
      ticker,
      market_type,
      company_name: text(b, F.NOMRES),
      specification: text(b, F.ESPECI),
      forward_term_days: prazot === '' ? null : prazot,
      currency: text(b, F.MODREF),
      open_price: this.unscaled(b, F.PREABE),
      high_price: this.unscaled(b, F.PREMAX),
      low_price: this.unscaled(b, F.PREMIN),
      avg_price: this.unscaled(b, F.PREMED),
      close_price: this.unscaled(b, F.PREULT),
      best_bid_price: this.unscaled(b, F.PREOFC),
      best_ask_price: this.unscaled(b, F.PREOFV),
      trades: this.integer(b, F.TOTNEG),
      shares_traded: this.unscaled(b, F.QUATOT),
      traded_volume: this.unscaled(b, F.VOLTOT),
      strike_price: this.unscaled(b, F.PREEXE),
      strike_correction: this.integer(b, F.INDOPC),
      expiration_date: this.expiration(b),
      quote_factor: this.integer(b, F.FATCOT),
      strike_points: this.unscaled(b, F.PTOEXE),
      isin: text(b, F.CODISI),
      distribution_number: this.integer(b, F.DISMES),
    });
    this.quotes += 1;
  }

  private startSession(day: IsoDate): void {
    const { within } = this.options;
    if (within !== undefined && !day.startsWith(within)) {
      throw new CotahistFormatError(this.line, 'DATPRE', `not in the file's period (${within}), got ${day}`);
    }
    this.session = day;
    this.sessionDigits = digitsOf(day);
    this.sessions.push(day);
    // Duplicates are per session; sessions never come back (ascending order), so the map stays one session's.
    this.seen.clear();
  }

  /** A record of another session than the current one: refused, unless the file holds several and this is the next. */
  private nextSession(got: IsoDate): void {
    if (this.options.within === undefined) {
      const which = this.options.session === undefined ? `the file's session (${this.session})` : `the session asked for (${this.session})`;
      throw new CotahistFormatError(this.line, 'DATPRE', `not ${which}, got ${got}`);
    }
    if (got < this.session!) {
      throw new CotahistFormatError(this.line, 'DATPRE', `sessions come in ascending order, got ${got} after ${this.session}`);
    }
    this.startSession(got);
  }

  /** Digits as a number; the layout's N fields are at most 18 digits, so past 2^53 use unscaled(). */
  private integer(b: Uint8Array, field: LayoutField): number {
    let n = 0;
    for (let i = field.start - 1; i < field.end; i++) {
      const c = b[i];
      if (c < ZERO || c > NINE) throw this.notANumber(b, field);
      n = n * 10 + (c - ZERO);
    }
    return n;
  }

  /** Digits as an exact bigint: a decimal's unscaled value, or an integer that may pass 2^53. */
  private unscaled(b: Uint8Array, field: LayoutField): bigint {
    const n = this.integer(b, field);
    return Number.isSafeInteger(n) ? BigInt(n) : BigInt(text(b, field));
  }

  private date(b: Uint8Array, field: LayoutField): IsoDate {
    const digits = text(b, field);
    const day = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
    if (!/^\d{8}$/.test(digits) || !isIsoDate(day)) {
      throw new CotahistFormatError(this.line, field.field, `a date is AAAAMMDD, got ${JSON.stringify(digits)}`);
    }
    return day;
  }

  /** DATVEN repeats across a file's options: each distinct value is checked once. */
  private expiration(b: Uint8Array): IsoDate {
    const n = this.integer(b, QUOTE_FIELDS.DATVEN);
    let day = this.expirations.get(n);
    if (day === undefined) {
      day = this.date(b, QUOTE_FIELDS.DATVEN);
      this.expirations.set(n, day);
    }
    return day;
  }

  private notANumber(b: Uint8Array, field: LayoutField): CotahistFormatError {
    return new CotahistFormatError(this.line, field.field, `not a number, got ${JSON.stringify(text(b, field, false))}`);
  }
}

const RECORD_00 = 48 * 256 + 48;
const RECORD_01 = 48 * 256 + 49;
const RECORD_99 = 57 * 256 + 57;

/** A field's characters (latin-1, B3's encoding), trailing blanks dropped unless asked to keep them. */
function text(b: Uint8Array, field: LayoutField, trim = true): string {
  let end = field.end;
  if (trim) while (end >= field.start && b[end - 1] === 32) end--;
  let s = '';
  for (let i = field.start - 1; i < end; i++) s += String.fromCharCode(b[i]);
  return s;
}

function digitsOf(day: IsoDate): Uint8Array {
  return Uint8Array.from(day.replace(/-/g, ''), (c) => c.charCodeAt(0));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function excerptOf(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < Math.min(bytes.length, 40); i++) s += String.fromCharCode(bytes[i]);
  return JSON.stringify(bytes.length > 40 ? `${s}…` : s);
}

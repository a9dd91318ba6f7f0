import { isIsoDate, type IsoDate } from '../calendar/iso-date';
import { CotahistFormatError } from './errors';
import { fieldBigInt, fieldLatin1, fieldNumber, isDigits, trimmedEnd } from './fields';
import { HEADER_FIELDS, QUOTE_FIELDS, RECORD_LENGTH, TRAILER_TOTREG, type LayoutField } from './layout';
import type { CotahistQuote, CotahistSummary } from './quote';
import { RecordKeys } from './record-keys';

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
  /** Called once per `01` record, in file order, with the record as a typed quote. */
  readonly onQuote?: (quote: CotahistQuote) => void;
  /**
   * Takes every `01` record, in file order, once every check of the record has passed (numeric
   * fields are digits, dates are days): what a column writer reads without a quote object per
   * record (RawQuotesParquet is one).
   */
  readonly records?: QuoteRecordSink;
}

/**
 * A record's taker. An object with a method, not a callback: the parser's call site then sees one
 * target (the class's method) however many files and writers there are; with a new closure per
 * file V8 deoptimized the parser's record loop up to 1,100 times in one 20-file run (measured with
 * --trace-deopt: "wrong call target"), about one run in five.
 */
export interface QuoteRecordSink {
  /**
   * The record's 245 bytes, valid only during the call. `numbers` holds every numeric field's
   * digits as a number, in {@link NUMERIC_QUOTE_FIELDS} order (read with {@link quoteNumberIndex}),
   * computed in the same pass that checked them, also valid only during the call; a field past
   * 2^53 (QUATOT, VOLTOT) is not safe there: read it exactly from the bytes. `session` is the
   * record's DATPRE, the session it belongs to (a monthly or yearly file holds several).
   */
  addRecord(record: Uint8Array, numbers: Float64Array, session: IsoDate): void;
}

const LF = 10;
const CR = 13;
const ZERO = 48;
/** Every field of a 01 record that must be digits, in layout order: checked once per record, up front. */
export const NUMERIC_QUOTE_FIELDS: readonly LayoutField[] = Object.values(QUOTE_FIELDS).filter((f) => f.kind !== 'text');

/** Where a record sink's `numbers` holds a numeric field's value. */
export function quoteNumberIndex(field: LayoutField): number {
  const k = NUMERIC_QUOTE_FIELDS.indexOf(field);
  if (k < 0) throw new TypeError(`cotahist: ${field.field} is not a numeric field of record 01`);
  return k;
}
const DATVEN = quoteNumberIndex(QUOTE_FIELDS.DATVEN);
/** The same fields as [first, last] 0-based positions, for the record's one tight check loop. */
const NUMERIC_SPANS = Int32Array.from(NUMERIC_QUOTE_FIELDS.flatMap((f) => [f.start - 1, f.end - 1]));

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
  /** (ticker, market, term) → first line, per session. */
  private readonly seen = new RecordKeys();
  /** The records' numbers, reused record after record. */
  private readonly numbers = new Float64Array(NUMERIC_QUOTE_FIELDS.length);
  private session: IsoDate | null;
  private sessionDigits: Uint8Array | null = null;
  private readonly expirations = new Map<number, IsoDate>();
  private readonly sessions: IsoDate[] = [];

  constructor(private readonly options: CotahistParserOptions) {
    if (!options.onQuote && !options.records) throw new TypeError('cotahist: a parser needs onQuote or records, got neither');
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

  push(data: Uint8Array): void {
    // A plain view of the bytes: a Node Buffer's subarray builds a Buffer per line, several times
    // the cost of a Uint8Array's (measured: a fifth of the parse).
    const chunk = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    // One view of the chunk for the records' word reads (a view per record, or its buffer's getter, cost a tenth of the parse).
    const words = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let nl = chunk.indexOf(LF, start); nl !== -1; nl = chunk.indexOf(LF, start)) {
      if (this.carry) {
        const line = withoutCR(concat(this.carry, chunk.subarray(start, nl)));
        this.carry = null;
        this.record(line, wordsOf(line), 0);
      } else {
        // The line's CR dropped in its one view, not by a second view of it.
        this.record(chunk.subarray(start, nl > start && chunk[nl - 1] === CR ? nl - 1 : nl), words, start);
      }
      start = nl + 1;
    }
    if (start < chunk.length) this.carry = this.carry ? concat(this.carry, chunk.subarray(start)) : chunk.slice(start);
  }

  end(): CotahistSummary {
    if (this.carry) {
      const last = withoutCR(this.carry);
      this.carry = null;
      this.record(last, wordsOf(last), 0);
    }
    if (!this.header) throw new CotahistFormatError(null, 'TIPREG', 'the file has no header record 00, got an empty file');
    if (this.trailerTotal === null) {
      throw new CotahistFormatError(null, 'TIPREG', `no trailer record 99, the file is truncated, got ${this.line} lines`);
    }
    if (this.quotes === 0) throw new CotahistFormatError(null, 'TIPREG', 'the file has no quote record 01, got 0 records');
    return { ...this.header, session: this.sessions[0], sessions: this.sessions, totalRecords: this.trailerTotal, quotes: this.quotes };
  }

  /** One line, its line end (LF or CRLF) already dropped; `words` views the bytes, the line at `at` in it. */
  private record(bytes: Uint8Array, words: DataView, at: number): void {
    this.line += 1;
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
      this.quote(bytes, words, at);
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

  private quote(b: Uint8Array, view: DataView, at: number): void {
    const F = QUOTE_FIELDS;
    if (this.sessionDigits === null) this.startSession(this.date(b, F.DATPRE));
    const dat = F.DATPRE.start - 1;
    for (let i = 0; i < 8; i++) {
      if (b[dat + i] !== this.sessionDigits![i]) {
        this.nextSession(this.date(b, F.DATPRE));
        break;
      }
    }
    // Branch-free over every numeric byte, four at a time where a field has them (SWAR: a word of
    // four digits is checked and made a number in a few integer operations), each field's value
    // made in the same pass, the field found only on failure.
    const numbers = this.numbers;
    let signs = 0;
    let nonDigits = 0;
    for (let k = 0, f = 0; k < NUMERIC_SPANS.length; k += 2, f++) {
      const last = NUMERIC_SPANS[k + 1];
      let i = NUMERIC_SPANS[k];
      let n = 0;
      for (; i + 3 <= last; i += 4) {
        const x = view.getUint32(at + i, true);
        // Every byte 0x30-0x39: its high nibble 3, and still 3 with 6 added (no carry crosses a digit).
        nonDigits |= ((x & 0xf0f0f0f0) | (((x + 0x06060606) & 0xf0f0f0f0) >>> 4)) ^ 0x33333333;
        const d = x - 0x30303030; // the four digits, the first in the low byte
        const pairs = (d * 10 + (d >>> 8)) & 0x00ff00ff;
        n = n * 10000 + ((pairs * 100 + (pairs >>> 16)) & 0xffff);
      }
      for (; i <= last; i++) {
        const d = b[i] - ZERO;
        signs |= d | (9 - d);
        n = n * 10 + d;
      }
      numbers[f] = n;
    }
    if (signs < 0 || nonDigits !== 0) throw this.notANumber(b, NUMERIC_QUOTE_FIELDS.find((f) => !isDigits(b, f))!);
    if (trimmedEnd(b, F.CODNEG) < F.CODNEG.start) throw new CotahistFormatError(this.line, 'CODNEG', 'a ticker is required, got blanks');
    const first = this.seen.firstLine(b, this.line);
    if (first !== this.line) {
      const prazot = text(b, F.PRAZOT);
      const term = prazot === '' ? '' : `, term ${prazot}`;
      throw new CotahistFormatError(this.line, 'CODNEG', `duplicated (ticker, market) of line ${first}, got (${text(b, F.CODNEG)}, ${text(b, F.TPMERC)}${term})`);
    }
    const expiration_date = this.expiration(b, numbers[DATVEN]);
    this.options.records?.addRecord(b, numbers, this.session!);
    this.options.onQuote?.(quoteOf(b, this.session!, expiration_date));
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

  /** A header or trailer count: digits as a number. */
  private integer(b: Uint8Array, field: LayoutField): number {
    if (!isDigits(b, field)) throw this.notANumber(b, field);
    return fieldNumber(b, field);
  }

  private date(b: Uint8Array, field: LayoutField): IsoDate {
    const digits = text(b, field);
    const day = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
    if (!/^\d{8}$/.test(digits) || !isIsoDate(day)) {
      throw new CotahistFormatError(this.line, field.field, `a date is AAAAMMDD, got ${JSON.stringify(digits)}`);
    }
    return day;
  }

  /** DATVEN repeats across a file's options: each distinct value (its digits as read in the record's one pass) is checked once. */
  private expiration(b: Uint8Array, n: number): IsoDate {
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

const text = fieldLatin1;

/** A checked 01 record as a typed quote (decimals as exact unscaled bigints). */
function quoteOf(b: Uint8Array, session_date: IsoDate, expiration_date: IsoDate): CotahistQuote {
  const F = QUOTE_FIELDS;
  const prazot = text(b, F.PRAZOT);
  return {
    session_date,
    bdi_code: text(b, F.CODBDI),
    ticker: text(b, F.CODNEG),
    market_type: fieldNumber(b, F.TPMERC),
    company_name: text(b, F.NOMRES),
    specification: text(b, F.ESPECI),
    forward_term_days: prazot === '' ? null : prazot,
    currency: text(b, F.MODREF),
    open_price: fieldBigInt(b, F.PREABE),
    high_price: fieldBigInt(b, F.PREMAX),
    low_price: fieldBigInt(b, F.PREMIN),
    avg_price: fieldBigInt(b, F.PREMED),
    close_price: fieldBigInt(b, F.PREULT),
    best_bid_price: fieldBigInt(b, F.PREOFC),
    best_ask_price: fieldBigInt(b, F.PREOFV),
    trades: fieldNumber(b, F.TOTNEG),
    shares_traded: fieldBigInt(b, F.QUATOT),
    traded_volume: fieldBigInt(b, F.VOLTOT),
    strike_price: fieldBigInt(b, F.PREEXE),
    strike_correction: fieldNumber(b, F.INDOPC),
    expiration_date,
    quote_factor: fieldNumber(b, F.FATCOT),
    strike_points: fieldBigInt(b, F.PTOEXE),
    isin: text(b, F.CODISI),
    distribution_number: fieldNumber(b, F.DISMES),
  };
}

function digitsOf(day: IsoDate): Uint8Array {
  return Uint8Array.from(day.replace(/-/g, ''), (c) => c.charCodeAt(0));
}

function wordsOf(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function withoutCR(line: Uint8Array): Uint8Array {
  return line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line;
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

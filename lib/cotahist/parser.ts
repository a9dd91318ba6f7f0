import { isIsoDate, type IsoDate } from '../calendar/iso-date';
import { CotahistFormatError } from './errors';
import { digitsValue, fieldBigInt, fieldLatin1, fieldNumber, isDigits } from './fields';
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
 * Checked 01 records of one session, side by side in one buffer: record i is the 245 bytes at
 * `bytes[starts[i]]`. Valid only during the call that hands them over (the buffer is the chunk
 * being read).
 */
export interface QuoteRecords {
  readonly bytes: Uint8Array;
  /** The same bytes, for reads of a word at a time. */
  readonly view: DataView;
  readonly starts: Int32Array;
  readonly count: number;
  /** Their DATPRE: the session they belong to (a monthly or yearly file holds several). */
  readonly session: IsoDate;
}

/**
 * The records' taker. The parser hands over a chunk's records at once, a run per session, so a
 * column writer reads one field of every record in one loop (a column at a time) instead of every
 * field of a record in turn: measured, the per-record dispatch over 25 columns was a fifth of the
 * replay. An object with a method, not a callback: the call site then sees one target however many
 * files and writers there are (a new closure per file made V8 deoptimize the parser's record loop
 * up to 1,100 times in a 20-file run, "wrong call target" in --trace-deopt).
 */
export interface QuoteRecordSink {
  /** Records that passed every check (numeric fields are digits, dates are days), in file order. */
  addRecords(records: QuoteRecords): void;
}

const LF = 10;
const CR = 13;
const ZERO = 48;
const BLANK = 32;
/** Every field of a 01 record that must be digits, in layout order: checked once per record, up front. */
export const NUMERIC_QUOTE_FIELDS: readonly LayoutField[] = Object.values(QUOTE_FIELDS).filter((f) => f.kind !== 'text');
/**
 * The same fields but TIPREG and DATPRE (a record is taken only once they are "01" and the
 * session's day) as [first, last] 0-based positions, side by side ones merged (PREABE to PTOEXE is
 * one run of 174 digits), for the record's one tight check loop; a failure is then named field by
 * field.
 */
const NUMERIC_SPANS = mergedSpans(spansOf(NUMERIC_QUOTE_FIELDS.filter((f) => f !== QUOTE_FIELDS.TIPREG && f !== QUOTE_FIELDS.DATPRE)));
/** The text fields' positions, side by side ones merged: where a line end hidden in a record would not fail a digit check. */
const TEXT_SPANS = mergedSpans(spansOf(Object.values(QUOTE_FIELDS).filter((f) => f.kind === 'text')));
const DATPRE = QUOTE_FIELDS.DATPRE.start - 1;
const CODNEG = QUOTE_FIELDS.CODNEG;

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
  /** The records taken from the chunk being read, not yet handed over. */
  private readonly batch = new RecordBatch();
  private session: IsoDate | null;
  /** DATVEN's eight digits (as a number) → the day: a file holds few expirations, each checked once. */
  private readonly expirations = new Map<number, IsoDate>();
  /** The previous record's DATVEN and its day: options of one series come one after another. */
  private lastExpiration = -1;
  private lastExpirationDay = '' as IsoDate;
  /** The session's AAAAMMDD as two little-endian words, as a record's DATPRE is read. */
  private sessionWords = new Int32Array(2);
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
      this.setSessionWords(this.session);
      this.sessions.push(this.session);
    }
  }

  push(data: Uint8Array): void {
    // A plain view of the bytes: a Node Buffer's subarray builds a Buffer per line, several times
    // the cost of a Uint8Array's (measured: a fifth of the parse).
    let chunk = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    let start = 0;
    if (this.carry) {
      const nl = chunk.indexOf(LF);
      if (nl === -1) {
        this.carry = concat(this.carry, chunk);
        return;
      }
      // The line split between chunks, on its own buffer.
      const line = concat(this.carry, chunk.subarray(0, nl));
      this.carry = null;
      this.lines(line, 0, line.length, true);
      this.handOver();
      chunk = chunk.subarray(nl + 1);
    }
    start = this.lines(chunk, start, chunk.length);
    this.handOver();
    if (start < chunk.length) this.carry = chunk.slice(start);
  }

  end(): CotahistSummary {
    if (this.carry) {
      const last = this.carry;
      this.carry = null;
      this.lines(last, 0, last.length, true);
      this.handOver();
    }
    if (!this.header) throw new CotahistFormatError(null, 'TIPREG', 'the file has no header record 00, got an empty file');
    if (this.trailerTotal === null) {
      throw new CotahistFormatError(null, 'TIPREG', `no trailer record 99, the file is truncated, got ${this.line} lines`);
    }
    if (this.quotes === 0) throw new CotahistFormatError(null, 'TIPREG', 'the file has no quote record 01, got 0 records');
    return { ...this.header, session: this.sessions[0], sessions: this.sessions, totalRecords: this.trailerTotal, quotes: this.quotes };
  }

  /**
   * The whole lines of `bytes` from `start` (and, `last`, the unterminated rest as one): returns
   * where the unfinished line starts. A quote record of B3's shape (245 bytes, then CRLF or LF)
   * is taken where it stands, its line end found by its length; anything else, and any record
   * `take` does not accept, goes through `record` on the line as LF delimits it, which names what
   * is wrong.
   */
  private lines(bytes: Uint8Array, start: number, end: number, last = false): number {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.batch.into(bytes, view);
    while (start < end) {
      const after = start + RECORD_LENGTH;
      const next = bytes[after] === LF ? after + 1 : bytes[after] === CR && bytes[after + 1] === LF ? after + 2 : -1;
      if (next > 0 && this.take(bytes, view, start, this.line + 1)) {
        start = next;
        continue;
      }
      let nl = bytes.indexOf(LF, start);
      if (nl === -1 || nl >= end) {
        if (!last) return start;
        nl = end;
      }
      this.line += 1;
      this.record(bytes, view, start, (nl > start && bytes[nl - 1] === CR ? nl - 1 : nl) - start);
      start = nl + 1;
    }
    return end;
  }

  /** One line of `length` bytes at `at` (its line end dropped), `this.line` its number. */
  private record(b: Uint8Array, view: DataView, at: number, length: number): void {
    const line = b.subarray(at, at + length);
    if (this.trailerTotal !== null) {
      // A final blank line after the trailer is harmless; anything else is not one file.
      if (length === 0) return;
      throw new CotahistFormatError(this.line, 'TIPREG', `a record after the trailer, got ${excerptOf(line)}`);
    }
    if (length !== RECORD_LENGTH) {
      throw new CotahistFormatError(this.line, 'record', `a record is ${RECORD_LENGTH} characters, got ${length}`);
    }
    const kind = b[at] * 256 + b[at + 1];
    if (kind === RECORD_01) {
      if (!this.header) throw new CotahistFormatError(this.line, 'TIPREG', 'the first record must be the header 00, got 01');
      this.quote(b, view, at);
    } else if (kind === RECORD_00) {
      if (this.line !== 1) throw new CotahistFormatError(this.line, 'TIPREG', `a header 00 only opens the file, got one at line ${this.line}`);
      this.header = this.fileId(line);
    } else if (kind === RECORD_99) {
      if (!this.header) throw new CotahistFormatError(this.line, 'TIPREG', 'the first record must be the header 00, got 99');
      this.trailer(line);
    } else {
      throw new CotahistFormatError(this.line, 'TIPREG', `a record type is 00, 01 or 99, got ${JSON.stringify(text(line, HEADER_FIELDS.TIPREG))}`);
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

  /**
   * Takes the 245 bytes at `at` as line `line` when they are a quote record of the current session
   * that passes every check, with no line end inside; returns false, having changed nothing, for
   * anything else (the caller then reads the line as LF delimits it, and `quote` names the error).
   */
  private take(b: Uint8Array, view: DataView, at: number, line: number): boolean {
    if (this.session === null || this.header === null || this.trailerTotal !== null) return false;
    if (b[at] * 256 + b[at + 1] !== RECORD_01) return false;
    if (!this.isSessionDay(view, at)) return false;
    // Branch-free over every numeric byte, four at a time where a field has them (SWAR: a word of
    // four digits has its high nibbles 3, and still 3 with 6 added, as no carry crosses a digit).
    let nonDigits = 0;
    let signs = 0;
    for (let k = 0; k < NUMERIC_SPANS.length; k += 2) {
      const last = NUMERIC_SPANS[k + 1];
      let i = NUMERIC_SPANS[k];
      // Two words a step where the run is long (the 174 digits), then one.
      for (; i + 7 <= last; i += 8) {
        const x = view.getUint32(at + i, true);
        const y = view.getUint32(at + i + 4, true);
        nonDigits |= ((x & 0xf0f0f0f0) | (((x + 0x06060606) & 0xf0f0f0f0) >>> 4)) ^ 0x33333333;
        nonDigits |= ((y & 0xf0f0f0f0) | (((y + 0x06060606) & 0xf0f0f0f0) >>> 4)) ^ 0x33333333;
      }
      for (; i + 3 <= last; i += 4) {
        const x = view.getUint32(at + i, true);
        nonDigits |= ((x & 0xf0f0f0f0) | (((x + 0x06060606) & 0xf0f0f0f0) >>> 4)) ^ 0x33333333;
      }
      for (; i <= last; i++) {
        const d = b[at + i] - ZERO;
        signs |= d | (9 - d);
      }
    }
    if (signs < 0 || nonDigits !== 0) return false;
    // A record found by its length must not hide a line end: the digit check catches one in a
    // number, this one in a text field, four bytes at a time (a word holds LF where its XOR with
    // four LFs has a zero byte).
    let lineEnds = 0;
    for (let k = 0; k < TEXT_SPANS.length; k += 2) {
      const last = TEXT_SPANS[k + 1];
      let i = TEXT_SPANS[k];
      for (; i + 3 <= last; i += 4) {
        const y = view.getInt32(at + i, true) ^ 0x0a0a0a0a;
        lineEnds |= (y - 0x01010101) & ~y & 0x80808080;
      }
      for (; i <= last; i++) lineEnds |= b[at + i] === LF ? 1 : 0;
    }
    if (lineEnds !== 0) return false;
    if (blank(b, at, CODNEG)) return false;
    const expiration = digitsValue(view, at, QUOTE_FIELDS.DATVEN);
    if (expiration !== this.lastExpiration) {
      const day = this.expirations.get(expiration);
      if (day === undefined) return false;
      this.lastExpiration = expiration;
      this.lastExpirationDay = day;
    }
    const expiration_date = this.lastExpirationDay;
    // Last: a new key is kept, so the record is taken from here on.
    if (this.seen.firstLine(b, view, at, line) !== line) return false;
    this.line = line;
    this.quotes += 1;
    if (this.options.records) this.batch.add(at);
    this.options.onQuote?.(quoteOf(b.subarray(at, at + RECORD_LENGTH), this.session!, expiration_date));
    return true;
  }

  /** A 01 record `take` did not accept at once: a new session, a new expiration, or an error to name. */
  private quote(b: Uint8Array, view: DataView, at: number): void {
    const F = QUOTE_FIELDS;
    const record = b.subarray(at, at + RECORD_LENGTH);
    if (this.session === null) this.startSession(this.date(record, F.DATPRE));
    if (!this.isSessionDay(view, at)) this.nextSession(this.date(record, F.DATPRE));
    const field = NUMERIC_QUOTE_FIELDS.find((f) => !isDigits(record, f));
    if (field) throw this.notANumber(record, field);
    if (blank(b, at, CODNEG)) throw new CotahistFormatError(this.line, 'CODNEG', 'a ticker is required, got blanks');
    const n = digitsValue(view, at, F.DATVEN);
    if (!this.expirations.has(n)) this.expirations.set(n, this.date(record, F.DATVEN));
    if (this.take(b, view, at, this.line)) return;
    // Every other check has passed above: what is left is a key seen before.
    const first = this.seen.firstLine(b, view, at, this.line);
    if (first === this.line) throw new Error(`cotahist: line ${this.line} passed every check and was not taken`);
    const prazot = text(record, F.PRAZOT);
    const term = prazot === '' ? '' : `, term ${prazot}`;
    throw new CotahistFormatError(this.line, 'CODNEG', `duplicated (ticker, market) of line ${first}, got (${text(record, F.CODNEG)}, ${text(record, F.TPMERC)}${term})`);
  }

  /** The taken records so far, to the sink: before the buffer or the session changes. */
  private handOver(): void {
    if (this.batch.count > 0) {
      this.batch.session = this.session!;
      this.options.records?.addRecords(this.batch);
    }
    this.batch.count = 0;
  }

  private startSession(day: IsoDate): void {
    const { within } = this.options;
    if (within !== undefined && !day.startsWith(within)) {
      throw new CotahistFormatError(this.line, 'DATPRE', `not in the file's period (${within}), got ${day}`);
    }
    this.handOver();
    this.session = day;
    this.setSessionWords(day);
    this.sessions.push(day);
    // Duplicates are per session; sessions never come back (ascending order), so the map stays one session's.
    this.seen.clear();
  }

  private setSessionWords(day: IsoDate): void {
    const words = new DataView(digitsOf(day).buffer);
    this.sessionWords[0] = words.getInt32(0, true);
    this.sessionWords[1] = words.getInt32(4, true);
  }

  /** Whether the record at `at` is of the current session: its DATPRE, two words. */
  private isSessionDay(view: DataView, at: number): boolean {
    return view.getInt32(at + DATPRE, true) === this.sessionWords[0] && view.getInt32(at + DATPRE + 4, true) === this.sessionWords[1];
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

  private notANumber(b: Uint8Array, field: LayoutField): CotahistFormatError {
    return new CotahistFormatError(this.line, field.field, `not a number, got ${JSON.stringify(text(b, field, false))}`);
  }
}

/** The parser's run of taken records (what a sink reads), reused chunk after chunk. */
class RecordBatch implements QuoteRecords {
  bytes: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(this.bytes.buffer);
  starts: Int32Array<ArrayBuffer> = new Int32Array(1 << 13);
  count = 0;
  session = '' as IsoDate;

  /** Records from now on are in `bytes` (the batch was handed over). */
  into(bytes: Uint8Array, view: DataView): void {
    this.bytes = bytes;
    this.view = view;
  }

  add(at: number): void {
    if (this.count === this.starts.length) {
      const grown = new Int32Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    this.starts[this.count++] = at;
  }
}

const RECORD_00 = 48 * 256 + 48;
const RECORD_01 = 48 * 256 + 49;
const RECORD_99 = 57 * 256 + 57;

const text = fieldLatin1;

function spansOf(fields: readonly LayoutField[]): Int32Array {
  return Int32Array.from(fields.flatMap((f) => [f.start - 1, f.end - 1]));
}

/** [first, last] pairs in order, a span that starts where the previous ends joined to it. */
function mergedSpans(spans: Int32Array): Int32Array {
  const out: number[] = [];
  for (let k = 0; k < spans.length; k += 2) {
    if (out.length > 0 && out[out.length - 1] + 1 === spans[k]) out[out.length - 1] = spans[k + 1];
    else out.push(spans[k], spans[k + 1]);
  }
  return Int32Array.from(out);
}

/** Whether the field of the record at `at` is all blanks. */
function blank(b: Uint8Array, at: number, field: LayoutField): boolean {
  for (let i = at + field.start - 1; i < at + field.end; i++) if (b[i] !== BLANK) return false;
  return true;
}
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

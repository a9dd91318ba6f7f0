import type { SchemaElement } from 'hyparquet';
import { toEpochDays, type IsoDate } from '../calendar/iso-date';
import { digitsBetween, fieldBigInt, trimmedEnd } from '../cotahist/fields';
import type { QuoteRecordSink, QuoteRecords } from '../cotahist/parser';
import { QUOTE_FIELDS, RECORD_LENGTH, type LayoutField } from '../cotahist/layout';
import type { CotahistQuote } from '../cotahist/quote';
import { DictionaryColumn, FixedWidthColumn, PlainStringColumn } from './parquet-columns';
import { writeParquetFile, type ParquetColumn } from './parquet-pages';
import { RawContractError } from './raw-contract';
import { RAW_QUOTE_COLUMNS, type QuoteColumn } from './quotes-contract';

/**
 * Each raw quotes column as a Parquet element. DECIMAL is INT64 with the unscaled value, converted
 * and logical types both spelled out so DuckDB, Spark/Athena and pyarrow read DECIMAL(p,s) alike;
 * DATE likewise.
 */
function element({ name, column }: QuoteColumn): SchemaElement {
  switch (column.type) {
    case 'string':
      return {
        name,
        type: 'BYTE_ARRAY',
        converted_type: 'UTF8',
        logical_type: { type: 'STRING' },
        repetition_type: column.nullable ? 'OPTIONAL' : 'REQUIRED',
      };
    case 'date':
      return { name, type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' }, repetition_type: 'REQUIRED' };
    case 'int':
      return { name, type: 'INT32', repetition_type: 'REQUIRED' };
    case 'bigint':
      return { name, type: 'INT64', repetition_type: 'REQUIRED' };
    case 'decimal': {
      const { precision, scale } = column;
      return {
        name,
        type: 'INT64',
        converted_type: 'DECIMAL',
        precision,
        scale,
        logical_type: { type: 'DECIMAL', precision, scale },
        repetition_type: 'REQUIRED',
      };
    }
  }
}

export const RAW_QUOTES_PARQUET_SCHEMA: readonly SchemaElement[] = [{ name: 'schema', num_children: RAW_QUOTE_COLUMNS.length }, ...RAW_QUOTE_COLUMNS.map(element)];

/** A session of about 15,000 records is one row group; a longer file is cut into several. */
export const RAW_QUOTES_ROW_GROUP_ROWS = 131_072;

/**
 * String columns written PLAIN instead of as a dictionary: a ticker is unique in its market and
 * session (14,778 distinct of 14,840 rows on 2026-02-26), so its dictionary cost more bytes than
 * the values (203 KB against 178 KB) and a hash per row to build.
 */
const PLAIN_STRINGS: ReadonlySet<keyof CotahistQuote> = new Set(['ticker']);

/**
 * A column and the layout field its value comes from. `session` is DATPRE's date column: every
 * record handed over together is of the one session the parser names with them.
 */
type Sink =
  | { readonly kind: 'session' | 'date' | 'int' | 'int64'; readonly name: keyof CotahistQuote; readonly field: LayoutField; readonly column: FixedWidthColumn }
  | { readonly kind: 'text'; readonly name: keyof CotahistQuote; readonly field: LayoutField; readonly column: DictionaryColumn | PlainStringColumn };

function sinkOf({ name, layout: field, column }: QuoteColumn): Sink {
  if (column.type === 'string' && PLAIN_STRINGS.has(name)) {
    if (column.nullable) throw new RawContractError(`raw: a PLAIN string column is required, got ${name} nullable`);
    return { kind: 'text', name, field, column: new PlainStringColumn() };
  }
  switch (column.type) {
    case 'date':
      return { kind: field === QUOTE_FIELDS.DATPRE ? 'session' : 'date', name, field, column: new FixedWidthColumn(4) };
    case 'int':
      return { kind: 'int', name, field, column: new FixedWidthColumn(4) };
    case 'bigint':
    case 'decimal':
      return { kind: 'int64', name, field, column: new FixedWidthColumn(8) };
    case 'string':
      return { kind: 'text', name, field, column: new DictionaryColumn(column.nullable) };
  }
}

/**
 * Collects a session's quotes column by column (typed buffers and string dictionaries, no row
 * objects kept), then encodes one snappy Parquet file in memory. `addRecords` reads the records the
 * parser has checked straight from their bytes (what the scrape runs); `add` takes a typed quote.
 */
export class RawQuotesParquet implements QuoteRecordSink {
  private readonly sinks: readonly Sink[] = RAW_QUOTE_COLUMNS.map(sinkOf);
  /** AAAAMMDD (as a number) or YYYY-MM-DD → days since 1970-01-01: a file holds few distinct days. */
  private readonly epochDays = new Map<number | string, number>();
  private rows = 0;

  constructor(private readonly rowGroupSize = RAW_QUOTES_ROW_GROUP_ROWS) {}

  /**
   * Records the parser has checked (digits are digits, dates are days), read a column at a time:
   * each column's loop reads one field of every record straight from the bytes.
   */
  addRecords(records: QuoteRecords): void {
    for (const s of this.sinks) {
      switch (s.kind) {
        case 'session':
          this.collectSession(records, s.column);
          break;
        case 'date':
          this.collectDays(records, s.field, s.column);
          break;
        case 'int':
          collectInts(records, s.field, s.column);
          break;
        case 'int64':
          collectInt64s(records, s.field, s.column);
          break;
        case 'text':
          collectTexts(records, s.field, s.column);
          break;
      }
    }
    this.rows += records.count;
  }

  /** A date field as days since 1970-01-01: a date column holds few days (the session, the expirations), most often the previous record's. */
  private collectDays({ view, starts, count }: QuoteRecords, field: LayoutField, column: FixedWidthColumn): void {
    const first = field.start - 1;
    const last = field.end - 1;
    const row = column.extend(count);
    let lastDigits = -1;
    let lastDay = 0;
    for (let i = 0; i < count; i++) {
      const digits = digitsBetween(view, starts[i] + first, starts[i] + last);
      if (digits !== lastDigits) {
        lastDigits = digits;
        lastDay = this.dayOfDigits(digits);
      }
      column.setInt32(row + i, lastDay);
    }
  }

  /** The records' session day, once for them all. */
  private collectSession({ count, session }: QuoteRecords, column: FixedWidthColumn): void {
    const row = column.extend(count);
    const day = this.dayOfIso(session);
    for (let i = 0; i < count; i++) column.setInt32(row + i, day);
  }

  add(q: CotahistQuote): void {
    for (const s of this.sinks) {
      const v = q[s.name];
      switch (s.kind) {
        case 'session':
        case 'date':
          s.column.pushInt32(this.dayOfIso(v as IsoDate));
          break;
        case 'int':
          s.column.pushInt32(v as number);
          break;
        case 'int64':
          s.column.pushBigInt64(v as bigint);
          break;
        case 'text':
          s.column.pushString(v as string | null);
          break;
      }
    }
    this.rows += 1;
  }

  /**
   * Empty again, keeping every column's buffers: a file of many sessions reuses one writer per
   * session in flight instead of leaving each session's megabytes to the garbage collector (which
   * made the peak memory of a 60-session replay wander by a fifth from run to run).
   */
  reset(): void {
    for (const s of this.sinks) s.column.reset();
    this.rows = 0;
  }

  get rowCount(): number {
    return this.rows;
  }

  encode(): Uint8Array {
    if (this.rows === 0) throw new RawContractError('raw: refusing to write an empty quotes file, got 0 rows');
    const columns: ParquetColumn[] = this.sinks.map((s) => s.column);
    return writeParquetFile({ schema: RAW_QUOTES_PARQUET_SCHEMA, columns, rowGroupSize: this.rowGroupSize, createdBy: 'b3-pregao-pipeline (hyparquet-writer)' });
  }

  private dayOfDigits(digits: number): number {
    let n = this.epochDays.get(digits);
    if (n === undefined) {
      const d = String(digits).padStart(8, '0');
      n = toEpochDays(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`);
      this.epochDays.set(digits, n);
    }
    return n;
  }

  private dayOfIso(day: IsoDate): number {
    let n = this.epochDays.get(day);
    if (n === undefined) {
      n = toEpochDays(day);
      this.epochDays.set(day, n);
    }
    return n;
  }
}

/** Whether the `width` bytes at `x` and at `y` of `view` are the same, compared a word at a time. */
function sameBytes(view: DataView, x: number, y: number, width: number): boolean {
  let i = 0;
  for (; i + 4 <= width; i += 4) if (view.getInt32(x + i, true) !== view.getInt32(y + i, true)) return false;
  for (; i < width; i++) if (view.getUint8(x + i) !== view.getUint8(y + i)) return false;
  return true;
}

// One loop per column kind over the records, each field's 0-based positions taken out of it.

function collectInts({ view, starts, count }: QuoteRecords, field: LayoutField, column: FixedWidthColumn): void {
  const first = field.start - 1;
  const last = field.end - 1;
  const row = column.extend(count);
  for (let i = 0; i < count; i++) column.setInt32(row + i, digitsBetween(view, starts[i] + first, starts[i] + last));
}

function collectInt64s({ bytes, view, starts, count }: QuoteRecords, field: LayoutField, column: FixedWidthColumn): void {
  const first = field.start - 1;
  const last = field.end - 1;
  const row = column.extend(count);
  for (let i = 0; i < count; i++) {
    const n = digitsBetween(view, starts[i] + first, starts[i] + last);
    if (Number.isSafeInteger(n)) column.setInt64(row + i, n);
    else column.setBigInt64(row + i, fieldBigInt(bytes.subarray(starts[i], starts[i] + RECORD_LENGTH), field));
  }
}

function collectTexts({ bytes, view, starts, count }: QuoteRecords, field: LayoutField, column: DictionaryColumn | PlainStringColumn): void {
  const first = field.start - 1;
  const width = field.end - field.start + 1;
  for (let i = 0; i < count; i++) {
    const at = starts[i];
    // Records come sorted by market and ticker: a name, a specification, a currency is most often the previous record's, byte for byte.
    if (i > 0 && sameBytes(view, starts[i - 1] + first, at + first, width)) column.pushRepeat();
    else column.pushLatin1(bytes, at + first, trimmedEnd(bytes, field, at));
  }
}

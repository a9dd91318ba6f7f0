import type { ColumnChunk, SchemaElement, Statistics } from 'hyparquet';
import type { ByteWriter } from 'hyparquet-writer';
import { byteHash, grownInt32, rehashedSlots } from '../bytes/byte-hash';
import { SESSION_RECORDS_AT_START as ROWS_AT_START } from '../cotahist/layout';
import { dictionaryPays, writeChunk, type ChunkValues, type ParquetColumn } from './parquet-pages';
import { RawContractError } from './raw-contract';

/**
 * The raw quotes' column buffers, filled as records arrive: a fixed-width column is already its
 * PLAIN bytes, and becomes a dictionary per chunk where hyparquet-writer's rule says one pays (it
 * at least halves the bytes); a string column is a dictionary from the start, or PLAIN for values
 * that hardly repeat.
 */

const TWO_32 = 2 ** 32;
/** An INT64 value is exact as a number while its high word is within ±2^21. */
const SAFE_HIGH_WORD = 2 ** 21;

/** INT32 (4-byte) or INT64 (8-byte) values, little-endian as Parquet's PLAIN encoding lays them. */
export class FixedWidthColumn implements ParquetColumn {
  private bytes: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(readonly width: 4 | 8) {
    this.bytes = new Uint8Array(width * ROWS_AT_START);
    this.view = new DataView(this.bytes.buffer);
  }

  pushInt32(n: number): void {
    this.setInt32(this.extend(1), n);
  }

  pushBigInt64(v: bigint): void {
    this.setBigInt64(this.extend(1), v);
  }

  /** Room for `n` more values, now part of the column: returns the first one's row, for `set…`. */
  extend(n: number): number {
    const row = this.length;
    while ((row + n) * this.width > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
    this.length += n;
    return row;
  }

  setInt32(row: number, n: number): void {
    this.view.setInt32(row * 4, n, true);
  }

  /** A safe integer into an INT64 slot without a bigint: its low and high 32-bit words. */
  setInt64(row: number, n: number): void {
    this.view.setUint32(row * 8, n >>> 0, true);
    this.view.setInt32(row * 8 + 4, Math.floor(n / TWO_32), true);
  }

  setBigInt64(row: number, v: bigint): void {
    this.view.setBigInt64(row * 8, v, true);
  }

  /** Empty again, keeping its buffer: the next session's values go where this one's were. */
  reset(): void {
    this.length = 0;
  }

  writeChunk(writer: ByteWriter, element: SchemaElement, start: number, end: number): ColumnChunk {
    const plain = this.bytes.subarray(start * this.width, end * this.width);
    const values = this.dictionary(start, end) ?? { encoding: 'PLAIN', plain };
    // Min and max over the dictionary's values when there is one: the same, from fewer values.
    const bytes = values.encoding === 'PLAIN' ? plain : values.dictionary;
    const statistics = { null_count: 0n, ...this.minMax(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), bytes.length / this.width) };
    return writeChunk(writer, element, { values, rows: end - start, levels: null, nulls: 0, statistics });
  }

  /** The chunk's distinct values and each row's index, or null as soon as a dictionary cannot pay. */
  private dictionary(start: number, end: number): ChunkValues | null {
    const rows = end - start;
    const per = this.width / 4;
    const words = new Int32Array(this.bytes.buffer, 0, this.length * per);
    const slots = scratch.slots(tableSize(rows));
    const mask = slots.length - 1;
    const distinct = scratch.distinct(Math.ceil(rows / 2) * per + per);
    const indexes = scratch.indexes(rows);
    let count = 0;
    for (let r = start; r < end; r++) {
      const w0 = words[r * per];
      const w1 = per === 2 ? words[r * per + 1] : 0;
      let s = Math.imul(w0 ^ Math.imul(w1, 0x27d4eb2d), 0x9e3779b1) & mask;
      for (;;) {
        const e = slots[s] - 1;
        if (e < 0) {
          if (count * 2 >= rows) return null;
          distinct[count * per] = w0;
          if (per === 2) distinct[count * per + 1] = w1;
          slots[s] = ++count;
          indexes[r - start] = count - 1;
          break;
        }
        if (distinct[e * per] === w0 && (per === 1 || distinct[e * per + 1] === w1)) {
          indexes[r - start] = e;
          break;
        }
        s = (s + 1) & mask;
      }
    }
    if (!dictionaryPays(rows * this.width, count * this.width, count, rows)) return null;
    return { encoding: 'RLE_DICTIONARY', dictionary: new Uint8Array(distinct.buffer, 0, count * this.width), count, indexes };
  }

  /** Min and max of the `n` values `v` holds (this column's width each). */
  private minMax(v: DataView, n: number): Pick<Statistics, 'min_value' | 'max_value'> {
    if (n === 0) return {};
    if (this.width === 4) {
      let min = v.getInt32(0, true);
      let max = min;
      for (let i = 1; i < n; i++) {
        const x = v.getInt32(i * 4, true);
        if (x < min) min = x;
        if (x > max) max = x;
      }
      return { min_value: min, max_value: max };
    }
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const high = v.getInt32(i * 8 + 4, true);
      if (high >= SAFE_HIGH_WORD || high < -SAFE_HIGH_WORD) return minMaxBigInt(v, n);
      const x = high * TWO_32 + v.getUint32(i * 8, true);
      if (x < min) min = x;
      if (x > max) max = x;
    }
    return { min_value: BigInt(min), max_value: BigInt(max) };
  }
}

function minMaxBigInt(v: DataView, n: number): Pick<Statistics, 'min_value' | 'max_value'> {
  let min = v.getBigInt64(0, true);
  let max = min;
  for (let i = 1; i < n; i++) {
    const x = v.getBigInt64(i * 8, true);
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { min_value: min, max_value: max };
}

/**
 * Latin-1 values (B3's encoding) back to back: value i is pool[starts[i], starts[i + 1]). What
 * both string columns keep; UTF-8 is made only when a chunk is written.
 */
class Latin1Values {
  private pool = new Uint8Array(1 << 18);
  private starts = new Int32Array(ROWS_AT_START + 1);
  count = 0;

  clear(): void {
    this.count = 0;
  }

  /** Bytes [start, end) of `b` as the next value: returns its number. */
  add(b: Uint8Array, start: number, end: number): number {
    const e = this.count++;
    if (this.count >= this.starts.length) this.starts = grownInt32(this.starts);
    const from = this.starts[e];
    while (from + (end - start) > this.pool.length) {
      const grown = new Uint8Array(this.pool.length * 2);
      grown.set(this.pool);
      this.pool = grown;
    }
    for (let i = start; i < end; i++) this.pool[from + i - start] = b[i];
    this.starts[e + 1] = from + (end - start);
    return e;
  }

  /** Value `e` once more, as the next value. */
  again(e: number): number {
    return this.add(this.pool, this.starts[e], this.starts[e + 1]);
  }

  same(e: number, b: Uint8Array, start: number, end: number): boolean {
    const from = this.starts[e];
    if (this.starts[e + 1] - from !== end - start) return false;
    for (let i = start; i < end; i++) if (this.pool[from + i - start] !== b[i]) return false;
    return true;
  }

  /** Values `used[k]` (null: from + k), k < n, as PLAIN BYTE_ARRAY values: each a length and its UTF-8, straight from the pool. */
  plain(used: Int32Array | null, from: number, n: number): Uint8Array {
    const { pool, starts } = this;
    let size = 4 * n;
    let high = 0;
    for (let k = 0; k < n; k++) {
      const e = used ? used[k] : from + k;
      size += starts[e + 1] - starts[e];
      for (let i = starts[e]; i < starts[e + 1]; i++) high |= pool[i];
    }
    // Only when a byte is 0x80 or more (rare in B3's text) is UTF-8 longer than latin-1.
    const ascii = high < 0x80;
    if (!ascii) for (let k = 0; k < n; k++) for (let e = used ? used[k] : from + k, i = starts[e]; i < starts[e + 1]; i++) if (pool[i] >= 0x80) size += 1;
    const plain = new Uint8Array(size);
    const view = new DataView(plain.buffer);
    let at = 0;
    for (let k = 0; k < n; k++) {
      const e = used ? used[k] : from + k;
      const lengthAt = at;
      at += 4;
      if (ascii) for (let i = starts[e]; i < starts[e + 1]; i++) plain[at++] = pool[i];
      else for (let i = starts[e]; i < starts[e + 1]; i++) at = putUtf8(plain, at, pool[i]);
      view.setUint32(lengthAt, at - lengthAt - 4, true);
    }
    return plain;
  }

  /** Min and max of the same values: latin-1 byte order is UTF-8's, Parquet's order for BYTE_ARRAY statistics. */
  minMax(used: Int32Array | null, from: number, n: number): Pick<Statistics, 'min_value' | 'max_value'> {
    if (n === 0) return {};
    let min = used ? used[0] : from;
    let max = min;
    for (let k = 1; k < n; k++) {
      const e = used ? used[k] : from + k;
      if (this.compare(e, min) < 0) min = e;
      if (this.compare(e, max) > 0) max = e;
    }
    return { min_value: this.utf8(min), max_value: this.utf8(max) };
  }

  private compare(a: number, b: number): number {
    const { pool, starts } = this;
    const la = starts[a + 1] - starts[a];
    const lb = starts[b + 1] - starts[b];
    const n = Math.min(la, lb);
    for (let i = 0; i < n; i++) {
      const d = pool[starts[a] + i] - pool[starts[b] + i];
      if (d !== 0) return d;
    }
    return la - lb;
  }

  private utf8(e: number): Uint8Array {
    const out = new Uint8Array(2 * (this.starts[e + 1] - this.starts[e]));
    let at = 0;
    for (let i = this.starts[e]; i < this.starts[e + 1]; i++) at = putUtf8(out, at, this.pool[i]);
    return out.slice(0, at);
  }
}

/** A string as latin-1 bytes: what the parser makes of B3's text has code points below 256. */
function latin1Of(s: string): Uint8Array {
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) throw new RawContractError(`raw: a COTAHIST text is latin-1, got ${JSON.stringify(s)}`);
    bytes[i] = c;
  }
  return bytes;
}

/**
 * A string column (BYTE_ARRAY, UTF8) kept as a dictionary from the start: each value is a latin-1
 * byte range, found by a hash of its bytes in an open-addressing table, so a repeated value (a
 * company name, a currency) costs no string and no copy.
 */
export class DictionaryColumn implements ParquetColumn {
  private indexes = new Int32Array(ROWS_AT_START);
  length = 0;
  /** The distinct values, in order of first use. */
  private readonly values = new Latin1Values();
  private slots = new Int32Array(2 * ROWS_AT_START);
  private hashes = new Int32Array(ROWS_AT_START);

  constructor(readonly nullable: boolean) {}

  /** Empty again, keeping its buffers. */
  reset(): void {
    this.length = 0;
    this.values.clear();
    this.slots.fill(0);
  }

  /** How many distinct values the column holds (its dictionary's entries). */
  get distinctCount(): number {
    return this.values.count;
  }

  /** Bytes [start, end) of `b`; an empty range is null in a nullable column. */
  pushLatin1(b: Uint8Array, start: number, end: number): void {
    this.pushIndex(this.nullable && start === end ? -1 : this.entry(b, start, end));
  }

  /** The previous row's value again (a caller that knows the bytes are the same). */
  pushRepeat(): void {
    if (this.length === 0) throw new RawContractError('raw: nothing to repeat in an empty string column, got 0 rows');
    this.pushIndex(this.indexes[this.length - 1]);
  }

  /** A string of code points below 256 (what the parser makes of latin-1), or null. */
  pushString(s: string | null): void {
    if (s === null) {
      if (!this.nullable) throw new RawContractError('raw: a null in a required string column, got null');
      this.pushIndex(-1);
      return;
    }
    const bytes = latin1Of(s);
    this.pushLatin1(bytes, 0, bytes.length);
  }

  writeChunk(writer: ByteWriter, element: SchemaElement, start: number, end: number): ColumnChunk {
    const rows = end - start;
    const levels = this.nullable ? new Uint8Array(rows) : null;
    // The chunk's own dictionary: the entries its rows use, in order of first use (null: all of
    // the column's, as they are), and each present row's index in it.
    let used: Int32Array | null = null;
    let distinct = this.values.count;
    let indexes: Int32Array;
    let present = 0;
    if (start === 0 && end === this.length) {
      // Entries are numbered in order of first use: the whole column's rows index its dictionary as it is.
      if (levels) {
        indexes = new Int32Array(rows);
        for (let r = 0; r < rows; r++) {
          const e = this.indexes[r];
          levels[r] = e < 0 ? 0 : 1;
          if (e >= 0) indexes[present++] = e;
        }
      } else {
        indexes = this.indexes;
        present = rows;
      }
    } else {
      const local = new Int32Array(this.values.count).fill(-1);
      used = new Int32Array(this.values.count);
      distinct = 0;
      indexes = new Int32Array(rows);
      for (let r = start; r < end; r++) {
        const e = this.indexes[r];
        if (levels) levels[r - start] = e < 0 ? 0 : 1;
        if (e < 0) continue;
        if (local[e] < 0) {
          local[e] = distinct;
          used[distinct++] = e;
        }
        indexes[present++] = local[e];
      }
    }
    const plain = this.values.plain(used, 0, distinct);
    const statistics: Statistics = { null_count: BigInt(rows - present), ...this.values.minMax(used, 0, distinct) };
    const values: ChunkValues =
      distinct === 0 ? { encoding: 'PLAIN', plain } : { encoding: 'RLE_DICTIONARY', dictionary: plain, count: distinct, indexes: indexes.subarray(0, present) };
    return writeChunk(writer, element, { values, rows, levels, nulls: rows - present, statistics });
  }

  private entry(b: Uint8Array, start: number, end: number): number {
    // Records come sorted by market and ticker, so a name, a specification, a currency is most often the previous row's.
    const previous = this.length > 0 ? this.indexes[this.length - 1] : -1;
    if (previous >= 0 && this.values.same(previous, b, start, end)) return previous;
    const h = byteHash(b, start, end);
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s] - 1;
      if (e < 0) {
        const added = this.values.add(b, start, end);
        if (added === this.hashes.length) this.hashes = grownInt32(this.hashes);
        this.hashes[added] = h;
        this.slots[s] = added + 1;
        if (this.values.count * 2 > this.slots.length) this.rehash();
        return added;
      }
      if (this.hashes[e] === h && this.values.same(e, b, start, end)) return e;
    }
  }

  private rehash(): void {
    this.slots = rehashedSlots(this.slots.length * 2, this.hashes, this.values.count);
  }

  private pushIndex(index: number): void {
    if (this.length === this.indexes.length) this.indexes = grownInt32(this.indexes);
    this.indexes[this.length++] = index;
  }
}

/**
 * A required string column written PLAIN: for values that hardly repeat (a ticker is unique in
 * its market and session), where a dictionary costs more bytes than it saves and a hash per row
 * to build. Each row is its own value in the pool.
 */
export class PlainStringColumn implements ParquetColumn {
  private readonly values = new Latin1Values();

  get length(): number {
    return this.values.count;
  }

  reset(): void {
    this.values.clear();
  }

  pushLatin1(b: Uint8Array, start: number, end: number): void {
    this.values.add(b, start, end);
  }

  /** The previous row's value again. */
  pushRepeat(): void {
    if (this.values.count === 0) throw new RawContractError('raw: nothing to repeat in an empty string column, got 0 rows');
    this.values.again(this.values.count - 1);
  }

  pushString(s: string | null): void {
    if (s === null) throw new RawContractError('raw: a null in a required string column, got null');
    const bytes = latin1Of(s);
    this.pushLatin1(bytes, 0, bytes.length);
  }

  writeChunk(writer: ByteWriter, element: SchemaElement, start: number, end: number): ColumnChunk {
    const rows = end - start;
    const statistics: Statistics = { null_count: 0n, ...this.values.minMax(null, start, rows) };
    return writeChunk(writer, element, { values: { encoding: 'PLAIN', plain: this.values.plain(null, start, rows) }, rows, levels: null, nulls: 0, statistics });
  }
}

/**
 * The dictionary detection's tables, reused from chunk to chunk: fresh ones for each of a session's
 * 18 fixed-width columns were megabytes of new zeroed pages a session. What `dictionary` returns
 * views them, so it is consumed (written) before the next chunk's detection.
 */
const scratch = new (class {
  private slotTable = new Int32Array(0);
  private distinctValues = new Int32Array(0);
  private rowIndexes = new Int32Array(0);

  /** `n` empty slots. */
  slots(n: number): Int32Array {
    if (this.slotTable.length < n) this.slotTable = new Int32Array(n);
    const t = this.slotTable.subarray(0, n);
    t.fill(0);
    return t;
  }

  distinct(n: number): Int32Array {
    if (this.distinctValues.length < n) this.distinctValues = new Int32Array(n);
    return this.distinctValues.subarray(0, n);
  }

  indexes(n: number): Int32Array {
    if (this.rowIndexes.length < n) this.rowIndexes = new Int32Array(n);
    return this.rowIndexes.subarray(0, n);
  }
})();

/** A power of two at least twice the rows: the open-addressing table stays at most half full. */
function tableSize(rows: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(2 * rows, 16)));
}

/** A latin-1 byte as UTF-8 at `at` (a byte is its own code point, so 0x80-0xFF take two bytes): returns the next position. */
function putUtf8(out: Uint8Array, at: number, c: number): number {
  if (c < 0x80) {
    out[at] = c;
    return at + 1;
  }
  out[at] = 0xc0 | (c >> 6);
  out[at + 1] = 0x80 | (c & 0x3f);
  return at + 2;
}

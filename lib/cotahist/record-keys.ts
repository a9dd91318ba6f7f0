import { grownInt32, rehashedSlots } from '../bytes/byte-hash';
import { QUOTE_FIELDS, SESSION_RECORDS_AT_START } from './layout';

/** The duplicate key's bytes: CODNEG (12) and TPMERC (3) side by side, then PRAZOT (3). */
const TICKER_MARKET = QUOTE_FIELDS.CODNEG.start - 1;
const TICKER_MARKET_LENGTH = QUOTE_FIELDS.TPMERC.end - QUOTE_FIELDS.CODNEG.start + 1;
const TERM = QUOTE_FIELDS.PRAZOT.start - 1;
const TERM_LENGTH = QUOTE_FIELDS.PRAZOT.end - QUOTE_FIELDS.PRAZOT.start + 1;
const KEY_LENGTH = TICKER_MARKET_LENGTH + TERM_LENGTH;
const WORDS = 5;
// The key is read as three words of CODNEG, then TPMERC's and PRAZOT's bytes in two more.
if (TICKER_MARKET_LENGTH !== 15 || TERM_LENGTH !== 3) throw new TypeError(`cotahist: the duplicate key is 15 + 3 bytes, got ${TICKER_MARKET_LENGTH} + ${TERM_LENGTH}`);

/**
 * A session's (ticker, market, term) keys, each the line it was first seen on: B3 has one record
 * per instrument and session; the forward market (TPMERC 030) has one per term (PRAZOT) of the same
 * ticker (125 such pairs on 2021-03-25). The keys are the records' raw fixed-width bytes, as five
 * words, in an open-addressing table, so a record costs no string and no Map entry (measured: the string key
 * and Map were a third of the parser's own time).
 */
export class RecordKeys {
  /** Each key as five 32-bit words: CODNEG's three, then TPMERC and PRAZOT's first byte, then PRAZOT's other two. */
  private keys = new Int32Array(WORDS * SESSION_RECORDS_AT_START);
  private lines: Int32Array<ArrayBuffer> = new Int32Array(SESSION_RECORDS_AT_START);
  private hashes: Int32Array<ArrayBuffer> = new Int32Array(SESSION_RECORDS_AT_START);
  private slots = new Int32Array(2 * SESSION_RECORDS_AT_START);
  private count = 0;

  /** The line the key of the record at `at` was first seen on: `line` itself when it is new (and now kept). */
  firstLine(b: Uint8Array, view: DataView, at: number, line: number): number {
    const r = at + TICKER_MARKET;
    const w0 = view.getInt32(r, true);
    const w1 = view.getInt32(r + 4, true);
    const w2 = view.getInt32(r + 8, true);
    const w3 = b[r + 12] | (b[r + 13] << 8) | (b[r + 14] << 16) | (b[at + TERM] << 24);
    const w4 = b[at + TERM + 1] | (b[at + TERM + 2] << 8);
    let h = Math.imul(w0 ^ (KEY_LENGTH << 24), 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 15) ^ w1, 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 15) ^ w2, 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 15) ^ w3, 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 15) ^ w4, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    const mask = this.slots.length - 1;
    const { keys } = this;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s] - 1;
      if (e < 0) {
        this.slots[s] = this.add(w0, w1, w2, w3, w4, h, line) + 1;
        if (this.count * 2 > this.slots.length) this.rehash();
        return line;
      }
      const k = e * WORDS;
      if (this.hashes[e] === h && keys[k] === w0 && keys[k + 1] === w1 && keys[k + 2] === w2 && keys[k + 3] === w3 && keys[k + 4] === w4) return this.lines[e];
    }
  }

  clear(): void {
    this.slots.fill(0);
    this.count = 0;
  }

  private add(w0: number, w1: number, w2: number, w3: number, w4: number, hash: number, line: number): number {
    const e = this.count++;
    if (e === this.lines.length) {
      this.keys = grownInt32(this.keys);
      this.lines = grownInt32(this.lines);
      this.hashes = grownInt32(this.hashes);
    }
    const k = e * WORDS;
    this.keys[k] = w0;
    this.keys[k + 1] = w1;
    this.keys[k + 2] = w2;
    this.keys[k + 3] = w3;
    this.keys[k + 4] = w4;
    this.lines[e] = line;
    this.hashes[e] = hash;
    return e;
  }

  private rehash(): void {
    this.slots = rehashedSlots(this.slots.length * 2, this.hashes, this.count);
  }
}

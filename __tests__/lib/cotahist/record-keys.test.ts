import { QUOTE_FIELDS } from '../../../lib/cotahist/layout';
import { RecordKeys } from '../../../lib/cotahist/record-keys';

/** A 245-byte record of blanks with CODNEG, TPMERC and PRAZOT set, and bytes elsewhere that are no part of the key. */
function record(ticker: string, market: string, term: string, noise: string): Uint8Array {
  const b = new Uint8Array(245).fill(32);
  const put = (at: number, s: string) => Buffer.from(s, 'latin1').copy(b, at - 1);
  put(QUOTE_FIELDS.CODNEG.start, ticker);
  put(QUOTE_FIELDS.TPMERC.start, market);
  put(QUOTE_FIELDS.PRAZOT.start, term);
  put(QUOTE_FIELDS.NOMRES.start, noise);
  return b;
}

/** The record at offset 7 of a larger buffer (as in a chunk), with other bytes around it. */
function firstLine(keys: RecordKeys, r: Uint8Array, line: number): number {
  const chunk = new Uint8Array(7 + r.length + 9).fill(0x41);
  chunk.set(r, 7);
  return keys.firstLine(chunk, new DataView(chunk.buffer), 7, line);
}

describe('RecordKeys: the (ticker, market, term) of a session, each with its first line', () => {
  it('finds a repeated key among tens of thousands (past a session: the table grows and rehashes), and only the key counts', () => {
    const keys = new RecordKeys();
    const n = 40_000;
    for (let i = 0; i < n; i++) expect(firstLine(keys, record(`T${i}`, '010', '   ', 'a'), i + 2)).toBe(i + 2);
    // Every key is still found after the table grew and rehashed.
    for (let i = 0; i < n; i++) if (firstLine(keys, record(`T${i}`, '010', '   ', 'b'), 1) !== i + 2) throw new Error(`test: T${i} lost`);
    // Same key, other bytes elsewhere: the line it was first seen on.
    expect(firstLine(keys, record('T12345', '010', '   ', 'other name'), 99_999)).toBe(12_347);
    expect(firstLine(keys, record('T0', '010', '   ', 'x'), 99_999)).toBe(2);
    // Another market or another term of the same ticker is another instrument.
    expect(firstLine(keys, record('T0', '020', '   ', 'a'), 100_000)).toBe(100_000);
    expect(firstLine(keys, record('T0', '030', '030', 'a'), 100_001)).toBe(100_001);
    expect(firstLine(keys, record('T0', '030', '060', 'a'), 100_002)).toBe(100_002);
    expect(firstLine(keys, record('T0', '030', '030', 'b'), 100_003)).toBe(100_001);
  });

  it('tells keys apart by every one of their 18 bytes, and by nothing else', () => {
    const keys = new RecordKeys();
    const base = record('ABCD11E     ', '030', '045', 'name');
    expect(firstLine(keys, base, 2)).toBe(2);
    const positions = [
      ...Array.from({ length: 15 }, (_, i) => QUOTE_FIELDS.CODNEG.start - 1 + i),
      ...Array.from({ length: 3 }, (_, i) => QUOTE_FIELDS.PRAZOT.start - 1 + i),
    ];
    positions.forEach((p, k) => {
      const changed = base.slice();
      changed[p] ^= 0x01;
      expect(firstLine(keys, changed, 10 + k)).toBe(10 + k);
    });
    const elsewhere = base.slice();
    for (let p = 0; p < elsewhere.length; p++) if (!positions.includes(p)) elsewhere[p] = 0x5a;
    expect(firstLine(keys, elsewhere, 99)).toBe(2);
  });

  it('forgets every key on clear: the next session may hold the same instruments', () => {
    const keys = new RecordKeys();
    firstLine(keys, record('PETR4', '010', '   ', ''), 2);
    keys.clear();
    expect(firstLine(keys, record('PETR4', '010', '   ', ''), 7)).toBe(7);
    expect(firstLine(keys, record('PETR4', '010', '   ', ''), 8)).toBe(7);
  });
});

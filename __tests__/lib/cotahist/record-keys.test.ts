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

describe('RecordKeys: the (ticker, market, term) of a session, each with its first line', () => {
  it('finds a repeated key among tens of thousands (past a session: the table grows and rehashes), and only the key counts', () => {
    const keys = new RecordKeys();
    const n = 40_000;
    for (let i = 0; i < n; i++) expect(keys.firstLine(record(`T${i}`, '010', '   ', 'a'), i + 2)).toBe(i + 2);
    // Every key is still found after the table grew and rehashed.
    for (let i = 0; i < n; i++) if (keys.firstLine(record(`T${i}`, '010', '   ', 'b'), 1) !== i + 2) throw new Error(`test: T${i} lost`);
    // Same key, other bytes elsewhere: the line it was first seen on.
    expect(keys.firstLine(record('T12345', '010', '   ', 'other name'), 99_999)).toBe(12_347);
    expect(keys.firstLine(record('T0', '010', '   ', 'x'), 99_999)).toBe(2);
    // Another market or another term of the same ticker is another instrument.
    expect(keys.firstLine(record('T0', '020', '   ', 'a'), 100_000)).toBe(100_000);
    expect(keys.firstLine(record('T0', '030', '030', 'a'), 100_001)).toBe(100_001);
    expect(keys.firstLine(record('T0', '030', '060', 'a'), 100_002)).toBe(100_002);
    expect(keys.firstLine(record('T0', '030', '030', 'b'), 100_003)).toBe(100_001);
  });

  it('forgets every key on clear: the next session may hold the same instruments', () => {
    const keys = new RecordKeys();
    keys.firstLine(record('PETR4', '010', '   ', ''), 2);
    keys.clear();
    expect(keys.firstLine(record('PETR4', '010', '   ', ''), 7)).toBe(7);
    expect(keys.firstLine(record('PETR4', '010', '   ', ''), 8)).toBe(7);
  });
});

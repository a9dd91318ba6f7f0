import { ByteWriter } from 'hyparquet-writer';
import { writeRleBitPackedHybrid } from 'hyparquet-writer/src/encoding.js';
import { rleBitPackedHybrid } from '../../../lib/raw/rle-hybrid';

/** hyparquet-writer's own encoding of the same values: the bytes ours must equal. */
function library(values: number[], bitWidth: number): Uint8Array {
  const w = new ByteWriter();
  writeRleBitPackedHybrid(w, values, bitWidth);
  return w.getBytes();
}

/** A deterministic pseudo-random sequence (a linear congruential generator), so a failure replays. */
function values(n: number, max: number, runEvery: number, seed: number): number[] {
  let x = seed;
  const out: number[] = [];
  while (out.length < n) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const v = x % (max + 1);
    const run = x % runEvery === 0 ? 8 + (x % 40) : 1;
    for (let k = 0; k < run && out.length < n; k++) out.push(v);
  }
  return out;
}

describe('RLE / bit-packing hybrid', () => {
  it.each([
    ['definition levels', 1, [0, 1, 5, 7, 8, 9, 15, 16, 17, 1000, 14_840]],
    ['a 2-bit dictionary', 2, [3, 8, 64, 999]],
    ['company names (11 bits)', 11, [1, 7, 8, 9, 4096, 14_840]],
    ['tickers (14 bits)', 14, [8, 100, 14_840]],
    ['a 131,072-row group (17 bits)', 17, [131_072]],
  ])('writes the bytes hyparquet-writer writes: %s', (_what, bitWidth, lengths) => {
    for (const n of lengths) {
      for (const runEvery of [2, 7, 1_000_000]) {
        const v = values(n, 2 ** bitWidth - 1, runEvery, n * 31 + bitWidth);
        expect(Buffer.from(rleBitPackedHybrid(v, bitWidth)).equals(Buffer.from(library(v, bitWidth)))).toBe(true);
      }
    }
  });

  it('a single value repeated is one run: 15,000 zeros in 4 bytes', () => {
    expect([...rleBitPackedHybrid(new Int32Array(15_000), 1)]).toEqual([0xb0, 0xea, 0x01, 0x00]);
  });

  it('refuses a bit width it cannot pack, in one line', () => {
    expect(() => rleBitPackedHybrid([1], 0)).toThrow('parquet: an RLE bit width is 1 to 24, got 0');
    expect(() => rleBitPackedHybrid([1], 25)).toThrow('parquet: an RLE bit width is 1 to 24, got 25');
  });
});

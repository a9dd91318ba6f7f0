import { compress as snappyjsCompress, uncompress } from 'snappyjs';
import fc from 'fast-check';
import { maxCompressedLength, snappyCompress } from '../../../lib/raw/snappy';
import { TXT_2021_03_25, cotahistBytes } from '../cotahist/cotahist-fixtures';

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe('snappyCompress: SNAPPY blocks that another implementation (snappyjs) decompresses', () => {
  it('round-trips a real COTAHIST and compresses it about as the reference algorithm does', () => {
    const text = cotahistBytes(TXT_2021_03_25);
    const ours = snappyCompress(text);
    expect(same(uncompress(ours), text)).toBe(true);
    // The same greedy matcher as snappyjs's port of the reference: within 1% of its size.
    expect(Math.abs(ours.length - snappyjsCompress(text).length) / text.length).toBeLessThan(0.01);
    expect(ours.length).toBeLessThan(text.length / 3);
  });

  it('round-trips the edges: empty, shorter than the matcher margin, block boundaries, long runs, long literals', () => {
    const random = (n: number) => Uint8Array.from({ length: n }, (_, i) => (Math.imul(i + 1, 0x9e3779b1) >>> 24) & 0xff);
    const cases = [new Uint8Array(0), Uint8Array.of(7), random(14), random(15), new Uint8Array(65_535), new Uint8Array(65_536).fill(9), new Uint8Array(65_537), random(70_000), random(200_000)];
    for (const input of cases) {
      const c = snappyCompress(input);
      expect({ n: input.length, ok: same(uncompress(c), input) }).toEqual({ n: input.length, ok: true });
      expect(c.length).toBeLessThanOrEqual(maxCompressedLength(input.length));
    }
    // 64 KiB of one byte is a few copies, not a literal.
    expect(snappyCompress(new Uint8Array(65_536).fill(9)).length).toBeLessThan(3_200);
  });

  it('round-trips any bytes (property, mixed repetitive and random data)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 1, maxLength: 5 }).map((u) => new Uint8Array(200).map((_, i) => u[i % u.length]))), { maxLength: 400 }), (parts) => {
        const input = Buffer.concat(parts);
        return same(uncompress(snappyCompress(input)), input);
      }),
      { numRuns: 300 },
    );
  });
});

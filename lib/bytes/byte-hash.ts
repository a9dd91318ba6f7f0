/**
 * A 32-bit hash of bytes [start, end) of `b`, four bytes per step: the open-addressing tables of
 * the COTAHIST parser (duplicate keys) and of the raw quotes' string dictionaries hash a few
 * fields of every record, so a byte-at-a-time FNV chain was most of their cost. Each word is mixed
 * so its high bytes reach the low bits, which is what a table's mask reads; murmur3's finalizer
 * ends it.
 */
export function byteHash(b: Uint8Array, start: number, end: number): number {
  let h = end - start;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    h = Math.imul(h ^ (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)), 0x9e3779b1);
    h ^= h >>> 15;
  }
  for (; i < end; i++) h = Math.imul(h ^ b[i], 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** A typed array's contents in one twice as long: the tables grow by doubling. */
export function grownInt32(a: Int32Array): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(a.length * 2);
  grown.set(a);
  return grown;
}

/**
 * An open-addressing table twice as large holding entries 0..count-1 at their hashes' slots (slot
 * value = entry + 1, 0 empty, linear probing): what both tables do when half full.
 */
export function rehashedSlots(size: number, hashes: Int32Array, count: number): Int32Array<ArrayBuffer> {
  const slots = new Int32Array(size);
  const mask = size - 1;
  for (let e = 0; e < count; e++) {
    let s = hashes[e] & mask;
    while (slots[s] !== 0) s = (s + 1) & mask;
    slots[s] = e + 1;
  }
  return slots;
}

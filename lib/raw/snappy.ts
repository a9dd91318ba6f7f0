/**
 * SNAPPY, the raw block format Parquet's SNAPPY codec holds (google/snappy format_description.txt):
 * the uncompressed length as a varint, then literals and copies, each copy within its 64 KiB block.
 * The greedy matcher of the reference compressor, written for V8: 32-bit hashes with Math.imul and
 * literals copied with `set`. snappyjs, the library we used, multiplies in doubles and converts with
 * `>>>` for every hash, and copies literals a byte at a time: it took 160 ms of the 20-session
 * benchmark's 1.3 s (bench/cotahist/README.md). Its decompressor checks ours in the tests.
 */

const BLOCK = 1 << 16;
const HASH_BITS = 14;
/** The matcher stops this far before a block's end; the rest is a literal (as the reference does). */
const INPUT_MARGIN = 15;
const table = new Uint16Array(1 << HASH_BITS);

/** The most bytes `compress` can write for `n` bytes in (the reference's bound). */
export function maxCompressedLength(n: number): number {
  return 32 + n + Math.floor(n / 6);
}

/** Where blocks are compressed, reused: a fresh bound-sized buffer per page was new zeroed pages each time. */
let scratch = new Uint8Array(0);

/** `input` as one SNAPPY block stream (a buffer of its own). */
export function snappyCompress(input: Uint8Array): Uint8Array {
  if (scratch.length < maxCompressedLength(input.length)) scratch = new Uint8Array(maxCompressedLength(input.length));
  const out = scratch;
  let op = 0;
  for (let v = input.length; ; v >>>= 7) {
    if (v < 0x80) {
      out[op++] = v;
      break;
    }
    out[op++] = (v & 0x7f) | 0x80;
  }
  const words = new DataView(input.buffer, input.byteOffset, input.byteLength);
  for (let pos = 0; pos < input.length; pos += BLOCK) op = compressBlock(input, words, pos, Math.min(input.length, pos + BLOCK), out, op);
  return out.slice(0, op);
}

/** The 4 bytes at `i`, one load (little-endian, as the reference reads them). */
function load32(words: DataView, i: number): number {
  return words.getInt32(i, true);
}

function hash(word: number, shift: number): number {
  return Math.imul(word, 0x1e35a7bd) >>> shift;
}

function literal(input: Uint8Array, from: number, to: number, out: Uint8Array, op: number): number {
  const n = to - from - 1;
  if (n < 60) out[op++] = n << 2;
  else if (n < 0x100) {
    out[op++] = 60 << 2;
    out[op++] = n;
  } else if (n < 0x10000) {
    out[op++] = 61 << 2;
    out[op++] = n & 0xff;
    out[op++] = n >>> 8;
  } else {
    out[op++] = 62 << 2;
    out[op++] = n & 0xff;
    out[op++] = (n >>> 8) & 0xff;
    out[op++] = n >>> 16;
  }
  if (to - from < 16) for (let i = from; i < to; i++) out[op++] = input[i];
  else {
    out.set(input.subarray(from, to), op);
    op += to - from;
  }
  return op;
}

/** A copy of `length` bytes from `offset` back (offset < 64 KiB), as copies of at most 64. */
function copy(out: Uint8Array, op: number, offset: number, length: number): number {
  while (length >= 68) {
    op = copyUpTo64(out, op, offset, 64);
    length -= 64;
  }
  if (length > 64) {
    op = copyUpTo64(out, op, offset, 60);
    length -= 60;
  }
  return copyUpTo64(out, op, offset, length);
}

function copyUpTo64(out: Uint8Array, op: number, offset: number, length: number): number {
  if (length < 12 && offset < 2048) {
    out[op++] = 1 | ((length - 4) << 2) | ((offset >>> 8) << 5);
    out[op++] = offset & 0xff;
  } else {
    out[op++] = 2 | ((length - 1) << 2);
    out[op++] = offset & 0xff;
    out[op++] = offset >>> 8;
  }
  return op;
}

function compressBlock(input: Uint8Array, words: DataView, start: number, end: number, out: Uint8Array, op: number): number {
  const size = end - start;
  let bits = 1;
  while (bits < HASH_BITS && 1 << bits < size) bits++;
  const shift = 32 - bits;
  table.fill(0, 0, 1 << bits);
  let emitted = start;
  if (size >= INPUT_MARGIN) {
    const limit = end - INPUT_MARGIN;
    let ip = start + 1;
    let next = hash(load32(words, ip), shift);
    for (;;) {
      // Look for a 4-byte match, stepping faster through data that does not compress.
      let skip = 32;
      let nextIp = ip;
      let candidate = 0;
      do {
        ip = nextIp;
        const h = next;
        nextIp = ip + (skip++ >>> 5);
        if (nextIp > limit) return emitted < end ? literal(input, emitted, end, out, op) : op;
        next = hash(load32(words, nextIp), shift);
        candidate = start + table[h];
        table[h] = ip - start;
      } while (load32(words, ip) !== load32(words, candidate));
      op = literal(input, emitted, ip, out, op);
      // Copies, as long as the byte after one starts another match.
      for (;;) {
        const base = ip;
        let matched = 4;
        while (ip + matched + 4 <= end && load32(words, ip + matched) === load32(words, candidate + matched)) matched += 4;
        while (ip + matched < end && input[ip + matched] === input[candidate + matched]) matched++;
        ip += matched;
        op = copy(out, op, base - candidate, matched);
        emitted = ip;
        if (ip >= limit) return emitted < end ? literal(input, emitted, end, out, op) : op;
        table[hash(load32(words, ip - 1), shift)] = ip - 1 - start;
        const h = hash(load32(words, ip), shift);
        candidate = start + table[h];
        table[h] = ip - start;
        if (load32(words, ip) !== load32(words, candidate)) break;
      }
      ip += 1;
      next = hash(load32(words, ip), shift);
    }
  }
  return emitted < end ? literal(input, emitted, end, out, op) : op;
}

/**
 * Parquet's RLE / bit-packing hybrid (definition levels, dictionary indexes), written into one
 * preallocated buffer. The same runs as hyparquet-writer's writeRleBitPackedHybrid (a value
 * repeated 8 times or more is a run, anything else goes in groups of 8 bit-packed values), which
 * appends a byte at a time to a growing ByteWriter: measured, its loop was 130 of 1,530 ms of the
 * 20-session profile.
 */
export function rleBitPackedHybrid(values: ArrayLike<number>, bitWidth: number): Uint8Array {
  if (!(Number.isInteger(bitWidth) && bitWidth >= 1 && bitWidth <= 24)) throw new RangeError(`parquet: an RLE bit width is 1 to 24, got ${bitWidth}`);
  const n = values.length;
  // A run costs at most 5 + 3 bytes for 8 values or more; a group of 8 costs bitWidth bytes.
  const out = new Uint8Array(n + Math.ceil((n * bitWidth) / 8) + 32);
  const valueBytes = (bitWidth + 7) >> 3;
  let at = 0;
  let groupsStart = -1; // first value of the pending bit-packed groups
  let i = 0;
  // Plain functions and locals, no closures: a closure's writes to `at` kept it in a context object.
  while (i < n) {
    const v = values[i];
    let run = 1;
    while (i + run < n && values[i + run] === v) run++;
    if (run >= 8) {
      if (groupsStart >= 0) at = bitPackedGroups(values, groupsStart, i, bitWidth, out, at);
      groupsStart = -1;
      at = varint(out, at, run << 1);
      for (let b = 0; b < valueBytes; b++) out[at++] = (v >>> (8 * b)) & 0xff;
      i += run;
    } else {
      if (groupsStart < 0) groupsStart = i;
      i += 8;
    }
  }
  if (groupsStart >= 0) at = bitPackedGroups(values, groupsStart, i, bitWidth, out, at);
  return out.subarray(0, at);
}

/** ULEB128 at `at`: returns the next position. */
function varint(out: Uint8Array, at: number, v: number): number {
  while (v > 0x7f) {
    out[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  out[at++] = v;
  return at;
}

/** Values [from, to) (a multiple of 8, zeros past the end) as bit-packed groups at `at`: returns the next position. */
function bitPackedGroups(values: ArrayLike<number>, from: number, to: number, bitWidth: number, out: Uint8Array, at: number): number {
  const n = values.length;
  at = varint(out, at, (((to - from) >> 3) << 1) | 1);
  let buffer = 0;
  let bits = 0;
  for (let k = from; k < to; k++) {
    buffer |= (k < n ? values[k] : 0) << bits;
    bits += bitWidth;
    while (bits >= 8) {
      out[at++] = buffer & 0xff;
      buffer >>>= 8;
      bits -= 8;
    }
  }
  return at;
}

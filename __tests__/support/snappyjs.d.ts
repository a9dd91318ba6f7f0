// snappyjs 0.7.0 ships no types: the two functions the tests call, as its README gives them. It is
// the independent SNAPPY implementation our compressor (lib/raw/snappy.ts) is checked against.
declare module 'snappyjs' {
  /** Snappy's raw block format (what Parquet's SNAPPY codec is); a Uint8Array in, a Uint8Array out. */
  export function compress(uncompressed: Uint8Array): Uint8Array;
  export function uncompress(compressed: Uint8Array): Uint8Array;
}

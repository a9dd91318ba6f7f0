// snappyjs 0.7.0 ships no types: the one function the raw quotes writer calls, as its README gives it.
declare module 'snappyjs' {
  /** Snappy's raw block format (what Parquet's SNAPPY codec is); a Uint8Array in, a Uint8Array out. */
  export function compress(uncompressed: Uint8Array): Uint8Array;
}

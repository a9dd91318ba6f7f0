/** The data lake as keys and bytes: S3 in AWS, a folder locally. Keys use `/` and no leading slash. */
export interface ObjectStore {
  /** Writes the whole object or nothing (S3 PutObject; temp file + rename locally). Overwrites. */
  put(key: string, body: Uint8Array, contentType?: string): Promise<void>;
  /** The object's bytes, or undefined when it does not exist. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Every key under the prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Human-readable location for logs and summaries, e.g. s3://bucket/key or /abs/lake/key. */
  describe(key: string): string;
}

/** `s3://bucket/key` → its bucket and key (key may be empty or end in `/`); null when not an S3 URI. */
export function parseS3Uri(uri: string): { readonly bucket: string; readonly key: string } | null {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
  return m ? { bucket: m[1], key: m[2] } : null;
}

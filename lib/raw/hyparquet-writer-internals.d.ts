// hyparquet-writer 0.17 exports its modules as `hyparquet-writer/src/*.js` (package.json "exports")
// with types in its `types/` folder, which moduleResolution node10 does not find: the few pieces the
// raw quotes writer uses, declared as the library's own .d.ts files declare them.
declare module 'hyparquet-writer/src/datapage.js' {
  import type { PageHeader } from 'hyparquet';
  import type { Writer } from 'hyparquet-writer';
  export function writePageHeader(writer: Writer, header: PageHeader): void;
}

// The library's own RLE/bit-packing: what __tests__/lib/raw/rle-hybrid.test.ts holds ./rle-hybrid to.
declare module 'hyparquet-writer/src/encoding.js' {
  import type { DecodedArray } from 'hyparquet';
  import type { Writer } from 'hyparquet-writer';
  export function writeRleBitPackedHybrid(writer: Writer, values: DecodedArray, bitWidth: number): number;
}

declare module 'hyparquet-writer/src/metadata.js' {
  import type { FileMetaData } from 'hyparquet';
  import type { Writer } from 'hyparquet-writer';
  export function writeMetadata(writer: Writer, metadata: FileMetaData, statisticsTruncateLength?: number): void;
}

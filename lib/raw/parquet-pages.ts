import type { ColumnChunk, Encoding, FileMetaData, RowGroup, SchemaElement, Statistics } from 'hyparquet';
import { ByteWriter } from 'hyparquet-writer';
import { writePageHeader } from 'hyparquet-writer/src/datapage.js';
import { writeMetadata } from 'hyparquet-writer/src/metadata.js';
import { RawContractError } from './raw-contract';
import { rleBitPackedHybrid } from './rle-hybrid';
import { snappyCompress } from './snappy';

/**
 * Parquet pages and files from values already laid out as bytes: hyparquet-writer's own page
 * headers and footer (its thrift), the RLE / bit-packing hybrid of ./rle-hybrid, and ./snappy for
 * SNAPPY (hyparquet-writer's snappy took 300 ms of the 20-session input, snappyjs 160, ours about
 * half of that). Why not `parquetWriteBuffer`: it takes JS values (a bigint per INT64 value) and,
 * per value, checks, converts, samples for a dictionary and compares for statistics; for a
 * COTAHIST session that was most of the run (bench/cotahist/README.md). Only what the raw quotes need: flat columns, REQUIRED or OPTIONAL,
 * PLAIN or RLE_DICTIONARY data pages v2, snappy, min/max and null-count statistics per chunk.
 */
export interface ParquetColumn {
  readonly length: number;
  /** Writes rows [start, end) as one column chunk at the writer's offset; returns its metadata. */
  writeChunk(writer: ByteWriter, element: SchemaElement, start: number, end: number): ColumnChunk;
}

/** A chunk's values: PLAIN bytes, or a dictionary (PLAIN bytes of `count` values) and the present values' indexes. */
export type ChunkValues =
  | { readonly encoding: 'PLAIN'; readonly plain: Uint8Array }
  | { readonly encoding: 'RLE_DICTIONARY'; readonly dictionary: Uint8Array; readonly count: number; readonly indexes: Int32Array };

export interface ChunkPages {
  readonly values: ChunkValues;
  readonly rows: number;
  /** Definition levels of an OPTIONAL column (1 present, 0 null), else null. */
  readonly levels: Uint8Array | null;
  readonly nulls: number;
  readonly statistics: Statistics;
}

const PAR1 = 0x31524150;

/** One column chunk: a dictionary page when the values have one, then one data page. */
export function writeChunk(writer: ByteWriter, element: SchemaElement, chunk: ChunkPages): ColumnChunk {
  if (!element.type) throw new RawContractError(`raw: column ${element.name} has no physical type, got none`);
  const offset = writer.offset;
  const { values } = chunk;
  let uncompressed = 0;
  let page: Uint8Array;
  if (values.encoding === 'RLE_DICTIONARY') {
    uncompressed += writeDictionaryPage(writer, values.dictionary, values.count);
    const bitWidth = Math.max(1, Math.ceil(Math.log2(values.count)));
    const indexes = rleBitPackedHybrid(values.indexes, bitWidth);
    page = new Uint8Array(1 + indexes.length);
    page[0] = bitWidth;
    page.set(indexes, 1);
  } else {
    page = values.plain;
  }
  const dataPageOffset = writer.offset;
  uncompressed += writeDataPage(writer, values.encoding, page, chunk);
  const dictionary = values.encoding === 'RLE_DICTIONARY';
  return {
    file_offset: BigInt(offset),
    meta_data: {
      type: element.type,
      encodings: dictionary ? ['PLAIN', 'RLE_DICTIONARY'] : ['PLAIN'],
      path_in_schema: [element.name],
      codec: 'SNAPPY',
      num_values: BigInt(chunk.rows),
      total_uncompressed_size: BigInt(uncompressed),
      total_compressed_size: BigInt(writer.offset - offset),
      data_page_offset: BigInt(dataPageOffset),
      ...(dictionary ? { dictionary_page_offset: BigInt(offset) } : {}),
      statistics: chunk.statistics,
    },
  };
}

/** One Parquet file: every column's rows cut into row groups of at most `rowGroupSize` rows. */
export function writeParquetFile(options: {
  readonly schema: readonly SchemaElement[];
  readonly columns: readonly ParquetColumn[];
  readonly rowGroupSize: number;
  readonly createdBy: string;
}): Uint8Array {
  const { schema, columns, rowGroupSize, createdBy } = options;
  const rows = columns[0]?.length ?? 0;
  if (columns.length !== schema.length - 1) throw new RawContractError(`raw: one column per schema leaf, got ${columns.length} for ${schema.length - 1}`);
  for (const c of columns) if (c.length !== rows) throw new RawContractError(`raw: every column has the same rows, got ${c.length} and ${rows}`);
  if (!(Number.isInteger(rowGroupSize) && rowGroupSize > 0)) throw new RawContractError(`raw: a row group is a positive row count, got ${rowGroupSize}`);
  const writer = new ByteWriter(1 << 20);
  writer.appendUint32(PAR1);
  const row_groups: RowGroup[] = [];
  for (let start = 0; start < rows; start += rowGroupSize) {
    const end = Math.min(rows, start + rowGroupSize);
    const groupOffset = writer.offset;
    const chunks = columns.map((c, j) => c.writeChunk(writer, schema[j + 1], start, end));
    row_groups.push({
      columns: chunks,
      total_byte_size: chunks.reduce((s, c) => s + (c.meta_data?.total_uncompressed_size ?? 0n), 0n),
      num_rows: BigInt(end - start),
      total_compressed_size: BigInt(writer.offset - groupOffset),
    });
  }
  const metadata: Omit<FileMetaData, 'metadata_length'> = { version: 2, created_by: createdBy, schema: [...schema], num_rows: BigInt(rows), row_groups };
  // writeMetadata serializes every field it is given, and writes the footer's length itself.
  writeMetadata(writer, metadata as FileMetaData);
  writer.appendUint32(PAR1);
  return writer.getBytes();
}

/** A DATA_PAGE_V2: definition levels (uncompressed, as v2 keeps them), then the snappy values. */
function writeDataPage(writer: ByteWriter, encoding: Encoding, values: Uint8Array, chunk: ChunkPages): number {
  const levels = chunk.levels ? rleBitPackedHybrid(chunk.levels, 1) : new Uint8Array(0);
  const compressed = snappyCompress(values);
  const headerStart = writer.offset;
  writePageHeader(writer, {
    type: 'DATA_PAGE_V2',
    uncompressed_page_size: levels.length + values.length,
    compressed_page_size: levels.length + compressed.length,
    data_page_header_v2: {
      num_values: chunk.rows,
      num_nulls: chunk.nulls,
      num_rows: chunk.rows,
      encoding,
      definition_levels_byte_length: levels.length,
      repetition_levels_byte_length: 0,
      is_compressed: true,
    },
  });
  const header = writer.offset - headerStart;
  writer.appendBytes(levels);
  writer.appendBytes(compressed);
  return header + levels.length + values.length;
}

function writeDictionaryPage(writer: ByteWriter, plain: Uint8Array, count: number): number {
  const compressed = snappyCompress(plain);
  const headerStart = writer.offset;
  writePageHeader(writer, {
    type: 'DICTIONARY_PAGE',
    uncompressed_page_size: plain.length,
    compressed_page_size: compressed.length,
    dictionary_page_header: { num_values: count, encoding: 'PLAIN' },
  });
  const header = writer.offset - headerStart;
  writer.appendBytes(compressed);
  return header + plain.length;
}

/**
 * Whether a dictionary pays: hyparquet-writer's rule, the dictionary and its bit-packed indexes at
 * most half the PLAIN bytes.
 */
export function dictionaryPays(plainBytes: number, dictionaryBytes: number, count: number, present: number): boolean {
  const bitWidth = Math.max(1, Math.ceil(Math.log2(Math.max(count, 1))));
  return 2 * (dictionaryBytes + Math.ceil((present * bitWidth) / 8)) <= plainBytes;
}

import { parquetWriteBuffer, type ColumnSource, type SchemaElement } from 'hyparquet-writer';
import { toEpochDays } from '../calendar/iso-date';
import type { CotahistQuote } from '../cotahist/quote';
import { RawContractError } from './raw-contract';
import { RAW_QUOTE_COLUMNS, type QuoteColumn } from './quotes-contract';

/**
 * Each raw quotes column as a Parquet element. DECIMAL is INT64 with the unscaled value (hyparquet-
 * writer 0.17 writes a bigint as is), converted and logical types both spelled out so DuckDB,
 * Spark/Athena and pyarrow read DECIMAL(p,s) alike; DATE likewise.
 */
function element({ name, column }: QuoteColumn): SchemaElement {
  switch (column.type) {
    case 'string':
      return {
        name,
        type: 'BYTE_ARRAY',
        converted_type: 'UTF8',
        logical_type: { type: 'STRING' },
        repetition_type: column.nullable ? 'OPTIONAL' : 'REQUIRED',
      };
    case 'date':
      return { name, type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' }, repetition_type: 'REQUIRED' };
    case 'int':
      return { name, type: 'INT32', repetition_type: 'REQUIRED' };
    case 'bigint':
      return { name, type: 'INT64', repetition_type: 'REQUIRED' };
    case 'decimal': {
      const { precision, scale } = column;
      return {
        name,
        type: 'INT64',
        converted_type: 'DECIMAL',
        precision,
        scale,
        logical_type: { type: 'DECIMAL', precision, scale },
        repetition_type: 'REQUIRED',
      };
    }
  }
}

const SCHEMA: readonly SchemaElement[] = [{ name: 'schema', num_children: RAW_QUOTE_COLUMNS.length }, ...RAW_QUOTE_COLUMNS.map(element)];

/**
 * Collects a session's quotes column by column as the parser hands them over (one array per
 * column, no row objects kept), then encodes one snappy Parquet file in memory.
 */
export class RawQuotesParquet {
  private readonly columns: unknown[][] = RAW_QUOTE_COLUMNS.map(() => []);
  private readonly epochDays = new Map<string, number>();
  private rows = 0;

  add(quote: CotahistQuote): void {
    for (let i = 0; i < RAW_QUOTE_COLUMNS.length; i++) {
      const { name, column } = RAW_QUOTE_COLUMNS[i];
      const value = quote[name];
      this.columns[i].push(column.type === 'date' ? this.days(value as string) : value);
    }
    this.rows += 1;
  }

  get rowCount(): number {
    return this.rows;
  }

  encode(): Uint8Array {
    if (this.rows === 0) throw new RawContractError('raw: refusing to write an empty quotes file, got 0 rows');
    const columnData = RAW_QUOTE_COLUMNS.map(({ name }, i) => ({ name, data: this.columns[i] }) as ColumnSource);
    return new Uint8Array(
      parquetWriteBuffer({ columnData, schema: [...SCHEMA], codec: 'SNAPPY', createdBy: 'b3-pregao-pipeline (hyparquet-writer)' }),
    );
  }

  private days(day: string): number {
    let n = this.epochDays.get(day);
    if (n === undefined) {
      n = toEpochDays(day);
      this.epochDays.set(day, n);
    }
    return n;
  }
}

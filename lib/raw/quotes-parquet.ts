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

export const RAW_QUOTES_PARQUET_SCHEMA: readonly SchemaElement[] = [{ name: 'schema', num_children: RAW_QUOTE_COLUMNS.length }, ...RAW_QUOTE_COLUMNS.map(element)];

/** The column arrays of a session, in contract order; their element types are what the writer takes. */
type Columns = { -readonly [K in keyof CotahistQuote]: unknown[] };

/**
 * Collects a session's quotes column by column as the parser hands them over (one array per
 * column, no row objects kept), then encodes one snappy Parquet file in memory.
 */
export class RawQuotesParquet {
  private readonly columns = Object.fromEntries(RAW_QUOTE_COLUMNS.map((c) => [c.name, [] as unknown[]])) as Columns;
  private readonly epochDays = new Map<string, number>();
  private rows = 0;

  /** One push per column, spelled out: no lookup by column name per value. */
  add(q: CotahistQuote): void {
    const c = this.columns;
    c.session_date.push(this.days(q.session_date));
    c.bdi_code.push(q.bdi_code);
    c.ticker.push(q.ticker);
    c.market_type.push(q.market_type);
    c.company_name.push(q.company_name);
    c.specification.push(q.specification);
    c.forward_term_days.push(q.forward_term_days);
    c.currency.push(q.currency);
    c.open_price.push(q.open_price);
    c.high_price.push(q.high_price);
    c.low_price.push(q.low_price);
    c.avg_price.push(q.avg_price);
    c.close_price.push(q.close_price);
    c.best_bid_price.push(q.best_bid_price);
    c.best_ask_price.push(q.best_ask_price);
    c.trades.push(q.trades);
    c.shares_traded.push(q.shares_traded);
    c.traded_volume.push(q.traded_volume);
    c.strike_price.push(q.strike_price);
    c.strike_correction.push(q.strike_correction);
    c.expiration_date.push(this.days(q.expiration_date));
    c.quote_factor.push(q.quote_factor);
    c.strike_points.push(q.strike_points);
    c.isin.push(q.isin);
    c.distribution_number.push(q.distribution_number);
    this.rows += 1;
  }

  get rowCount(): number {
    return this.rows;
  }

  encode(): Uint8Array {
    if (this.rows === 0) throw new RawContractError('raw: refusing to write an empty quotes file, got 0 rows');
    const columnData = RAW_QUOTE_COLUMNS.map(({ name }) => ({ name, data: this.columns[name] }) as ColumnSource);
    return new Uint8Array(
      parquetWriteBuffer({ columnData, schema: [...RAW_QUOTES_PARQUET_SCHEMA], codec: 'SNAPPY', createdBy: 'b3-pregao-pipeline (hyparquet-writer)' }),
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

import type { CodeGenConfigurationNode, CreateJobRequest } from '@aws-sdk/client-glue';
import { PURGE_CLASS_NAME, WHOLE_DAYS_CLASS_NAME } from '../lib/glue-dag/custom-code';
import { RAW_QUOTES_PREFIX } from '../lib/lake/layout';
import { RAW_QUOTE_COLUMNS } from '../lib/raw/quotes-contract';
import {
  QUOTES_REFINED_PARTITION_KEYS,
  QUOTES_REFINED_PREFIX,
  QUOTES_REFINED_TABLE,
  SPOT_MARKET_TYPE,
} from '../lib/refined/quotes-refined-contract';
import { purgeDaysBody, rawQuotesSchema, wholeDaysBody } from './custom-code-bodies';
import { catalogedParquetTarget, visualJobRequest, type VisualJobOptions } from './visual-job-request';

/** Node ids of the quotes DAG (keys of CodeGenConfigurationNodes; Glue wants [A-Za-z0-9_-]). */
export const QUOTES_NODE_IDS = {
  rawSource: 'node-raw-quotes-source',
  wholeDays: 'node-whole-raw-days',
  selectWholeDays: 'node-select-whole-days',
  spotMarket: 'node-spot-market',
  perShare: 'node-per-share-prices',
  purgeDays: 'node-purge-refined-days',
  selectPurged: 'node-select-purged',
  quotesTarget: 'node-quotes-target',
} as const;

/** TPMERC 010 only: IBOV's constituents trade in the spot lot market; options, forwards, odd lots are other markets. */
const SPOT_MARKET_SQL = `SELECT * FROM quotes WHERE market_type = ${SPOT_MARKET_TYPE}`;

/**
 * B3 quotes prices per FATCOT shares (1 for stocks, 1000 for some funds): ÷ quote_factor gives
 * the price of one share. The DECIMAL is cast to DOUBLE first, so Spark and DuckDB both divide
 * two doubles (decimal ÷ int is DECIMAL in Spark, DOUBLE in DuckDB, lib/glue-dag/spark-sql.ts)
 * and get the same IEEE result.
 */
const PER_SHARE_SQL = `SELECT session_date, ticker, isin, company_name, specification, bdi_code,
       CAST(open_price AS DOUBLE) / quote_factor AS open_price,
       CAST(high_price AS DOUBLE) / quote_factor AS high_price,
       CAST(low_price AS DOUBLE) / quote_factor AS low_price,
       CAST(avg_price AS DOUBLE) / quote_factor AS avg_price,
       CAST(close_price AS DOUBLE) / quote_factor AS close_price,
       trades, shares_traded,
       CAST(traded_volume AS DOUBLE) AS volume_brl,
       quote_factor,
       session_date AS dt
FROM spot`;

/**
 * The quotes DAG, the portfolio job's shape on another dataset: bookmarked raw source, whole
 * days (which also types an empty batch), two SparkSQL steps, the purge, one appending sink.
 */
export function b3QuotesRefinedNodes(bucket: string): Record<string, CodeGenConfigurationNode> {
  const rawUri = `s3://${bucket}/${RAW_QUOTES_PREFIX}`;
  const refinedUri = `s3://${bucket}/${QUOTES_REFINED_PREFIX}`;
  const ids = QUOTES_NODE_IDS;
  return {
    [ids.rawSource]: {
      // With the job bookmark, a run reads only the raw sessions no earlier run has read.
      S3ParquetSource: { Name: 'Raw quotes (S3 Parquet)', Paths: [rawUri], Recurse: true },
    },
    [ids.wholeDays]: {
      CustomCode: {
        Name: 'Whole raw sessions of the batch',
        Inputs: [ids.rawSource],
        ClassName: WHOLE_DAYS_CLASS_NAME,
        Code: wholeDaysBody({ datasetUri: rawUri, dayColumn: 'session_date', columns: rawQuotesSchema(RAW_QUOTE_COLUMNS) }),
      },
    },
    [ids.selectWholeDays]: {
      SelectFromCollection: { Name: 'Whole sessions', Inputs: [ids.wholeDays], Index: 0 },
    },
    [ids.spotMarket]: {
      SparkSQL: {
        Name: 'Spot lot market (TPMERC 010)',
        Inputs: [ids.selectWholeDays],
        SqlAliases: [{ From: ids.selectWholeDays, Alias: 'quotes' }],
        SqlQuery: SPOT_MARKET_SQL,
      },
    },
    [ids.perShare]: {
      SparkSQL: {
        Name: 'Prices per share, named columns',
        Inputs: [ids.spotMarket],
        SqlAliases: [{ From: ids.spotMarket, Alias: 'spot' }],
        SqlQuery: PER_SHARE_SQL,
      },
    },
    [ids.purgeDays]: {
      CustomCode: {
        Name: 'Purge the refined sessions of this batch',
        Inputs: [ids.perShare],
        ClassName: PURGE_CLASS_NAME,
        Code: purgeDaysBody([refinedUri], 'dt'),
      },
    },
    [ids.selectPurged]: {
      SelectFromCollection: { Name: 'Purged batch', Inputs: [ids.purgeDays], Index: 0 },
    },
    // One file a session (about 1,300 spot rows): the view joins it whole.
    [ids.quotesTarget]: catalogedParquetTarget({
      name: 'Refined quotes (S3 Parquet, one file a session, cataloged)',
      input: ids.selectPurged,
      path: refinedUri,
      partitionKeys: QUOTES_REFINED_PARTITION_KEYS,
      table: QUOTES_REFINED_TABLE,
      oneFilePerPartition: true,
    }),
  };
}

/** The Glue CreateJob request of the quotes refinement job. */
export function b3QuotesRefinedJob(opts: VisualJobOptions): CreateJobRequest {
  return visualJobRequest(opts, {
    description: 'B3 COTAHIST quotes: raw/quotes Parquet -> spot market (TPMERC 010), prices per share, cataloged as default.b3_quotes_refined (dt, one file a session)',
    nodes: b3QuotesRefinedNodes(opts.bucket),
  });
}

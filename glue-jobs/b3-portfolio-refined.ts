import type { CodeGenConfigurationNode, CreateJobRequest } from '@aws-sdk/client-glue';
import { PURGE_CLASS_NAME, WHOLE_DAYS_CLASS_NAME } from '../lib/glue-dag/custom-code';
import { RAW_PORTFOLIO_PREFIX } from '../lib/lake/layout';
import {
  DAILY_PARTITION_KEYS,
  DAILY_TABLE,
  DAILY_TABLE_PREFIX,
  REFINED_PARTITION_KEYS,
  REFINED_TABLE,
  REFINED_TABLE_PREFIX,
} from '../lib/refined/refined-contract';
import { purgeDaysBody, rawPortfolioSchema, wholeDaysBody } from './custom-code-bodies';
import { catalogedParquetTarget, glueScriptLocation, visualJobRequest, type VisualJobOptions } from './visual-job-request';

/**
 * Node ids of the visual DAG (keys of CodeGenConfigurationNodes; Glue wants [A-Za-z0-9_-]).
 * Inputs and SQL aliases refer to these ids.
 */
export const NODE_IDS = {
  rawSource: 'node-raw-source',
  wholeDays: 'node-whole-raw-days',
  selectWholeDays: 'node-select-whole-days',
  mapping: 'node-apply-mapping',
  sectorAggregate: 'node-sector-aggregate',
  joinSectors: 'node-join-sectors',
  rebalanceDays: 'node-days-since-rebalance',
  purgeDays: 'node-purge-refined-days',
  selectPurged: 'node-select-purged',
  refinedTarget: 'node-refined-target',
  dailyTarget: 'node-daily-target',
} as const;

export type B3PortfolioRefinedJobOptions = VisualJobOptions;

export { glueScriptLocation };

/**
 * The sector aggregates beside each ticker row. A LEFT JOIN on `t.sector = s.sector` never
 * matches a null sector (null = null is not true, in Spark as in SQL), so an unknown sector
 * gets null aggregates, as the refined contract requires, although Aggregate groups it.
 * `sum(weight_pct)` / `count(ticker)` are the names Spark gives Glue's Aggregate outputs.
 */
const JOIN_SECTORS_SQL = `SELECT t.dt, t.ticker, t.index_code, t.company_name, t.share_class, t.sector,
       t.theoretical_qty, t.weight_pct,
       s.\`sum(weight_pct)\` AS sector_total_weight_pct,
       s.\`count(ticker)\` AS sector_ticker_count,
       t.session_date, t.total_theoretical_qty, t.reductor
FROM tickers t
LEFT JOIN sectors s
  ON t.dt = s.dt AND t.index_code = s.index_code AND t.sector = s.sector`;

/**
 * Days from the start of the IBOV validity period (1 Jan, 1 May or 1 Sep, the latest not
 * after dt) to dt. Only dt is read, never the clock, so a raw day always refines the same.
 */
const DAYS_SINCE_REBALANCE_SQL = `SELECT dt, ticker, index_code, company_name, share_class, sector,
       theoretical_qty, weight_pct, sector_total_weight_pct, sector_ticker_count, session_date,
       CAST(datediff(dt, CASE
         WHEN month(dt) >= 9 THEN make_date(year(dt), 9, 1)
         WHEN month(dt) >= 5 THEN make_date(year(dt), 5, 1)
         ELSE make_date(year(dt), 1, 1)
       END) AS INT) AS days_since_rebalance,
       total_theoretical_qty, reductor
FROM joined`;

/**
 * The visual DAG: built-in Glue Studio nodes, and two CustomCode nodes for what Glue has no
 * built-in for — rebuilding whole days from a bookmark's batch, and purging before an appending sink.
 */
export function b3PortfolioRefinedNodes(bucket: string): Record<string, CodeGenConfigurationNode> {
  const rawUri = `s3://${bucket}/${RAW_PORTFOLIO_PREFIX}`;
  const refinedUri = `s3://${bucket}/${REFINED_TABLE_PREFIX}`;
  const dailyUri = `s3://${bucket}/${DAILY_TABLE_PREFIX}`;
  const keep = (from: string, type: string, to = from) => ({ FromPath: [from], FromType: type, ToKey: to, ToType: type, Dropped: false });
  const drop = (from: string, type: string) => ({ FromPath: [from], FromType: type, ToKey: from, ToType: type, Dropped: true });
  return {
    [NODE_IDS.rawSource]: {
      // With the job bookmark, a run reads only the raw objects no earlier run has read.
      S3ParquetSource: { Name: 'Raw portfolio (S3 Parquet)', Paths: [rawUri], Recurse: true },
    },
    [NODE_IDS.wholeDays]: {
      CustomCode: {
        Name: 'Whole raw days of the batch',
        Inputs: [NODE_IDS.rawSource],
        ClassName: WHOLE_DAYS_CLASS_NAME,
        Code: wholeDaysBody({
          datasetUri: rawUri,
          dayColumn: 'portfolio_date',
          columns: rawPortfolioSchema(),
        }),
      },
    },
    [NODE_IDS.selectWholeDays]: {
      SelectFromCollection: { Name: 'Whole days', Inputs: [NODE_IDS.wholeDays], Index: 0 },
    },
    [NODE_IDS.mapping]: {
      ApplyMapping: {
        Name: 'Types and renames',
        Inputs: [NODE_IDS.selectWholeDays],
        Mapping: [
          keep('portfolio_date', 'date', 'dt'),
          keep('ticker', 'string'),
          keep('index_code', 'string'),
          keep('asset', 'string', 'company_name'),
          keep('share_type', 'string', 'share_class'),
          keep('sector', 'string'),
          keep('theoretical_qty', 'long'),
          keep('weight_pct', 'double'),
          keep('session_date', 'date'),
          keep('total_theoretical_qty', 'long'),
          keep('reductor', 'double'),
          drop('sector_weight_pct', 'double'),
          drop('source', 'string'),
          drop('ingested_at', 'timestamp'),
        ],
      },
    },
    [NODE_IDS.sectorAggregate]: {
      Aggregate: {
        Name: 'Sector totals',
        Inputs: [NODE_IDS.mapping],
        Groups: [['dt'], ['index_code'], ['sector']],
        Aggs: [
          { Column: ['weight_pct'], AggFunc: 'sum' },
          { Column: ['ticker'], AggFunc: 'count' },
        ],
      },
    },
    [NODE_IDS.joinSectors]: {
      SparkSQL: {
        Name: 'Sector totals beside each ticker',
        Inputs: [NODE_IDS.mapping, NODE_IDS.sectorAggregate],
        SqlAliases: [
          { From: NODE_IDS.mapping, Alias: 'tickers' },
          { From: NODE_IDS.sectorAggregate, Alias: 'sectors' },
        ],
        SqlQuery: JOIN_SECTORS_SQL,
      },
    },
    [NODE_IDS.rebalanceDays]: {
      SparkSQL: {
        Name: 'Days since rebalance',
        Inputs: [NODE_IDS.joinSectors],
        SqlAliases: [{ From: NODE_IDS.joinSectors, Alias: 'joined' }],
        SqlQuery: DAYS_SINCE_REBALANCE_SQL,
      },
    },
    [NODE_IDS.purgeDays]: {
      CustomCode: {
        Name: 'Purge the refined days of this batch',
        Inputs: [NODE_IDS.rebalanceDays],
        ClassName: PURGE_CLASS_NAME,
        // Both targets are rebuilt from the same frame: one purge, both tables, the same days.
        Code: purgeDaysBody([refinedUri, dailyUri], 'dt'),
      },
    },
    [NODE_IDS.selectPurged]: {
      SelectFromCollection: { Name: 'Purged batch', Inputs: [NODE_IDS.purgeDays], Index: 0 },
    },
    [NODE_IDS.refinedTarget]: catalogedParquetTarget({
      name: 'Refined (S3 Parquet, cataloged)',
      input: NODE_IDS.selectPurged,
      path: refinedUri,
      partitionKeys: REFINED_PARTITION_KEYS,
      table: REFINED_TABLE,
    }),
    // One file a day, which is what histories read.
    [NODE_IDS.dailyTarget]: catalogedParquetTarget({
      name: 'Refined daily (S3 Parquet, one file a day, cataloged)',
      input: NODE_IDS.selectPurged,
      path: dailyUri,
      partitionKeys: DAILY_PARTITION_KEYS,
      table: DAILY_TABLE,
      oneFilePerPartition: true,
    }),
  };
}

/** The Glue CreateJob request of the portfolio refinement job. */
export function b3PortfolioRefinedJob(opts: B3PortfolioRefinedJobOptions): CreateJobRequest {
  return visualJobRequest(opts, {
    description:
      'B3 IBOV portfolio: raw/portfolio Parquet -> refined Parquet cataloged in default: b3_portfolio_refined (dt, ticker) and b3_portfolio_daily (dt, one file a day)',
    nodes: b3PortfolioRefinedNodes(opts.bucket),
  });
}

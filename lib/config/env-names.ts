/**
 * Names of the environment variables the Lambdas read. Defined once: the constructs that
 * set them and the handlers that read them both import from here.
 */
export const ENV = {
  /** Data-lake bucket name. */
  lakeBucket: 'LAKE_BUCKET',
  /** Comma-separated B3 index codes to scrape, e.g. "IBOV,SMLL". */
  indexCodes: 'INDEX_CODES',
  /** Which B3 source to try first: json (default, falls back to csv) or csv. */
  b3Source: 'B3_SOURCE',
  /** Base URL of B3's index service; overridable so tests can point at a local replay server. */
  b3BaseUrl: 'B3_BASE_URL',
  /** Base URL of B3's COTAHIST downloads (bvmf.bmfbovespa.com.br); overridable like B3_BASE_URL. */
  cotahistBaseUrl: 'B3_COTAHIST_BASE_URL',
  /** Name of the Glue job the trigger starts for raw portfolio objects. */
  glueJobName: 'GLUE_JOB_NAME',
  /** Name of the Glue job the trigger starts for raw quotes objects (b3-quotes-refined). */
  quotesGlueJobName: 'QUOTES_GLUE_JOB_NAME',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];

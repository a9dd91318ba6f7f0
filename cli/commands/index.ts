import type { CommandEntry } from '../command';

/**
 * Every `npm start -- <name>` subcommand, in the order `--help` lists them. Each module is loaded
 * only when its command is chosen: the list and the unknown-command error need none of them. To
 * add one, write `cli/commands/<name>.ts` exporting a `Command` (see cli/command.ts) and add its
 * entry here. The import() with a literal path is what tsx resolves and esbuild can bundle.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'run',
    summary: 'the whole pipeline for one day (default): scrape -> raw -> S3 event -> trigger -> Glue job -> refined + catalog',
    load: async () => (await import('./run')).runCommand,
  },
  {
    name: 'scrape',
    summary: 'fetch the D-1 portfolio of an index from B3 (or a saved body) into the lake as raw Parquet',
    load: async () => (await import('./scrape')).scrapeCommand,
  },
  {
    name: 'backfill',
    summary: "fetch B3's COTAHIST of every session in a date range into raw quotes (resumable, polite)",
    load: async () => (await import('./backfill')).backfillCommand,
  },
  {
    name: 'refine',
    summary: 'run the Glue visual job locally on DuckDB: raw Parquet -> refined Parquet + local catalog',
    load: async () => (await import('./refine')).refineCommand,
  },
  {
    name: 'query',
    summary: 'SQL over the local catalog (b3_portfolio_refined); runs the named Athena queries unchanged',
    load: async () => (await import('./query')).queryCommand,
  },
  {
    name: 'report',
    summary: 'draw the refined portfolio as a self-contained HTML report (top weights, sectors, history)',
    load: async () => (await import('./report')).reportCommand,
  },
  {
    name: 'demo',
    summary: 'offline walkthrough on real captured days: raw -> trigger -> refined -> query -> report',
    load: async () => (await import('./demo')).demoCommand,
  },
];

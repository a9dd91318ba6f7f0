import type { CreateJobRequest } from '@aws-sdk/client-glue';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { randomUUID } from 'node:crypto';
import { mkdir, rmdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isIsoDate, type IsoDate } from '../../lib/calendar/iso-date';
import { PipelineError } from '../../lib/errors';
import { parseS3Uri } from '../../lib/lake/s3-uri';
import type { PurgePartitions } from '../../lib/glue-dag/custom-code';
import { topologicalOrder, type GlueNodes } from '../../lib/glue-dag/nodes';
import { lit, q, translateNode, type NodeStep } from '../../lib/glue-dag/to-sql';
import { SPARK_SESSION_SQL } from '../../lib/glue-dag/spark-sql';
import { assertValidGlueDag } from '../../lib/glue-dag/validate';
import { assertCurrentLakeLayout } from '../storage/lake-layout-check';
import type { FaultPoint } from './lake-commit';
import { commitStaged, removeTree, s3ToLocal } from './lake-fs';
import { registerCatalogTable, type CatalogTable } from './local-catalog';
import { advanceBookmark, dayOf, selectRunInputs } from './run-inputs';
import { wholeDaysSql } from './whole-raw-days';

export { NoRawDataError } from './run-inputs';

export interface LocalRunProgress {
  readonly daysDone: number;
  readonly daysTotal: number;
  readonly batch: readonly IsoDate[];
  readonly rows: number;
}

/**
 * What a run reads, as in Glue: by default the source objects the job bookmark has not seen
 * (Glue's `job-bookmark-enable`); `date` reprocesses one day and leaves the bookmark alone (a
 * paused bookmark); `all` resets the bookmark and reads everything.
 */
export interface LocalRunOptions {
  readonly job: CreateJobRequest;
  /** The folder standing for the job's bucket. */
  readonly lakeDir: string;
  /** Reprocess one day: reads every source object under `dt=<date>/`. */
  readonly date?: IsoDate;
  /** Rebuild every day under the sources and reset the bookmark to all of them. */
  readonly all?: boolean;
  /** Days per batch (each batch one DuckDB pass; the run commits the bookmark once). */
  readonly batchDays?: number;
  /** DuckDB's memory_limit, default 512MB: a rebuild must stay under 1 GiB. */
  readonly memoryLimit?: string;
  readonly threads?: number;
  readonly onProgress?: (p: LocalRunProgress) => void;
  /** Called at each step of a commit: tests stop the run there (see lake-commit.ts). */
  readonly fault?: FaultPoint;
}

/**
 * A batch's COPY keeps one Parquet writer open per (dt, ticker) partition: 30 days (2,700
 * writers) ran out of a 512MB memory_limit, so batches stay small.
 */
const DEFAULT_BATCH_DAYS = 5;

export interface SinkResult {
  readonly nodeId: string;
  /** `s3://bucket/refined/<table>/`. */
  readonly s3Path: string;
  readonly partitionKeys: readonly string[];
  readonly rows: number;
  /** The columns the DAG produced for this sink, with DuckDB types, partition keys included. */
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  readonly catalog: { readonly database: string; readonly table: string } | null;
}

export interface LocalRunResult {
  readonly runId: string;
  readonly mode: 'bookmark' | 'date' | 'all';
  /** Source object keys this run read as new (what the bookmark advances by). */
  readonly newObjects: readonly string[];
  /** Days rebuilt: every day a new object belongs to. Empty when nothing was new. */
  readonly days: readonly IsoDate[];
  /** Rows written to each target (both refined tables get the same rows; the largest if they differ). */
  readonly rows: number;
  readonly sinks: readonly SinkResult[];
  /** Partitions each purge node deleted before its sink wrote. */
  readonly purged: ReadonlyArray<{ readonly nodeId: string; readonly purge: PurgePartitions; readonly values: readonly string[] }>;
  /** Catalog tables registered or refreshed (unchanged ones are not listed). */
  readonly catalogUpdated: readonly string[];
}

/** The bucket the job reads and writes, from its script location (`s3://<bucket>/scripts/…`). */
export function jobBucket(job: CreateJobRequest): string {
  const location = parseS3Uri(job.Command?.ScriptLocation ?? '');
  if (!location) throw new PipelineError(`local-job: cannot tell the job's bucket from Command.ScriptLocation, got ${job.Command?.ScriptLocation}`);
  return location.bucket;
}

async function columnsWithTypes(conn: DuckDBConnection, view: string): Promise<Array<{ name: string; type: string }>> {
  const rows = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${q(view)}`)).getRowObjectsJS();
  return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
}

/**
 * Runs the job's CodeGenConfigurationNodes on DuckDB: each node a SQL step (lib/glue-dag),
 * each sink staged outside the lake then swapped in, so a failed run leaves nothing partial,
 * a rerun replaces the days it writes (the purge node), and the bookmark advances only once
 * every batch has committed, as Glue's `job.commit()` does.
 */
export async function runGlueJobLocally(opts: LocalRunOptions): Promise<LocalRunResult> {
  const nodes: GlueNodes = opts.job.CodeGenConfigurationNodes ?? {};
  assertValidGlueDag(nodes, { mandatoryTransforms: false });
  if (opts.date && opts.all) throw new PipelineError(`local-job: give a date or all, not both, got ${opts.date} and all`);
  if (opts.date && !isIsoDate(opts.date)) throw new PipelineError(`local-job: date must be YYYY-MM-DD, got ${opts.date}`);
  const mode: LocalRunResult['mode'] = opts.all ? 'all' : opts.date ? 'date' : 'bookmark';
  const lakeDir = resolve(opts.lakeDir);
  assertCurrentLakeLayout(lakeDir);
  const jobName = opts.job.Name ?? '';
  const bucket = jobBucket(opts.job);
  const toLocal = (uri: string) => s3ToLocal(lakeDir, bucket, uri).replace(/\/+$/, '');
  const order = topologicalOrder(nodes);
  const sourceIds = order.filter((id) => nodes[id].S3ParquetSource !== undefined);

  // What each source reads in this run.
  const { bookmark, selected, newObjects, days } = await selectRunInputs({ lakeDir, mode, date: opts.date, jobName, nodes, sourceIds, toLocal });

  const runId = `local-${randomUUID()}`;
  const runDir = join(lakeDir, '.staging', runId);
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: opts.memoryLimit ?? '512MB',
    threads: String(opts.threads ?? 2),
    preserve_insertion_order: 'false',
  });
  const conn = await instance.connect();
  const batchDays = Math.max(1, opts.batchDays ?? DEFAULT_BATCH_DAYS);
  // No new object is still a run: the DAG gets an empty batch, as a Glue run whose bookmark finds nothing.
  const batches: IsoDate[][] = [];
  for (let start = 0; start < days.length; start += batchDays) batches.push(days.slice(start, start + batchDays));
  if (batches.length === 0) batches.push([]);

  let rows = 0;
  const sinkResults = new Map<string, SinkResult>();
  const purgedAll = new Map<string, { nodeId: string; purge: PurgePartitions; values: Set<string> }>();
  try {
    // Glue's session (UTC) and the macros translated Spark SQL calls.
    for (const statement of SPARK_SESSION_SQL) await conn.run(statement);
    // Views bind late: after the first batch only the sources and custom nodes are re-made;
    // the rest of the plan is reused while the source schemas stay the same.
    const columns = new Map<string, string[]>();
    const plan = new Map<string, NodeStep>();
    let planSignature = '';
    for (const [i, batch] of batches.entries()) {
      const batchDir = join(runDir, String(i));
      const inBatch = new Set(batch);
      const purged: Array<{ readonly purge: PurgePartitions; readonly values: readonly string[] }> = [];
      let batchRows = 0;
      const staged: Array<{ readonly step: Extract<NodeStep, { kind: 'sink' }>; readonly staging: string }> = [];
      const env = {
        sourceFiles: (id: string) => (selected.get(id) ?? []).filter((o) => inBatch.has(dayOf(o))).map((o) => o.file),
        columnsOf: (id: string) => columns.get(id) ?? [],
      };
      for (const id of sourceIds) {
        if (env.sourceFiles(id).length === 0) {
          // Glue's frame of an empty bookmark batch has no columns at all.
          columns.set(id, []);
          continue;
        }
        const step = translateNode(id, nodes, env);
        if (step.kind === 'view') await conn.run(`CREATE OR REPLACE TEMP VIEW ${q(id)} AS ${step.sql}`);
        columns.set(id, (await columnsWithTypes(conn, id)).map((c) => c.name));
      }
      const signature = JSON.stringify(sourceIds.map((id) => columns.get(id)));
      if (signature !== planSignature) plan.clear();
      planSignature = signature;
      for (const id of order) {
        if (sourceIds.includes(id)) continue;
        const planned = plan.get(id);
        const step = planned ?? translateNode(id, nodes, env);
        plan.set(id, step);
        switch (step.kind) {
          case 'view':
            if (!planned) await conn.run(`CREATE OR REPLACE TEMP VIEW ${q(id)} AS ${step.sql}`);
            break;
          case 'whole-days':
            await conn.run(`CREATE OR REPLACE TEMP TABLE ${q(id)} AS ${await wholeDaysSql(conn, step.input, step.wholeDays, env.columnsOf(step.input), toLocal)}`);
            break;
          case 'purge': {
            // Materialized once: the purge reads its days and the sink writes the same rows.
            await conn.run(`CREATE OR REPLACE TEMP TABLE ${q(id)} AS SELECT * FROM ${q(step.input)}`);
            for (const purge of step.purges) {
              const values = (await conn.runAndReadAll(`SELECT DISTINCT CAST(${q(purge.partitionColumn)} AS VARCHAR) FROM ${q(id)}`)).getRowsJS().map((v) => String(v[0]));
              purged.push({ purge, values });
              const key = `${id} ${purge.s3Prefix}`;
              const all = purgedAll.get(key) ?? { nodeId: id, purge, values: new Set<string>() };
              for (const v of values) all.values.add(v);
              purgedAll.set(key, all);
            }
            break;
          }
          case 'sink': {
            const staging = join(batchDir, id);
            const partition = step.partitionKeys.length ? `, PARTITION_BY (${step.partitionKeys.map(q).join(', ')}), FILENAME_PATTERN 'part-{uuid}'` : '';
            const to = step.partitionKeys.length ? staging : join(staging, `part-${randomUUID()}.parquet`);
            // DuckDB creates the partition folders but not their parents.
            await mkdir(step.partitionKeys.length ? batchDir : staging, { recursive: true });
            // Sorted: Spark's row order in a file is undefined, and without an order DuckDB's threads
            // make one per run; in this one a rerun of a day writes the same bytes.
            const copied = Number((await conn.runAndReadAll(`COPY (SELECT * FROM ${q(step.input)} ORDER BY ALL) TO ${lit(to)} (FORMAT parquet, COMPRESSION ${step.compression}${partition})`)).getRowsJS()[0]?.[0] ?? 0);
            batchRows = Math.max(batchRows, copied);
            const previous = sinkResults.get(id);
            sinkResults.set(id, {
              nodeId: id,
              s3Path: step.s3Path,
              partitionKeys: step.partitionKeys,
              rows: (previous?.rows ?? 0) + copied,
              columns: previous && planned ? previous.columns : await columnsWithTypes(conn, step.input),
              catalog: step.catalog,
            });
            staged.push({ step, staging });
            break;
          }
        }
        if ((!planned || step.kind === 'whole-days') && step.kind !== 'sink') columns.set(id, (await columnsWithTypes(conn, id)).map((c) => c.name));
      }
      for (const { step, staging } of staged) {
        const target = toLocal(step.s3Path);
        // A purge of this sink's folder replaces its `<column>=<value>` partitions of the batch.
        const replace = new Set(
          purged
            .filter(({ purge }) => toLocal(purge.s3Prefix) === target)
            .flatMap(({ purge, values }) => values.map((v) => `${purge.partitionColumn}=${v}`)),
        );
        await commitStaged(staging, target, replace, { lakeDir, fault: opts.fault });
      }
      rows += batchRows;
      await removeTree(batchDir);
      for (const id of order) if (nodes[id].CustomCode) await conn.run(`DROP TABLE IF EXISTS ${q(id)}`);
      opts.onProgress?.({ daysDone: Math.min((i + 1) * batchDays, days.length), daysTotal: days.length, batch, rows });
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
    await removeTree(runDir);
    // Leave no empty .staging behind; when another run is still staging there, it stays.
    await rmdir(join(lakeDir, '.staging')).catch(() => undefined);
  }
  const catalogUpdated: string[] = [];
  for (const sink of sinkResults.values()) {
    // An empty run changes no partition and no table, as a Glue sink writing no row.
    if (!sink.catalog || sink.rows === 0) continue;
    const table: CatalogTable = { table: sink.catalog.table, location: toLocal(sink.s3Path), columns: sink.columns, partitionKeys: sink.partitionKeys };
    if (await registerCatalogTable(lakeDir, table)) catalogUpdated.push(table.table);
  }
  if (mode !== 'date') await advanceBookmark(lakeDir, jobName, mode, sourceIds, bookmark, selected);
  return {
    runId,
    mode,
    newObjects: newObjects.map((o) => o.key),
    days,
    rows,
    sinks: [...sinkResults.values()],
    purged: [...purgedAll.values()].map((p) => ({ nodeId: p.nodeId, purge: p.purge, values: [...p.values].sort() })),
    catalogUpdated,
  };
}

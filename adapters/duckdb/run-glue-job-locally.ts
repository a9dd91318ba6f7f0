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
import { assertValidGlueDag } from '../../lib/glue-dag/validate';
import type { FaultPoint } from './lake-commit';
import { commitStaged, dayPartitions, hasParquet, removeTree, s3ToLocal } from './lake-fs';
import { registerCatalogTable, type CatalogTable } from './local-catalog';

export interface LocalRunProgress {
  readonly daysDone: number;
  readonly daysTotal: number;
  readonly batch: readonly IsoDate[];
  readonly rows: number;
}

export interface LocalRunOptions {
  readonly job: CreateJobRequest;
  /** The folder standing for the job's bucket. */
  readonly lakeDir: string;
  /** One day: reads only `raw/dt=<date>/` (the local counterpart of the job bookmark). */
  readonly date?: IsoDate;
  /** Every day under the sources, in bounded batches of `batchDays`. */
  readonly all?: boolean;
  /** Days per batch with `all` (each batch is one bookmark-sized run); default DEFAULT_BATCH_DAYS. */
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

export interface LocalRunResult {
  readonly runId: string;
  readonly days: readonly IsoDate[];
  /** Rows written by the sinks. */
  readonly rows: number;
  /** Catalog tables registered or refreshed (unchanged ones are not listed). */
  readonly catalogUpdated: readonly string[];
}

/** The bucket the job reads and writes, from its script location (`s3://<bucket>/scripts/…`). */
export function jobBucket(job: CreateJobRequest): string {
  const location = parseS3Uri(job.Command?.ScriptLocation ?? '');
  if (!location) throw new PipelineError(`local-job: cannot tell the job's bucket from Command.ScriptLocation, got ${job.Command?.ScriptLocation}`);
  return location.bucket;
}

interface Sink {
  readonly nodeId: string;
  readonly target: string;
  readonly staging: string;
  readonly catalog: CatalogTable | null;
}

async function columnsWithTypes(conn: DuckDBConnection, view: string): Promise<Array<{ name: string; type: string }>> {
  const rows = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${q(view)}`)).getRowObjectsJS();
  return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
}

/**
 * Runs the job's CodeGenConfigurationNodes on DuckDB: each node a SQL step (lib/glue-dag),
 * each sink staged outside the lake then swapped in, so a failed run leaves nothing partial
 * and a rerun replaces the days it writes (the purge node) instead of duplicating them.
 */
export async function runGlueJobLocally(opts: LocalRunOptions): Promise<LocalRunResult> {
  const nodes: GlueNodes = opts.job.CodeGenConfigurationNodes ?? {};
  assertValidGlueDag(nodes, { mandatoryTransforms: false });
  if (Boolean(opts.date) === Boolean(opts.all)) throw new PipelineError(`local-job: give exactly one of a date or all, got ${opts.date ?? 'no date'} and all=${Boolean(opts.all)}`);
  if (opts.date && !isIsoDate(opts.date)) throw new PipelineError(`local-job: date must be YYYY-MM-DD, got ${opts.date}`);
  const lakeDir = resolve(opts.lakeDir);
  const bucket = jobBucket(opts.job);
  const toLocal = (uri: string) => s3ToLocal(lakeDir, bucket, uri).replace(/\/+$/, '');
  const order = topologicalOrder(nodes);

  const sourceRoots = order.flatMap((id) => (nodes[id].S3ParquetSource?.Paths ?? []).map(toLocal));
  const days = opts.date ? [opts.date] : [...new Set((await Promise.all(sourceRoots.map(dayPartitions))).flat())].sort();
  if (opts.date) {
    const dayDirs = sourceRoots.map((r) => join(r, `dt=${opts.date}`));
    if (!(await Promise.all(dayDirs.map(hasParquet))).some(Boolean)) {
      throw new PipelineError(`local-job: no raw partition for ${opts.date}, got no Parquet under ${dayDirs.join(', ')}`);
    }
  }
  if (days.length === 0) throw new PipelineError(`local-job: nothing to refine, got no dt= partitions under ${sourceRoots.join(', ')}`);

  const runId = `local-${randomUUID()}`;
  const runDir = join(lakeDir, '.staging', runId);
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: opts.memoryLimit ?? '512MB',
    threads: String(opts.threads ?? 2),
    preserve_insertion_order: 'false',
  });
  const conn = await instance.connect();
  const batchDays = opts.all ? Math.max(1, opts.batchDays ?? DEFAULT_BATCH_DAYS) : 1;
  let rows = 0;
  const catalogs = new Map<string, CatalogTable>();
  try {
    // Views bind late: after the first batch only the sources are re-pointed at the batch's
    // files; the rest of the plan is reused while the source schemas stay the same.
    const columns = new Map<string, string[]>();
    const plan = new Map<string, NodeStep>();
    const catalogColumns = new Map<string, Array<{ name: string; type: string }>>();
    let planSignature = '';
    const sourceIds = order.filter((id) => nodes[id].S3ParquetSource !== undefined);
    for (let start = 0; start < days.length; start += batchDays) {
      const batch = days.slice(start, start + batchDays);
      const batchDir = join(runDir, String(start));
      const purged: Array<{ readonly purge: PurgePartitions; readonly values: readonly string[] }> = [];
      const sinks: Sink[] = [];
      const env = {
        sourceFiles: (_id: string, paths: readonly string[]) =>
          paths.flatMap((p) => batch.map((d) => join(toLocal(p), `dt=${d}`, '*.parquet'))),
        columnsOf: (id: string) => columns.get(id) ?? [],
      };
      for (const id of sourceIds) {
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
          case 'purge': {
            // Materialized once: the purge reads its days and the sink writes the same rows.
            await conn.run(`CREATE OR REPLACE TEMP TABLE ${q(id)} AS SELECT * FROM ${q(step.input)}`);
            const values = (await conn.runAndReadAll(`SELECT DISTINCT CAST(${q(step.purge.partitionColumn)} AS VARCHAR) FROM ${q(id)}`)).getRowsJS();
            purged.push({ purge: step.purge, values: values.map((v) => String(v[0])) });
            break;
          }
          case 'sink': {
            const staging = join(batchDir, id);
            const partition = step.partitionKeys.length ? `, PARTITION_BY (${step.partitionKeys.map(q).join(', ')}), FILENAME_PATTERN 'part-{uuid}'` : '';
            const to = step.partitionKeys.length ? staging : join(staging, `part-${randomUUID()}.parquet`);
            // DuckDB creates the partition folders but not their parents.
            await mkdir(step.partitionKeys.length ? batchDir : staging, { recursive: true });
            const copied = await conn.runAndReadAll(`COPY (SELECT * FROM ${q(step.input)}) TO ${lit(to)} (FORMAT parquet, COMPRESSION ${step.compression}${partition})`);
            rows += Number(copied.getRowsJS()[0]?.[0] ?? 0);
            if (!planned) catalogColumns.set(id, await columnsWithTypes(conn, step.input));
            const target = toLocal(step.s3Path);
            const cols = catalogColumns.get(id) ?? [];
            const catalog = step.catalog ? { table: step.catalog.table, location: target, columns: cols, partitionKeys: step.partitionKeys } : null;
            sinks.push({ nodeId: id, target, staging, catalog });
            break;
          }
        }
        if (!planned && step.kind !== 'sink') columns.set(id, (await columnsWithTypes(conn, id)).map((c) => c.name));
      }
      for (const sink of sinks) {
        // A purge of this sink's folder replaces its `<column>=<value>` partitions of the batch.
        const replace = new Set(
          purged
            .filter(({ purge }) => toLocal(purge.s3Prefix) === sink.target)
            .flatMap(({ purge, values }) => values.map((v) => `${purge.partitionColumn}=${v}`)),
        );
        await commitStaged(sink.staging, sink.target, replace, { lakeDir, fault: opts.fault });
        if (sink.catalog) catalogs.set(sink.nodeId, sink.catalog);
      }
      await removeTree(batchDir);
      for (const id of order) if (nodes[id].CustomCode) await conn.run(`DROP TABLE IF EXISTS ${q(id)}`);
      opts.onProgress?.({ daysDone: Math.min(start + batchDays, days.length), daysTotal: days.length, batch, rows });
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
    await removeTree(runDir);
    // Leave no empty .staging behind; when another run is still staging there, it stays.
    await rmdir(join(lakeDir, '.staging')).catch(() => undefined);
  }
  const catalogUpdated: string[] = [];
  for (const table of catalogs.values()) if (await registerCatalogTable(lakeDir, table)) catalogUpdated.push(table.table);
  return { runId, days, rows, catalogUpdated };
}

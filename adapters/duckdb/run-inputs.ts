import { join } from 'node:path';
import type { IsoDate } from '../../lib/calendar/iso-date';
import { PipelineError } from '../../lib/errors';
import type { GlueNodes } from '../../lib/glue-dag/nodes';
import { dayPartitionOf } from '../../lib/lake/layout';
import { listSourceObjects, readBookmark, unseenObjects, writeBookmark, type JobBookmark, type SourceObject } from './job-bookmark';

/** A `date` or `all` run whose sources hold nothing to read: nothing was written. */
export class NoRawDataError extends PipelineError {
  /** The local folders searched. */
  readonly searched: readonly string[];
  constructor(message: string, searched: readonly string[]) {
    super(message);
    this.name = 'NoRawDataError';
    this.searched = searched;
  }
}

/** The day a source object belongs to, from its `dt=` partition. */
export function dayOf(object: SourceObject): IsoDate {
  const day = dayPartitionOf(object.key);
  if (!day) throw new PipelineError(`local-job: a source object outside a dt=YYYY-MM-DD/ partition, got ${object.key}`);
  return day;
}

/** What a run's sources read, and the days those objects belong to. */
export interface RunInputs {
  /** The bookmark the run started from ({} unless it reads by bookmark). */
  readonly bookmark: JobBookmark;
  /** Per source node, the objects it reads in this run. */
  readonly selected: ReadonlyMap<string, readonly SourceObject[]>;
  readonly newObjects: readonly SourceObject[];
  /** The days those objects belong to, sorted. */
  readonly days: readonly IsoDate[];
}

/**
 * Which source objects a run reads, as Glue does: those the bookmark has not seen (`bookmark`),
 * every object of one day (`date`), or everything (`all`). A `date` or `all` run that finds
 * nothing is a NoRawDataError (a bookmark run that finds nothing is an empty run).
 */
export async function selectRunInputs(opts: {
  readonly lakeDir: string;
  readonly mode: 'bookmark' | 'date' | 'all';
  readonly date: IsoDate | undefined;
  readonly jobName: string;
  readonly nodes: GlueNodes;
  readonly sourceIds: readonly string[];
  readonly toLocal: (uri: string) => string;
}): Promise<RunInputs> {
  const { lakeDir, mode, date, jobName, nodes, sourceIds, toLocal } = opts;
  const bookmark: JobBookmark = mode === 'bookmark' ? await readBookmark(lakeDir, jobName) : {};
  const selected = new Map<string, SourceObject[]>();
  for (const id of sourceIds) {
    const spec = nodes[id].S3ParquetSource!;
    const roots = (spec.Paths ?? []).map(toLocal);
    const objects = (await Promise.all(roots.map((r) => listSourceObjects(lakeDir, mode === 'date' ? join(r, `dt=${date}`) : r, mode === 'date' || (spec.Recurse ?? false))))).flat();
    selected.set(id, mode === 'bookmark' ? unseenObjects(objects, bookmark[id]) : objects);
  }
  const newObjects = [...selected.values()].flat();
  if (mode === 'date' && newObjects.length === 0) {
    const dayDirs = sourceIds.flatMap((id) => (nodes[id].S3ParquetSource!.Paths ?? []).map((p) => join(toLocal(p), `dt=${date}`)));
    throw new NoRawDataError(`local-job: no raw partition for ${date}, got no Parquet under ${dayDirs.join(', ')}`, dayDirs);
  }
  const days = [...new Set(newObjects.map(dayOf))].sort();
  if (mode === 'all' && days.length === 0) {
    const roots = sourceIds.flatMap((id) => (nodes[id].S3ParquetSource!.Paths ?? []).map(toLocal));
    throw new NoRawDataError(`local-job: nothing to refine, got no dt= partitions under ${roots.join(', ')}`, roots);
  }
  return { bookmark, selected, newObjects, days };
}

/** The bookmark after a run that committed every batch: what it had, and every object read (an `all` run starts it afresh). */
export async function advanceBookmark(
  lakeDir: string,
  jobName: string,
  mode: 'bookmark' | 'all',
  sourceIds: readonly string[],
  bookmark: JobBookmark,
  selected: ReadonlyMap<string, readonly SourceObject[]>,
): Promise<void> {
  const advanced: Record<string, Record<string, string>> = {};
  for (const id of sourceIds) {
    const seen = mode === 'all' ? {} : { ...(bookmark[id] ?? {}) };
    for (const o of selected.get(id) ?? []) seen[o.key] = o.fingerprint;
    advanced[id] = seen;
  }
  await writeBookmark(lakeDir, jobName, advanced);
}

import type { IsoDate } from '../calendar/iso-date';
import { CotahistBodyReader } from '../cotahist/body';
import type { QuoteRecordSink } from '../cotahist/parser';
import { PipelineError } from '../errors';
import type { ObjectStore } from '../ports/object-store';
import type { QuotesSource } from '../ports/quotes-source';
import { rawQuotesKey } from '../raw/quotes-contract';
import { RawQuotesParquet } from '../raw/quotes-parquet';
import type { QuotesScrapeResult } from './scrape-quotes';

/** One session of a saved file, encoded as its raw quotes object. */
export interface EncodedSession {
  readonly session_date: IsoDate;
  readonly quotes: number;
  readonly bytes: Uint8Array;
}

/** Where an encoder hands a file's progress: its origin once opened, then each session, encoded. */
export interface SessionHandOver {
  reading(origin: string): void;
  /** The next session is not read before this settles. */
  session(session: EncodedSession): Promise<void>;
}

/**
 * Reads one saved COTAHIST whole and hands over each of its sessions, encoded, as soon as the
 * session's last record is read, in the file's order. Rejects when the file is refused (perhaps
 * after handing over sessions, which then must not be published). The in-process encoder below,
 * or one on a worker thread.
 */
export interface SessionEncoder<F extends QuotesSource = QuotesSource> {
  encodeFile(file: F, to: SessionHandOver): Promise<void>;
}

export interface ReplayQuotesDeps<F extends QuotesSource = QuotesSource> {
  /** Saved COTAHIST files, published in this order: daily, or B3's monthly or yearly files. */
  readonly files: readonly F[];
  readonly store: ObjectStore;
  /**
   * Where a file's sessions but the last wait, encoded, until the trailer has confirmed the whole
   * file: a scratch store nobody reads (a folder the lake's recovery sweeps). A daily file never
   * touches it.
   */
  readonly staging: ObjectStore;
  /**
   * Files encode on these at once, each taking the next file when free (default: one in-process
   * encoder). Publishing stays in file order whatever finishes first.
   */
  readonly encoders?: readonly SessionEncoder<F>[];
  readonly progress?: (line: string) => void;
}

const PARQUET = 'application/vnd.apache.parquet';

/**
 * The scrape's path: each checked record's bytes straight into its session's columns, a session
 * after another. A session's writer, once its session is encoded, is reset and serves a later
 * session, so a long replay allocates its column buffers once per encoder.
 */
class SessionSplit implements QuoteRecordSink {
  private sessions: SessionInProgress[] = [];
  private readonly spare: RawQuotesParquet[] = [];

  /** The next file's sessions, in the order its records come: the list this split fills. */
  startFile(): SessionInProgress[] {
    this.sessions = [];
    return this.sessions;
  }

  addRecord(record: Uint8Array, numbers: Float64Array, session_date: IsoDate): void {
    let current = this.sessions[this.sessions.length - 1];
    if (current?.session_date !== session_date) {
      current = { session_date, quotes: 0, parquet: this.spare.pop() ?? new RawQuotesParquet() };
      this.sessions.push(current);
    }
    current.parquet.addRecord(record, numbers);
    current.quotes += 1;
  }

  /** The session, encoded; its writer is free for the next session. */
  encode(s: SessionInProgress): EncodedSession {
    const bytes = s.parquet.encode();
    s.parquet.reset();
    this.spare.push(s.parquet);
    return { session_date: s.session_date, quotes: s.quotes, bytes };
  }
}

/** One session of the file being read: its quotes, as columns, until it is encoded. */
interface SessionInProgress {
  readonly session_date: IsoDate;
  quotes: number;
  readonly parquet: RawQuotesParquet;
}

/** Encodes on the calling thread; what a worker thread runs too. */
export class InProcessSessionEncoder implements SessionEncoder {
  private readonly split = new SessionSplit();

  async encodeFile(file: QuotesSource, to: SessionHandOver): Promise<void> {
    const body = await file.fetchCotahist(null);
    to.reading(body.origin);
    const sessions = this.split.startFile();
    const reader = new CotahistBodyReader({
      accept: body.accept,
      ...(body.fileName === undefined ? {} : { fileName: body.fileName }),
      records: this.split,
    });
    // The parser's push cannot await, so the sessions it closed (all but the one still being read) go between chunks.
    const handOverClosed = async (keep: number) => {
      while (sessions.length > keep) await to.session(this.split.encode(sessions.shift()!));
    };
    for await (const chunk of body.chunks) {
      reader.push(chunk);
      await handOverClosed(1);
    }
    reader.end(); // the whole file is good (a file without quotes was refused here)
    await handOverClosed(0);
  }
}

/** A file's sessions once it has parsed whole: all but the last in staging, the last in memory. */
interface ReadFile {
  readonly staged: readonly { readonly session_date: IsoDate; readonly quotes: number; readonly key: string }[];
  readonly last: EncodedSession;
}

/**
 * Replays saved COTAHIST files into one raw partition per session they hold. Each file streams
 * through the parser; each session, once its last record is read, is encoded, and the one before
 * it set aside in staging, so memory holds a session or two per encoder however long the file.
 * Only when a whole file has parsed (every check, the trailer's count last), and every file before
 * it is published, are its sessions published, one object each: a refused file writes nothing to
 * the lake and leaves existing partitions as they were; the files before it stay published, and
 * those after it, though perhaps already read, are not published either.
 */
export async function replayQuotes<F extends QuotesSource>(deps: ReplayQuotesDeps<F>): Promise<QuotesScrapeResult[]> {
  const encoders: readonly SessionEncoder<F>[] = deps.encoders ?? [new InProcessSessionEncoder()];
  if (encoders.length === 0) throw new PipelineError('replay: at least one session encoder, got none');
  const reads = deps.files.map(() => settled<ReadFile>());
  // Files read ahead of the one publishing are bounded, so finished files do not pile up behind a long one.
  const ahead = 2 * encoders.length;
  let next = 0;
  let published = 0;
  let stopped = false;
  let room = settled<void>();
  const lane = async (encoder: SessionEncoder<F>) => {
    while (!stopped && next < deps.files.length) {
      if (next - published >= ahead) {
        await room.promise;
        continue;
      }
      const n = next++;
      await readFile(deps, encoder, deps.files[n], `file-${n}/`).then(reads[n].resolve, reads[n].reject);
    }
  };
  const lanes = Promise.all(encoders.map(lane));
  const written: QuotesScrapeResult[] = [];
  try {
    for (; published < deps.files.length; published++) {
      written.push(...(await publish(deps, await reads[published].promise)));
      room.resolve();
      room = settled<void>();
    }
  } finally {
    stopped = true; // a refused file: the lanes take no other file, and finish the one they read
    room.resolve();
    await lanes;
  }
  return written;
}

/** A promise and its resolvers; a rejection nobody awaits (a file after a refused one) is not unhandled. */
function settled<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

async function readFile<F extends QuotesSource>(deps: ReplayQuotesDeps<F>, encoder: SessionEncoder<F>, file: F, stagingPrefix: string): Promise<ReadFile> {
  // Several files may hold the same session: each file stages under its own prefix.
  const staged: { session_date: IsoDate; quotes: number; key: string }[] = [];
  let held: EncodedSession | undefined;
  let origin = 'a saved COTAHIST';
  await encoder.encodeFile(file, {
    reading(from) {
      origin = from;
      deps.progress?.(`scrape: reading COTAHIST from ${from}`);
    },
    async session(session) {
      deps.progress?.(`scrape: read ${session.quotes} quotes of ${session.session_date}`);
      if (held !== undefined) {
        const key = `${stagingPrefix}${rawQuotesKey(held.session_date)}`;
        await deps.staging.put(key, held.bytes, PARQUET);
        staged.push({ session_date: held.session_date, quotes: held.quotes, key });
      }
      held = session;
    },
  });
  if (held === undefined) throw new PipelineError(`replay: ${origin} gave no session, got an encoder that handed over none`);
  return { staged, last: held };
}

async function publish<F extends QuotesSource>(deps: ReplayQuotesDeps<F>, read: ReadFile): Promise<QuotesScrapeResult[]> {
  const written: QuotesScrapeResult[] = [];
  const put = async (session_date: IsoDate, quotes: number, bytes: Uint8Array) => {
    const key = rawQuotesKey(session_date);
    await deps.store.put(key, bytes, PARQUET);
    written.push({ session_date, quotes, key, location: deps.store.describe(key) });
  };
  for (const s of read.staged) {
    const bytes = await deps.staging.get(s.key);
    if (bytes === undefined) throw new PipelineError(`replay: the staged session ${s.session_date} is gone, got no ${deps.staging.describe(s.key)}`);
    await put(s.session_date, s.quotes, bytes);
  }
  await put(read.last.session_date, read.last.quotes, read.last.bytes);
  return written;
}

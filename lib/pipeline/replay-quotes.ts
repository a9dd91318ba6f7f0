import type { IsoDate } from '../calendar/iso-date';
import { CotahistBodyReader } from '../cotahist/body';
import type { QuoteRecordSink, QuoteRecords } from '../cotahist/parser';
import { PipelineError } from '../errors';
import type { ObjectStore } from '../ports/object-store';
import type { QuotesSource } from '../ports/quotes-source';
import { rawQuotesKey } from '../raw/quotes-contract';
import { RawQuotesParquet } from '../raw/quotes-parquet';
import type { QuotesScrapeResult } from './scrape-quotes';

export interface ReplayQuotesDeps {
  /** Saved COTAHIST files, replayed in this order: daily, or B3's monthly or yearly files. */
  readonly files: readonly QuotesSource[];
  readonly store: ObjectStore;
  /**
   * Where the sessions read before the last wait, encoded, until the trailer has confirmed the
   * whole file: a scratch store nobody reads (a folder the lake's recovery sweeps). A daily file
   * never touches it.
   */
  readonly staging: ObjectStore;
  readonly progress?: (line: string) => void;
}

const PARQUET = 'application/vnd.apache.parquet';

/**
 * The scrape's path: the checked records' bytes straight into their session's columns, a session
 * after another. A session's writer, once its session is encoded (`encode`), is reset and serves a
 * later session, so a long replay allocates its column buffers once.
 */
class SessionSplit implements QuoteRecordSink {
  private sessions: SessionInProgress[] = [];
  private readonly spare: RawQuotesParquet[] = [];

  /** The next file's sessions, in the order its records come: the list this split fills. */
  startFile(): SessionInProgress[] {
    this.sessions = [];
    return this.sessions;
  }

  addRecords(records: QuoteRecords): void {
    const { session: session_date } = records;
    let current = this.sessions[this.sessions.length - 1];
    if (current?.session_date !== session_date) {
      current = { session_date, quotes: 0, parquet: this.spare.pop() ?? new RawQuotesParquet() };
      this.sessions.push(current);
    }
    current.parquet.addRecords(records);
    current.quotes += records.count;
  }

  /** The session's bytes; its writer is free for the next session. */
  encode(s: SessionInProgress): Uint8Array {
    const bytes = s.parquet.encode();
    s.parquet.reset();
    this.spare.push(s.parquet);
    return bytes;
  }
}

/** One session of the file being read: its quotes, as columns, until it is encoded. */
interface SessionInProgress {
  readonly session_date: IsoDate;
  quotes: number;
  readonly parquet: RawQuotesParquet;
}

/**
 * Replays saved COTAHIST files into one raw partition per session they hold, file after file. Each
 * file streams through the parser; each session, once its last record is read, is encoded and set
 * aside in staging, so memory holds one session at a time however long the file. Only when a whole
 * file has parsed (every check, the trailer's count last) are its sessions published, one object
 * each: a refused file writes nothing to the lake and leaves existing partitions as they were (the
 * files before it stay published).
 */
export async function replayQuotes(deps: ReplayQuotesDeps): Promise<QuotesScrapeResult[]> {
  const written: QuotesScrapeResult[] = [];
  const split = new SessionSplit();
  for (const [n, file] of deps.files.entries()) written.push(...(await replayFile(deps, split, file, `file-${n}/`)));
  return written;
}

async function replayFile(deps: ReplayQuotesDeps, split: SessionSplit, file: QuotesSource, stagingPrefix: string): Promise<QuotesScrapeResult[]> {
  const body = await file.fetchCotahist(null);
  deps.progress?.(`scrape: reading COTAHIST from ${body.origin}`);
  const sessions = split.startFile();
  const reader = new CotahistBodyReader({
    accept: body.accept,
    ...(body.fileName === undefined ? {} : { fileName: body.fileName }),
    records: split,
  });
  // Several files may hold the same session: each file stages under its own prefix.
  const stagingKey = (session_date: IsoDate) => `${stagingPrefix}${rawQuotesKey(session_date)}`;
  // The parser's push cannot await, so the sessions it closed (all but the one still being read) are staged between chunks.
  const staged: { session_date: IsoDate; quotes: number }[] = [];
  const stageClosed = async () => {
    while (sessions.length > 1) {
      const s = sessions.shift()!;
      await deps.staging.put(stagingKey(s.session_date), split.encode(s), PARQUET);
      staged.push({ session_date: s.session_date, quotes: s.quotes });
      deps.progress?.(`scrape: read ${s.quotes} quotes of ${s.session_date}`);
    }
  };
  for await (const chunk of body.chunks) {
    reader.push(chunk);
    await stageClosed();
  }
  reader.end(); // the whole file is good (a file without quotes was refused here): now publish
  await stageClosed();
  const [last] = sessions;
  const lastBody = split.encode(last);

  const written: QuotesScrapeResult[] = [];
  const publish = async (session_date: IsoDate, quotes: number, bytes: Uint8Array) => {
    const key = rawQuotesKey(session_date);
    await deps.store.put(key, bytes, PARQUET);
    written.push({ session_date, quotes, key, location: deps.store.describe(key) });
  };
  for (const s of staged) {
    const key = stagingKey(s.session_date);
    const bytes = await deps.staging.get(key);
    if (bytes === undefined) throw new PipelineError(`replay: the staged session ${s.session_date} is gone, got no ${deps.staging.describe(key)}`);
    await publish(s.session_date, s.quotes, bytes);
  }
  await publish(last.session_date, last.quotes, lastBody);
  return written;
}

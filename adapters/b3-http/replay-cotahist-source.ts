import { closeSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { looksLikeCotahist } from '../../lib/cotahist/body';
import type { IsoDate } from '../../lib/calendar/iso-date';
import { PipelineError } from '../../lib/errors';
import type { CotahistBody, QuotesSource } from '../../lib/ports/quotes-source';

const CHUNK = 1024 * 1024;

/**
 * Reads a saved file's chunks, naming the file when it cannot be read. Each chunk is read
 * synchronously: a saved file is local, and the replay has nothing else to do meanwhile, while a
 * read stream's hop to libuv's threads and back for each megabyte left this thread idle (measured:
 * about 5% of a 20-file replay).
 */
async function* fileChunks(file: string): AsyncIterable<Uint8Array> {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    for (;;) {
      // A new buffer per chunk: the reader may keep a chunk's tail (a line cut in two) past the next read.
      const chunk = Buffer.allocUnsafe(CHUNK);
      const n = readSync(fd, chunk, 0, CHUNK, null);
      if (n === 0) break;
      yield chunk.subarray(0, n);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new PipelineError(`replay: cannot read the saved COTAHIST, got ${code} for ${file}`, { cause: error });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A saved COTAHIST (B3's zip or its text; daily, monthly or yearly) standing in for B3, streamed from disk. */
export class ReplayCotahistSource implements QuotesSource {
  constructor(readonly file: string) {}

  async fetchCotahist(_session: IsoDate | null): Promise<CotahistBody> {
    return { chunks: fileChunks(this.file), accept: ['zip', 'text'], origin: this.file, fileName: basename(this.file) };
  }
}

/**
 * Whether `--replay FILE` is a COTAHIST (zip or text), told from its first bytes as the portfolio's
 * JSON and CSV are. An unreadable file is not one: the portfolio replay then names the error.
 */
export function isSavedCotahist(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = new Uint8Array(16);
    const n = readSync(fd, head, 0, head.length, 0);
    return looksLikeCotahist(head.subarray(0, n));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { looksLikeCotahist } from '../../lib/cotahist/body';
import type { IsoDate } from '../../lib/calendar/iso-date';
import { PipelineError } from '../../lib/errors';
import type { CotahistBody, QuotesSource } from '../../lib/ports/quotes-source';

/** Reads a saved file's chunks, naming the file when it cannot be read. */
async function* fileChunks(file: string): AsyncIterable<Uint8Array> {
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) yield chunk as Buffer;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new PipelineError(`replay: cannot read the saved COTAHIST, got ${code} for ${file}`, { cause: error });
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

import type { CotahistBodyKind } from '../cotahist/body';
import type { IsoDate } from '../calendar/iso-date';

/** A COTAHIST body as it arrives, with the kinds its origin may hold. */
export interface CotahistBody {
  readonly chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  /** B3 serves a zip; a saved file may also be its text. */
  readonly accept: readonly CotahistBodyKind[];
  /** Where it came from, for logs: a URL or a file. */
  readonly origin: string;
  /** A saved file's name: B3's `COTAHIST_M…`/`COTAHIST_A…` names a monthly or yearly file. */
  readonly fileName?: string;
}

/** Where session quotes come from: B3 over HTTP, or a saved file (`--replay`). */
export interface QuotesSource {
  /**
   * The body of one session's COTAHIST. `session` is the session asked for; a saved file may be
   * asked with null, and then holds its own session. Throws when there is no such file.
   */
  fetchCotahist(session: IsoDate | null): Promise<CotahistBody>;
}

import { readFileSync } from 'fs';
import { join } from 'path';
import { unzipSync, zipSync } from 'fflate';
import { CotahistBodyReader, type CotahistBodyKind, type CotahistRead } from '../../../lib/cotahist/body';
import type { CotahistQuote } from '../../../lib/cotahist/quote';

/** The real B3 COTAHIST files in __tests__/fixtures/cotahist (see its README). */
export const COTAHIST_DIR = join(__dirname, '..', '..', 'fixtures', 'cotahist');

export const ZIP_2024_11_08 = 'COTAHIST_D08112024.ZIP';
export const ZIP_2021_06_25 = 'COTAHIST_D25062021.ZIP';
export const TXT_2021_03_25 = 'COTAHIST_D25032021.TXT';
export const TXT_2016_01_04_TRUNCATED = 'COTAHIST_D04012016_truncated.TXT';

export function cotahistBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(COTAHIST_DIR, file)));
}

/** The one text member of a real zip. */
export function memberText(file: string): Uint8Array {
  return Object.values(unzipSync(cotahistBytes(file)))[0];
}

/** The text as lines (without their line ends) and back, for one-change edits of a real file. */
export function lines(bytes: Uint8Array): string[] {
  return Buffer.from(bytes).toString('latin1').split(/\r?\n/).filter((l, i, all) => l !== '' || i < all.length - 1);
}
export function joinLines(ls: readonly string[], eol = '\n'): Uint8Array {
  return new Uint8Array(Buffer.from(ls.join(eol) + eol, 'latin1'));
}

/** Replaces positions start..end (1-based, inclusive, as the layout prints them) of one line. */
export function setPositions(line: string, start: number, end: number, value: string): string {
  if (value.length !== end - start + 1) throw new Error(`test: ${value} does not fit ${start}-${end}`);
  return line.slice(0, start - 1) + value + line.slice(end);
}

/** Parses a whole body in chunks of `chunkSize` bytes, collecting every quote. */
export function readAll(
  bytes: Uint8Array,
  session: string | undefined,
  accept: readonly CotahistBodyKind[] = ['zip', 'text'],
  chunkSize = 64 * 1024,
): { read: CotahistRead; quotes: CotahistQuote[] } {
  const quotes: CotahistQuote[] = [];
  const reader = new CotahistBodyReader({ ...(session === undefined ? {} : { session }), accept, onQuote: (q) => quotes.push(q) });
  for (let i = 0; i < bytes.length; i += chunkSize) reader.push(bytes.subarray(i, i + chunkSize));
  return { read: reader.end(), quotes };
}

/** A small well-formed file cut from a real one: its header, its first `n` records and a trailer counting them. */
export function smallCotahist(n = 300): Uint8Array {
  const all = lines(cotahistBytes(TXT_2021_03_25));
  const trailer = setPositions(all[all.length - 1], 32, 42, String(n + 2).padStart(11, '0'));
  return joinLines([...all.slice(0, n + 1), trailer], '\r\n');
}

/**
 * B3's 2024-11-08 file re-dated to `session` (header, trailer and every DATPRE), zipped as B3
 * serves it: what a live scrape of today's D-1 session gets from a loopback B3.
 */
export function redatedCotahistZip(session: string): Uint8Array {
  const digits = session.replace(/-/g, '');
  const redated = lines(memberText(ZIP_2024_11_08)).map((l) =>
    l.startsWith('01') ? setPositions(l, 3, 10, digits) : setPositions(l, 24, 31, digits),
  );
  return zipSync({ [`COTAHIST_D${digits.slice(6)}${digits.slice(4, 6)}${digits.slice(0, 4)}.TXT`]: joinLines(redated, '\r\n') });
}

export const TXT_2021_03_23 = 'COTAHIST_D23032021.TXT';
export const TXT_2021_03_26 = 'COTAHIST_D26032021.TXT';

/**
 * B3's monthly file (`COTAHIST_M032021`), built: no real monthly file is in the fixtures, so this
 * is the layout B3 gives one — one header, every session's 01 records one session after the
 * other, one trailer counting all — made of the real daily files of the month we have (the 23rd,
 * 25th and 26th of March 2021; the 24th is not among them). 18,369 records.
 */
export function monthlyCotahist(files: readonly string[] = [TXT_2021_03_23, TXT_2021_03_25, TXT_2021_03_26], eol = '\r\n'): Uint8Array {
  const days = files.map((f) => lines(cotahistBytes(f)));
  const quotes = days.flatMap((ls) => ls.slice(1, -1));
  const last = days[days.length - 1];
  const trailer = setPositions(last[last.length - 1], 32, 42, String(quotes.length + 2).padStart(11, '0'));
  return joinLines([days[0][0], ...quotes, trailer], eol);
}

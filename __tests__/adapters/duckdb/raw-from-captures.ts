import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseReplayedBody } from '../../../lib/b3/replay';
import type { IsoDate } from '../../../lib/calendar/iso-date';
import { rawObjectKey } from '../../../lib/raw/raw-key';
import { encodeRawParquet } from '../../../lib/raw/raw-parquet';
import { toRawRecords, type RawRecord } from '../../../lib/raw/raw-contract';
import { CSV_2023_08_21, CSV_2023_12_15, ENUS_JSON, PTBR_JSON, fixtureBytes } from '../../lib/b3/b3-fixtures';

/**
 * The real captures and the B3 session before each portfolio date (checked by hand against
 * B3's calendar: 2025-04-07 is a Monday, 2023-08-21 a Monday).
 */
export const CAPTURES: ReadonlyArray<{ file: string; portfolioDate: IsoDate; sessionDate: IsoDate }> = [
  { file: PTBR_JSON, portfolioDate: '2022-12-08', sessionDate: '2022-12-07' },
  { file: CSV_2023_08_21, portfolioDate: '2023-08-21', sessionDate: '2023-08-18' },
  { file: CSV_2023_12_15, portfolioDate: '2023-12-15', sessionDate: '2023-12-14' },
  { file: ENUS_JSON, portfolioDate: '2025-04-07', sessionDate: '2025-04-04' },
];

/** Writes each capture as raw Parquet with the project's own writer; returns the records. */
export function writeRawCaptures(lakeDir: string): Map<IsoDate, RawRecord[]> {
  const out = new Map<IsoDate, RawRecord[]>();
  for (const c of CAPTURES) {
    const snapshot = parseReplayedBody(fixtureBytes(c.file), 'IBOV');
    if (snapshot.portfolioDate !== c.portfolioDate) throw new Error(`fixture ${c.file} is for ${snapshot.portfolioDate}`);
    const records = toRawRecords(snapshot, c.sessionDate, new Date('2026-01-02T03:04:05Z'));
    const path = join(lakeDir, rawObjectKey('IBOV', c.portfolioDate));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, encodeRawParquet(records));
    out.set(c.portfolioDate, records);
  }
  return out;
}

/** Writes one capture of one index as its raw object (a re-scrape overwrites it); returns the records. */
export function writeRawCapture(lakeDir: string, file: string, indexCode: string, sessionDate: IsoDate, ingestedAt = new Date('2026-07-21T10:00:00Z')): RawRecord[] {
  const snapshot = parseReplayedBody(fixtureBytes(file), indexCode);
  const records = toRawRecords(snapshot, sessionDate, ingestedAt);
  const path = join(lakeDir, rawObjectKey(indexCode, snapshot.portfolioDate));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, encodeRawParquet(records));
  return records;
}

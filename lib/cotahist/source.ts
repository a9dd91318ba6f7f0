import { isIsoDate, type IsoDate } from '../calendar/iso-date';
import { PipelineError } from '../errors';

/** Host of B3's historical-series downloads (COTAHIST). */
export const COTAHIST_BASE_URL = 'https://bvmf.bmfbovespa.com.br';

/** `/InstDados/SerHist/COTAHIST_D{DDMMYYYY}.ZIP`: B3's file of one session. */
export function cotahistDailyPath(session: IsoDate): string {
  if (!isIsoDate(session)) throw new PipelineError(`cotahist: a session is a YYYY-MM-DD day, got ${session}`);
  const [y, m, d] = session.split('-');
  return `/InstDados/SerHist/COTAHIST_D${d}${m}${y}.ZIP`;
}

/**
 * The period B3's file name covers: `COTAHIST_M112024.ZIP` (or its member `.TXT`) → `2024-11`,
 * `COTAHIST_A2024…` → `2024`; a daily file (`COTAHIST_D…`) or any other name → null, one session.
 * Folders in the name are ignored.
 */
export function cotahistPeriodOf(fileName: string): string | null {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const month = /^COTAHIST_M(\d{2})(\d{4})(?:\.|$)/i.exec(base);
  if (month) return `${month[2]}-${month[1]}`;
  const year = /^COTAHIST_A(\d{4})(?:\.|$)/i.exec(base);
  return year ? year[1] : null;
}

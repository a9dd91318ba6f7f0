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

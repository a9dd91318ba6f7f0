import { B3FormatError, describeHtml, excerpt, looksLikeHtml } from './errors';
import { decodeCsvBytes, decodeCsvDownload, parsePortfolioCsv } from './portfolio-csv';
import { parsePortfolioJsonPages } from './portfolio-json';
import type { PortfolioSnapshot } from './portfolio';

/** A saved body's kind, told from its content (never from a file name). */
export type ReplayKind = 'json' | 'csv-text' | 'csv-base64';

const CSV_TITLE = /^[A-Z0-9]{4} - /;
const BASE64_BODY = /^"?[A-Za-z0-9+/\s]+={0,2}"?$/;

/**
 * Which kind of saved body this is: JSON starts with `{`; decoded CSV text starts with its
 * title line (`IBOV - Carteira do Dia …`); the download's raw HTTP body is all base64.
 */
export function detectReplayKind(bytes: Uint8Array): ReplayKind {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096))
    .toString('latin1')
    .replace(/^\u00EF\u00BB\u00BF/, ''); // a UTF-8 BOM read as latin1
  const start = head.trimStart();
  if (start.startsWith('{')) return 'json';
  if (looksLikeHtml(start)) throw new B3FormatError(`b3: expected a saved JSON or CSV body, got ${describeHtml(head)}`);
  if (CSV_TITLE.test(start)) return 'csv-text';
  if (BASE64_BODY.test(start.trimEnd())) return 'csv-base64';
  throw new B3FormatError(`b3: expected a saved JSON portfolio, CSV download or its base64 body, got ${excerpt(head)}`);
}

/** Parses a saved body: JSON as UTF-8, the CSV as ISO-8859-1 (or UTF-8 when re-saved so), a base64 body decoded first. */
export function parseReplayedBody(bytes: Uint8Array, indexCode: string): PortfolioSnapshot {
  switch (detectReplayKind(bytes)) {
    case 'json':
      return parsePortfolioJsonPages([new TextDecoder('utf-8').decode(bytes)], indexCode);
    case 'csv-text':
      return parsePortfolioCsv(decodeCsvBytes(bytes), indexCode);
    case 'csv-base64':
      return parsePortfolioCsv(decodeCsvDownload(bytes), indexCode);
  }
}

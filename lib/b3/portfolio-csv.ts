import { B3FormatError, B3ValidationError, describeHtml, excerpt, looksLikeHtml } from './errors';
import type { PortfolioSnapshot } from './portfolio';
import { assertIndexCode } from './sources';
import { validatePortfolio, type RawPortfolioRow } from './validate';

/**
 * The CSV source (`GetDownloadPortfolioDay`, the site's download button). The HTTP body is one
 * base64 string; decoded, ISO-8859-1 text with CRLF and `;` (see __tests__/fixtures/b3):
 *   IBOV - Carteira do Dia 15/12/23
 *   Código;Ação;Tipo;Qtde. Teórica;Part. (%)
 *   RRRP3;3R PETROLEUM;ON      NM;235.661.666;0,287;
 *   …
 *   Quantidade Teórica Total;;;96.571.029.272;100,000
 *   Redutor;;;17.272.563,70353423
 */

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const EXPECTED_B64 = 'b3: expected a base64 CSV download';
const EXPECTED_CSV = 'b3: expected the CSV download layout';
/** Line 1: `<INDEX> - <title> <date>`; the title is language-dependent, the date is last. */
const TITLE = /^([A-Z0-9]{4}) - .*?(\S+)$/;
const COLUMNS = ['cod', 'asset', 'type', 'theoricalQty', 'part'] as const;

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * CSV bytes to text. B3 sends ISO-8859-1, but a download re-saved by an editor or another
 * client is often UTF-8: bytes that are valid UTF-8 with at least one multi-byte character are
 * read as UTF-8 (ISO-8859-1 accents such as `Teórica` are never valid UTF-8), the rest as
 * ISO-8859-1. A UTF-8 byte-order mark is dropped.
 */
export function decodeCsvBytes(bytes: Uint8Array): string {
  if (bytes.some((b) => b >= 0x80)) {
    try {
      return STRICT_UTF8.decode(bytes).replace(/^\uFEFF/, '');
    } catch {
      // not UTF-8: B3's own ISO-8859-1
    }
  }
  return latin1(bytes);
}

/** Turns the download's HTTP body (a base64 string, maybe JSON-quoted) into the CSV text. */
export function decodeCsvDownload(httpBody: string | Uint8Array): string {
  let text = (typeof httpBody === 'string' ? httpBody : latin1(httpBody)).trim();
  if (looksLikeHtml(text)) throw new B3FormatError(`${EXPECTED_B64}, got ${describeHtml(text)}`);
  if (text.startsWith('"') && text.endsWith('"') && text.length >= 2) text = text.slice(1, -1);
  const compact = text.replace(/\s+/g, '');
  if (compact === '' || compact.length % 4 !== 0 || !BASE64.test(compact)) {
    throw new B3FormatError(`${EXPECTED_B64}, got ${excerpt(text)}`);
  }
  return decodeCsvBytes(Buffer.from(compact, 'base64'));
}

/** `;`-separated fields; data rows end with `;`, so one trailing empty field is dropped. */
function fields(line: string): string[] {
  const parts = line.split(';');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** A totals line: label, two empty cells, the value (`Redutor;;;17.272.563,70353423`). */
function totalsValue(line: string, what: string): string {
  const f = fields(line);
  if (f.length < 4 || f[0].trim() === '' || f[1] !== '' || f[2] !== '') {
    throw new B3FormatError(`${EXPECTED_CSV}, got a ${what} line ${excerpt(line)}`);
  }
  return f[3];
}

/** Parses the decoded CSV text into a validated snapshot (no sectors: the CSV has none). */
export function parsePortfolioCsv(text: string, indexCode: string): PortfolioSnapshot {
  const code = assertIndexCode(indexCode);
  const body = text.replace(/^\uFEFF/, '');
  if (looksLikeHtml(body)) throw new B3FormatError(`${EXPECTED_CSV}, got ${describeHtml(body)}`);
  const lines = body.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const title = TITLE.exec(lines[0]?.trim() ?? '');
  if (!title) throw new B3FormatError(`${EXPECTED_CSV}, got a first line ${excerpt(lines[0] ?? '')}`);
  if (lines.length < 4) {
    throw new B3FormatError(`${EXPECTED_CSV} (title, header, rows, total, reductor), got ${lines.length} lines`);
  }
  if (fields(lines[1]).length !== COLUMNS.length) {
    throw new B3FormatError(`${EXPECTED_CSV} with ${COLUMNS.length} columns, got header ${excerpt(lines[1])}`);
  }
  if (title[1] !== code) throw new B3ValidationError('index', null, `asked for ${code}, got a ${title[1]} portfolio`);

  const rows: RawPortfolioRow[] = lines.slice(2, -2).map((line, i) => {
    const f = fields(line);
    if (f.length > COLUMNS.length) {
      throw new B3FormatError(`${EXPECTED_CSV} with ${COLUMNS.length} columns, got row #${i} ${excerpt(line)}`);
    }
    // A short row leaves trailing columns undefined: validation names the missing field.
    return Object.fromEntries(COLUMNS.map((c, k) => [c, f[k] === '' ? undefined : f[k]]));
  });
  return validatePortfolio({
    indexCode: code,
    source: 'csv-download',
    date: title[2],
    theoricalQty: totalsValue(lines[lines.length - 2], 'total'),
    reductor: totalsValue(lines[lines.length - 1], 'reductor'),
    hasSectors: false,
    rows,
  });
}

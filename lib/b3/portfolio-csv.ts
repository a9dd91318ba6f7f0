import { B3FormatError, B3ValidationError, describeHtml, excerpt, looksLikeHtml } from './errors';
import type { PortfolioSnapshot } from './portfolio';
import { assertIndexCode } from './sources';
import { validatePortfolio, type RawPortfolioRow } from './validate';

/**
 * The CSV source (`GetDownloadPortfolioDay`, the site's download button). The HTTP body is one
 * base64 string; decoded, ISO-8859-1 text with `;` (see __tests__/fixtures/b3 and
 * docs/data-contracts.md), in one of two layouts told apart by the column header:
 *   IBOV - Carteira do Dia 15/12/23
 *   Código;Ação;Tipo;Qtde. Teórica;Part. (%)
 *   RRRP3;3R PETROLEUM;ON      NM;235.661.666;0,287;
 *   …
 *   Quantidade Teórica Total;;;96.571.029.272;100,000
 *   Redutor;;;17.272.563,70353423
 * and the sector view, `Setor;Código;Ação;Tipo;Qtde. Teórica;Part. (%);Part. (%)Acum.`, whose
 * totals lines carry one more empty cell (`Redutor;;;;16.469.267,52299839`).
 */

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const EXPECTED_B64 = 'b3: expected a base64 CSV download';
const EXPECTED_CSV = 'b3: expected the CSV download layout';
/** Line 1: `<INDEX> - <title> <date>`; the title is language-dependent, the date is last. */
const TITLE = /^([A-Z0-9]{4}) - .*?(\S+)$/;

/** Every column name B3 has written, and the raw field it fills. */
const COLUMN_FIELDS: Readonly<Record<string, keyof RawPortfolioRow>> = {
  Setor: 'segment',
  Código: 'cod',
  Ação: 'asset',
  Tipo: 'type',
  'Qtde. Teórica': 'theoricalQty',
  'Part. (%)': 'part',
  'Part. (%)Acum.': 'partAcum',
};

/**
 * The layouts B3 has served, declared as data, fewest columns first: a header is read as the
 * first layout that holds all its names, and must then be exactly that layout, in order.
 */
const CSV_LAYOUTS: readonly (readonly string[])[] = [
  ['Código', 'Ação', 'Tipo', 'Qtde. Teórica', 'Part. (%)'],
  ['Setor', 'Código', 'Ação', 'Tipo', 'Qtde. Teórica', 'Part. (%)', 'Part. (%)Acum.'],
];

/** The column holding the totals lines' value (`Quantidade Teórica Total`, `Redutor`). */
const TOTALS_COLUMN = 'Qtde. Teórica';

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

/**
 * The column header, checked name by name: an unknown name, a missing or repeated column, or a
 * known column out of place is refused, naming the column. Returns the layout's column names.
 */
function readHeader(line: string): readonly string[] {
  const names = fields(line).map((n) => n.trim());
  names.forEach((name, i) => {
    if (!Object.hasOwn(COLUMN_FIELDS, name)) {
      throw new B3FormatError(`${EXPECTED_CSV}, got an unknown column ${JSON.stringify(name)} (column ${i + 1} of header ${excerpt(line)})`);
    }
    if (names.indexOf(name) !== i) throw new B3FormatError(`${EXPECTED_CSV}, got column ${JSON.stringify(name)} twice in header ${excerpt(line)}`);
  });
  // Every known name is in the last layout, so one always holds them all.
  const layout = CSV_LAYOUTS.find((l) => names.every((n) => l.includes(n)))!;
  const missing = layout.find((c) => !names.includes(c));
  if (missing !== undefined) throw new B3FormatError(`${EXPECTED_CSV}, got no column ${JSON.stringify(missing)} in header ${excerpt(line)}`);
  const moved = layout.findIndex((c, i) => names[i] !== c);
  if (moved >= 0) {
    throw new B3FormatError(`${EXPECTED_CSV} with ${JSON.stringify(layout[moved])} as column ${moved + 1}, got ${JSON.stringify(names[moved])} there`);
  }
  return layout;
}

/**
 * A totals line: a label, empty cells, the value under `Qtde. Teórica`
 * (`Redutor;;;17.272.563,70353423`, `Redutor;;;;16.469.267,52299839` in the sector view).
 */
function totalsValue(line: string, what: string, columns: readonly string[]): string {
  const f = fields(line);
  const at = columns.indexOf(TOTALS_COLUMN);
  if (f.length <= at || f.length > columns.length || f[0].trim() === '' || f.slice(1, at).some((c) => c !== '')) {
    throw new B3FormatError(`${EXPECTED_CSV}, got a ${what} line ${excerpt(line)}`);
  }
  return f[at];
}

/** Parses the decoded CSV text into a validated snapshot; only the sector view has sectors. */
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
  const columns = readHeader(lines[1]);
  if (title[1] !== code) throw new B3ValidationError('index', null, `asked for ${code}, got a ${title[1]} portfolio`);

  const rows: RawPortfolioRow[] = lines.slice(2, -2).map((line, i) => {
    const f = fields(line);
    if (f.length > columns.length) {
      throw new B3FormatError(`${EXPECTED_CSV} with ${columns.length} columns, got row #${i} ${excerpt(line)}`);
    }
    // A short row leaves trailing columns undefined: validation names the missing field.
    return Object.fromEntries(columns.map((c, k) => [COLUMN_FIELDS[c], f[k] === '' ? undefined : f[k]]));
  });
  return validatePortfolio({
    indexCode: code,
    source: 'csv-download',
    date: title[2],
    theoricalQty: totalsValue(lines[lines.length - 2], 'total', columns),
    reductor: totalsValue(lines[lines.length - 1], 'reductor', columns),
    hasSectors: columns.includes('Setor'),
    rows,
  });
}

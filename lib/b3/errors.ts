import { PipelineError } from '../errors';

/**
 * The body is not the shape a B3 source answers with: an HTML page (Cloudflare challenge),
 * text that is not JSON, a CSV that is not the download layout. Nothing was parsed from it.
 */
export class B3FormatError extends PipelineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'B3FormatError';
  }
}

/**
 * The body has the expected shape but a value is wrong: missing, unparsable, impossible,
 * or the portfolio does not add up. `row` is the row's ticker when known, else its index
 * (0-based, in answer order), or null for a header-level problem; then `field` is qualified
 * (`header.date`, `page.totalRecords`, `results.part` for the weights' sum).
 */
export class B3ValidationError extends PipelineError {
  readonly field: string;
  readonly row: string | number | null;

  constructor(field: string, row: string | number | null, problem: string, options?: { cause?: unknown }) {
    const where = row === null ? field : `row ${typeof row === 'number' ? `#${row}` : row} field ${field}`;
    super(`b3: ${where}: ${problem}`, options);
    this.name = 'B3ValidationError';
    this.field = field;
    this.row = row;
  }
}

/** A short, printable excerpt of a body for error messages. */
export function excerpt(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}…` : flat);
}

/**
 * Names an HTML body for an error message: B3 sits behind Cloudflare, whose challenge page
 * ("Just a moment...") is the usual non-JSON answer.
 */
export function describeHtml(text: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
  const named = title ? ` titled ${JSON.stringify(title)}` : '';
  return `an HTML page${named} (Cloudflare challenge?)`;
}

/** True when the text, past leading whitespace, starts like an HTML or XML document. */
export function looksLikeHtml(text: string): boolean {
  return /^\s*</.test(text);
}

import { PipelineError } from '../errors';

/**
 * A COTAHIST file that breaks B3's layout: `line` is the 1-based line of the text (null for the
 * file as a whole, e.g. a missing trailer), `field` B3's name of the field (TIPREG, PREABE, …).
 * Nothing parsed from such a file is written.
 */
export class CotahistFormatError extends PipelineError {
  readonly line: number | null;
  readonly field: string;

  constructor(line: number | null, field: string, problem: string, options?: { cause?: unknown }) {
    super(`cotahist: ${line === null ? '' : `line ${line} `}field ${field}: ${problem}`, options);
    this.name = 'CotahistFormatError';
    this.line = line;
    this.field = field;
  }
}

/** The body is not a COTAHIST file at all: not a zip, an HTML page, a zip with no member or several. */
export class CotahistArchiveError extends PipelineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CotahistArchiveError';
  }
}

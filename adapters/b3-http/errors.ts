import { PipelineError } from '../../lib/errors';

/** B3 did not answer usably over HTTP: a network error, a timeout, or a status other than 200. */
export class B3HttpError extends PipelineError {
  constructor(
    message: string,
    readonly url: string,
    readonly status: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'B3HttpError';
  }
}

/** Both of B3's routes failed for one index: the JSON API (after retries) and then the CSV download. */
export class B3SourceError extends PipelineError {
  constructor(
    message: string,
    readonly failures: readonly { readonly source: string; readonly error: unknown }[],
  ) {
    super(message, { cause: failures[failures.length - 1]?.error });
    this.name = 'B3SourceError';
  }
}

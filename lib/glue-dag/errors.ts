import { PipelineError } from '../errors';

/** A Glue DAG that is malformed, or that the local executor cannot run faithfully. */
export class GlueDagError extends PipelineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GlueDagError';
  }
}

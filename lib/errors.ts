/**
 * Every error the pipeline raises on purpose extends PipelineError, so the CLI and the
 * Lambda edges can tell a known refusal (one clear line) from a bug (a stack trace).
 * Messages read `<subsystem>: <problem>, got <value>`.
 */
export class PipelineError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PipelineError';
  }
}

/** Configuration missing or malformed; lists every missing variable at once. */
export class ConfigError extends PipelineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** A command-line usage mistake: the CLI prints it with the help and exits 2. */
export class UsageError extends PipelineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

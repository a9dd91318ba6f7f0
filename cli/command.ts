import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../lib/errors';

/** What a command may touch besides its arguments; tests and main() supply it. */
export interface CommandContext {
  /** Results, for people and pipes: the command's one-line summary goes here. */
  readonly stdout: (text: string) => void;
  /** Progress lines (stderr), shown when stderr is a terminal or with --verbose. */
  readonly progress: (line: string) => void;
  /** Lines a user must see even in a pipe (stderr): waiting for another writer, a recovery. */
  readonly notice: (line: string) => void;
  /**
   * Only when stderr is a terminal: rewrites the current stderr line in place (a progress bar),
   * no newline. Absent in a pipe or a log, where a bar would be noise.
   */
  readonly redraw?: (text: string) => void;
  readonly verbose: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/**
 * One `npm start -- <name>` subcommand, as its module exports it. runCli strips `--verbose` and
 * answers `--help`/`-h` with `help` before `run` sees the arguments. `run` throws to fail: a
 * UsageError exits 2 with the help, any other error prints `error: <message>` and exits 1.
 */
export interface Command {
  /** The full help text, starting with a `Usage:` line. */
  readonly help: string;
  run(argv: readonly string[], ctx: CommandContext): Promise<void>;
}

/**
 * A command as the registry lists it: what the top-level help shows, and how to load its module.
 * Only the chosen command is loaded, so `--help` or `scrape` never pays for DuckDB, vega or the
 * AWS SDK that other commands import.
 */
export interface CommandEntry {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** util.parseArgs with strict checking, its mistakes turned into UsageErrors naming the command. */
export function parseOptions<O extends Options>(command: string, argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message}`, { cause: error });
  }
}

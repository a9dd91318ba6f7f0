import { PipelineError, UsageError } from '../lib/errors';
import type { Command, CommandContext, CommandEntry } from './command';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal: progress lines are shown there, kept out of pipes and logs. */
  readonly stderrIsTty: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

function topHelp(commands: readonly CommandEntry[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: npm start -- <command> [options] [--verbose]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `npm start -- <command> --help` for its options. --verbose shows progress and stack traces.',
    '',
  ].join('\n');
}

/** The error, its causes and (verbose) their stacks, for a human reading stderr. */
function describeFailure(error: unknown, verbose: boolean): string {
  const message = error instanceof Error ? error.message : String(error);
  // A PipelineError is a known refusal; anything else is a bug, so say where its stack is.
  const hint = error instanceof PipelineError || verbose ? '' : ` (unexpected ${error instanceof Error ? error.name : typeof error}; --verbose shows the stack)`;
  const line = `error: ${message.split('\n')[0]}${hint}`;
  if (!verbose) return `${line}\n`;
  const parts = [line];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    parts.push(e instanceof Error && e.stack ? e.stack : String(e));
  }
  return `${parts.join('\n')}\n`;
}

const withNewline = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);

/**
 * Dispatches `argv` (without node and the script) to a registered command, loading only that
 * command's module, and returns the exit code: 0 done, 1 failed (one `error: …` line), 2 usage
 * mistake (the line plus the help).
 */
export async function runCli(argv: readonly string[], commands: readonly CommandEntry[], io: CliIo): Promise<number> {
  const verbose = argv.includes('--verbose');
  const args = argv.filter((a) => a !== '--verbose');
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(topHelp(commands));
    return name === undefined ? 2 : 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`error: unknown command ${JSON.stringify(name)}, expected one of ${commands.map((c) => c.name).join(', ')}\n\n${topHelp(commands)}`);
    return 2;
  }
  let command: Command;
  try {
    command = await entry.load();
  } catch (error) {
    // A module that cannot load (a native addon missing, say) fails its own command only.
    io.stderr(describeFailure(error, verbose));
    return 1;
  }
  // Everything after a bare `--` belongs to the command, so only look for help before it.
  const own = rest.indexOf('--') === -1 ? rest : rest.slice(0, rest.indexOf('--'));
  if (own.includes('--help') || own.includes('-h')) {
    io.stdout(withNewline(command.help));
    return 0;
  }
  const ctx: CommandContext = {
    stdout: (text) => io.stdout(withNewline(text)),
    progress: verbose || io.stderrIsTty ? (line) => io.stderr(withNewline(line)) : () => {},
    notice: (line) => io.stderr(withNewline(line)),
    // \r back to the line's start, the text, then erase what a longer previous text left.
    ...(io.stderrIsTty ? { redraw: (text: string) => io.stderr(`\r${text}\x1b[K`) } : {}),
    verbose,
    env: io.env,
    cwd: io.cwd,
  };
  try {
    await command.run(rest, ctx);
    return 0;
  } catch (error) {
    io.stderr(describeFailure(error, verbose));
    if (error instanceof UsageError) {
      io.stderr(`\n${withNewline(command.help)}`);
      return 2;
    }
    return 1;
  }
}

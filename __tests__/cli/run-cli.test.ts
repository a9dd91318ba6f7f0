import type { Command, CommandEntry } from '../../cli/command';
import { COMMANDS } from '../../cli/commands';
import { runCli, type CliIo } from '../../cli/run-cli';
import { UsageError } from '../../lib/errors';

/** Two commands whose loaders count their calls: the registry's promise is to load only the chosen one. */
function registry() {
  const loaded: string[] = [];
  const entry = (name: string, command: Command): CommandEntry => ({
    name,
    summary: `the ${name} command`,
    load: async () => {
      loaded.push(name);
      return command;
    },
  });
  const commands = [
    entry('greet', { help: 'Usage: greet [--loud]', run: async (argv, ctx) => ctx.stdout(argv.includes('--loud') ? 'HELLO' : 'hello') }),
    entry('fail', {
      help: 'Usage: fail',
      run: async (argv) => {
        throw argv.length ? new UsageError(`fail: takes no arguments, got ${argv.join(' ')}`) : new Error('fail: as asked');
      },
    }),
  ];
  return { commands, loaded };
}

function io() {
  const out = { stdout: '', stderr: '' };
  const cliIo: CliIo = { stdout: (t) => (out.stdout += t), stderr: (t) => (out.stderr += t), stderrIsTty: false, env: {}, cwd: '/' };
  return { cliIo, out };
}

describe('runCli', () => {
  it('lists the commands from the registry without loading any', async () => {
    const { commands, loaded } = registry();
    const { cliIo, out } = io();
    expect(await runCli(['--help'], commands, cliIo)).toBe(0);
    expect(out.stdout).toContain('\n  greet  the greet command\n  fail   the fail command\n');
    expect(await runCli(['grete'], commands, cliIo)).toBe(2);
    expect(out.stderr.split('\n')[0]).toBe('error: unknown command "grete", expected one of greet, fail');
    expect(loaded).toEqual([]);
  });

  it('loads only the chosen command, for its help and for its run', async () => {
    const { commands, loaded } = registry();
    const { cliIo, out } = io();
    expect(await runCli(['greet', '--help'], commands, cliIo)).toBe(0);
    expect(await runCli(['greet', '--loud'], commands, cliIo)).toBe(0);
    expect(out).toEqual({ stdout: 'Usage: greet [--loud]\nHELLO\n', stderr: '' });
    expect(loaded).toEqual(['greet', 'greet']);
  });

  it('maps a thrown error to exit 1 and a UsageError to exit 2 with the help', async () => {
    const { commands } = registry();
    const failed = io();
    expect(await runCli(['fail'], commands, failed.cliIo)).toBe(1);
    expect(failed.out.stderr).toBe('error: fail: as asked (unexpected Error; --verbose shows the stack)\n');
    const misused = io();
    expect(await runCli(['fail', 'x'], commands, misused.cliIo)).toBe(2);
    expect(misused.out.stderr).toBe('error: fail: takes no arguments, got x\n\nUsage: fail\n');
  });

  it('fails a command whose module cannot load with one error line, exit 1', async () => {
    const broken: CommandEntry = {
      name: 'broken',
      summary: 'a module that throws at load',
      load: async () => {
        throw new Error("Cannot find module '@duckdb/node-bindings-linux-x64'");
      },
    };
    const { cliIo, out } = io();
    expect(await runCli(['broken'], [broken], cliIo)).toBe(1);
    expect(out).toEqual({ stdout: '', stderr: "error: Cannot find module '@duckdb/node-bindings-linux-x64' (unexpected Error; --verbose shows the stack)\n" });
  });
});

describe('COMMANDS', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s loads the module whose help is for that command', async (name, entry) => {
    const command = await entry.load();
    // `demo` is also its own npm script; the others are `npm start -- <name>`.
    expect(command.help).toMatch(new RegExp(`^Usage: npm (start -- ${name}|run ${name}) `));
  });
});

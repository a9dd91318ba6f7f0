import { COMMANDS } from './commands';
import { runCli } from './run-cli';

/** `npm start -- <command> …`: the only place that touches process globals. */
const argv = process.argv.slice(2);
// `npm start` alone (or with only --verbose) runs the pipeline for today: the `run` command.
runCli(argv.every((a) => a === '--verbose') ? ['run', ...argv] : argv, COMMANDS, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTty: process.stderr.isTTY === true,
  env: process.env,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // runCli catches everything a command throws; reaching here is a bug in the CLI itself.
    process.stderr.write(`error: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);

import { COMMANDS } from './commands';
import { runCli } from './run-cli';

/** `npm start -- <command> …`: the only place that touches process globals. */
runCli(process.argv.slice(2), COMMANDS, {
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

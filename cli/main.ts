import { COMMANDS } from './commands';
import { runCli } from './run-cli';

/** `npm start -- <command> …`: the only place that touches process globals. */
const argv = process.argv.slice(2);
// The AWS SDK prints a 9-line notice about a future Node 22 requirement whenever a client is
// made (run --target aws); it is not about the run, so it shows only with --verbose.
if (!argv.includes('--verbose')) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
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

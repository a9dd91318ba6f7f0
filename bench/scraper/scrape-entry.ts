import { scrapeCommand } from '../../cli/commands/scrape';
import { runCli } from '../../cli/run-cli';

/**
 * The CLI's scrape path alone (same runCli, same command object), for bundling into one plain
 * node script: what a deployed CLI would run, without tsx compiling TypeScript at start-up
 * and without other commands' heavier imports.
 */
runCli(process.argv.slice(2), [scrapeCommand], {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTty: process.stderr.isTTY === true,
  env: process.env,
  cwd: process.cwd(),
}).then((code) => {
  process.exitCode = code;
});

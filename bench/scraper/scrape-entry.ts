import type { CommandEntry } from '../../cli/command';
import { runCli } from '../../cli/run-cli';

/**
 * The CLI's scrape path alone (same runCli, same command module, loaded the way the registry
 * loads it), for bundling into one plain node script: what a deployed CLI would run, without tsx
 * compiling TypeScript at start-up and without other commands' heavier imports. Not COMMANDS
 * itself: esbuild follows every entry's import(), and DuckDB's native addon cannot be bundled.
 */
const scrape: CommandEntry = {
  name: 'scrape',
  summary: 'fetch the D-1 portfolio of an index into the lake as raw Parquet (this bundle holds scrape alone)',
  load: async () => (await import('../../cli/commands/scrape')).scrapeCommand,
};

runCli(process.argv.slice(2), [scrape], {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTty: process.stderr.isTTY === true,
  env: process.env,
  cwd: process.cwd(),
}).then((code) => {
  process.exitCode = code;
});

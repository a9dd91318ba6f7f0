import type { Command } from '../command';
import { demoCommand } from './demo';
import { queryCommand } from './query';
import { refineCommand } from './refine';
import { reportCommand } from './report';
import { runCommand } from './run';
import { scrapeCommand } from './scrape';

/**
 * Every `npm start -- <name>` subcommand, in the order `--help` lists them. To add one, write
 * `cli/commands/<name>.ts` exporting a `Command` (see cli/command.ts) and add it here.
 */
export const COMMANDS: readonly Command[] = [runCommand, scrapeCommand, refineCommand, queryCommand, reportCommand, demoCommand];

import * as path from 'node:path';
import { B3HttpSource, parseSourceChoice } from '../adapters/b3-http/b3-http-source';
import { CotahistHttpSource } from '../adapters/b3-http/cotahist-http-source';
import { ReplayFileSource } from '../adapters/b3-http/replay-file-source';
import { parseIndexCodes } from '../lib/b3/sources';
import { ENV } from '../lib/config/env-names';
import { UsageError } from '../lib/errors';
import type { B3Source } from '../lib/ports/b3-source';
import type { CommandContext } from './command';

/** The options `scrape` and `run` share for which indexes to fetch and from where. */
export const B3_SOURCE_OPTIONS = {
  index: { type: 'string', multiple: true },
  replay: { type: 'string' },
  source: { type: 'string' },
  'base-url': { type: 'string' },
} as const;

export interface B3SourceValues {
  readonly index?: string[];
  readonly replay?: string;
  readonly source?: string;
  readonly 'base-url'?: string;
}

/** `--index`, repeatable or comma-separated (default IBOV), checked and without repeats. */
export function parseIndexes(command: string, values: B3SourceValues): string[] {
  try {
    return parseIndexCodes(values.index ?? ['IBOV']);
  } catch (error) {
    throw new UsageError(`${command}: --index ${(error as Error).message}`);
  }
}

/** A saved body with --replay, else B3 over HTTP (--source, --base-url or $B3_BASE_URL). */
export function b3SourceFromOptions(command: string, values: B3SourceValues, indexes: readonly string[], ctx: CommandContext): B3Source {
  if (values.replay !== undefined) {
    if (values.source !== undefined || values['base-url'] !== undefined) {
      throw new UsageError(`${command}: --replay reads a saved body, so --source and --base-url do not apply, got both`);
    }
    if (indexes.length !== 1) throw new UsageError(`${command}: --replay holds one index's answer, got --index ${indexes.join(',')}`);
    return new ReplayFileSource(path.resolve(ctx.cwd, values.replay));
  }
  let choice;
  try {
    choice = parseSourceChoice(values.source ?? 'json');
  } catch (error) {
    throw new UsageError(`${command}: --source must be json or csv, got ${JSON.stringify(values.source)}`, { cause: error });
  }
  return new B3HttpSource({ baseUrl: values['base-url'] ?? (ctx.env[ENV.b3BaseUrl]?.trim() || undefined), source: choice, log: ctx.progress });
}

/** B3's COTAHIST over HTTP for `scrape`, `run` and `backfill`: `--quotes-base-url`, else the environment's, else B3's site. */
export function liveQuotesSource(values: { readonly 'quotes-base-url'?: string }, ctx: CommandContext, log: (line: string) => void = ctx.progress): CotahistHttpSource {
  return new CotahistHttpSource({ baseUrl: values['quotes-base-url'] ?? (ctx.env[ENV.cotahistBaseUrl]?.trim() || undefined), log });
}

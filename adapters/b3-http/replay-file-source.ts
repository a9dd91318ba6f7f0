import { readFile } from 'node:fs/promises';
import type { PortfolioSnapshot } from '../../lib/b3/portfolio';
import { parseReplayedBody } from '../../lib/b3/replay';
import { assertIndexCode } from '../../lib/b3/sources';
import { PipelineError } from '../../lib/errors';
import type { B3Source } from '../../lib/ports/b3-source';

/** A saved B3 answer (JSON body, CSV download, decoded or base64) standing in for the service. */
export class ReplayFileSource implements B3Source {
  readonly live = false;
  constructor(readonly file: string) {}

  async fetchPortfolio(indexCode: string): Promise<PortfolioSnapshot> {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(this.file));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new PipelineError(`replay: cannot read the saved body, got ${code} for ${this.file}`, { cause: error });
    }
    return parseReplayedBody(bytes, assertIndexCode(indexCode));
  }
}

import { ReplayFileSource } from '../../../adapters/b3-http/replay-file-source';
import type { PortfolioSnapshot } from '../../../lib/b3/portfolio';
import type { B3Source } from '../../../lib/ports/b3-source';

/** Routes each index to its own saved body, as B3 answers each index separately. */
export class PerIndexSource implements B3Source {
  readonly live = false;
  constructor(private readonly files: Record<string, string>) {}
  fetchPortfolio(indexCode: string): Promise<PortfolioSnapshot> {
    return new ReplayFileSource(this.files[indexCode]).fetchPortfolio(indexCode);
  }
}

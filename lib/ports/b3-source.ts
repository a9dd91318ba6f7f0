import type { PortfolioSnapshot } from '../b3/portfolio';

/** Where portfolio answers come from: B3 over HTTP in production, a saved body when replaying. */
export interface B3Source {
  /**
   * True when answers are B3's current portfolio (HTTP): the scrape then refuses one not dated a
   * session near today. False for a saved body (`--replay`), which may be any past day.
   */
  readonly live: boolean;
  /** The whole, validated portfolio of one index; throws (never returns partial data) when refused. */
  fetchPortfolio(indexCode: string): Promise<PortfolioSnapshot>;
}

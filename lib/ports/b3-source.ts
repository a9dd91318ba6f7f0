import type { PortfolioSnapshot } from '../b3/portfolio';

/** Where portfolio answers come from: B3 over HTTP in production, a saved body when replaying. */
export interface B3Source {
  /** The whole, validated portfolio of one index; throws (never returns partial data) when refused. */
  fetchPortfolio(indexCode: string): Promise<PortfolioSnapshot>;
}

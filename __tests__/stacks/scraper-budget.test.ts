import { rmSync } from 'node:fs';
import { DEFAULT_RETRY_POLICY } from '../../adapters/b3-http/http-get';
import { assertValidConfig } from '../../stacks/config';
import { ENV } from '../../lib/config/env-names';
import { resourcesOf, synthStack, testConfig } from './support';

/**
 * The relation, read from the synthesized Terraform: the scraper's timeout covers every
 * configured index failing on both routes (JSON API, then CSV), and then the COTAHIST of each
 * index's D-1 session (as many distinct sessions as indexes at worst), each URL retried to the
 * end of its policy. Written out here rather than imported, so the stack cannot drift with it.
 */
function worstCaseSeconds(indexCount: number): number {
  const p = DEFAULT_RETRY_POLICY;
  const perUrl = p.attempts * p.timeoutMs + (p.attempts - 1) * Math.max(p.maxDelayMs, p.maxRetryAfterMs);
  const portfolioUrls = indexCount * 2;
  const cotahistUrls = indexCount;
  return ((portfolioUrls + cotahistUrls) * perUrl) / 1000;
}

describe('scraper Lambda timeout', () => {
  it.each([[['IBOV']], [['IBOV', 'SMLL', 'IBXX']]])('covers the retry budget of %j fetched one after the other', (indexCodes) => {
    const { tfJson, outDir } = synthStack(testConfig({ indexCodes }));
    try {
      const [scraper] = resourcesOf(tfJson, 'aws_lambda_function').filter((f) => f.function_name === 'b3t-test-scraper');
      const env = (scraper.environment as { variables: Record<string, string> }).variables;
      const configured = env[ENV.indexCodes].split(',');
      expect(configured).toEqual(indexCodes);
      const timeout = scraper.timeout as number;
      expect(timeout).toBeGreaterThanOrEqual(worstCaseSeconds(configured.length));
      expect(timeout).toBeLessThanOrEqual(900);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  it('refuses a config whose indexes no Lambda timeout can cover, in one line', () => {
    // 6 indexes: 6 x (2 portfolio routes + 1 COTAHIST) x 50 s per URL + 20 s margin.
    const indexCodes = ['IBOV', 'SMLL', 'IBXX', 'IBRA', 'IDIV', 'IFNC'];
    expect(() => assertValidConfig(testConfig({ indexCodes }))).toThrow(
      "stack config (test): indexCodes need a scraper timeout of 920 s, over Lambda's 900 s, got 6 indexes",
    );
    expect(() => assertValidConfig(testConfig({ indexCodes: indexCodes.slice(0, 5) }))).not.toThrow();
  });
});

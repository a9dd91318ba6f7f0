import { backoffMs, DEFAULT_RETRY_POLICY, parseRetryAfter } from '../../../adapters/b3-http/http-get';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-04-07T12:00:00Z');
  it('reads delta-seconds', () => expect(parseRetryAfter('12', now)).toBe(12_000));
  it('reads an HTTP date relative to now', () => expect(parseRetryAfter('Mon, 07 Apr 2025 12:00:30 GMT', now)).toBe(30_000));
  it('treats a date in the past as no wait', () => expect(parseRetryAfter('Mon, 07 Apr 2025 11:00:00 GMT', now)).toBe(0));
  it('ignores an absent or garbled header', () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-3', now)).toBeNull();
  });
});

describe('backoffMs', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 5000 };
  it('doubles per retry between half and all of the ceiling', () => {
    expect([0, 1, 2].map((r) => backoffMs(r, policy, () => 0))).toEqual([500, 1000, 2000]);
    expect([0, 1, 2].map((r) => backoffMs(r, policy, () => 1))).toEqual([1000, 2000, 4000]);
  });
  it('never exceeds maxDelayMs', () => expect(backoffMs(10, policy, () => 1)).toBe(5000));
});

describe('DEFAULT_RETRY_POLICY', () => {
  it('lets JSON then CSV both fail within 100 s per index (the stack sizes the scraper timeout from it)', () => {
    const p = DEFAULT_RETRY_POLICY;
    let worstRoute = p.attempts * p.timeoutMs;
    for (let retry = 0; retry < p.attempts - 1; retry++) {
      worstRoute += Math.max(backoffMs(retry, p, () => 1), p.maxRetryAfterMs);
    }
    expect(2 * worstRoute).toBe(100_000);
  });
});

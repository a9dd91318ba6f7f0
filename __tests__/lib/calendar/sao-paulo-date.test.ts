import { saoPauloDate } from '../../../lib/calendar/sao-paulo-date';

describe('saoPauloDate', () => {
  it.each([
    ['2025-04-07T02:59:59Z', '2025-04-06'], // 23:59:59 the evening before in São Paulo (UTC−3)
    ['2025-04-07T03:00:00Z', '2025-04-07'],
    ['2025-12-31T23:30:00Z', '2025-12-31'], // already 2026 in UTC
    ['2026-01-01T03:00:00Z', '2026-01-01'],
    // Before 2019 Brazil had daylight saving (UTC−2 in the summer): 2018-12-01 02:30Z was 00:30 there.
    ['2018-12-01T02:30:00Z', '2018-12-01'],
    ['2018-07-01T02:30:00Z', '2018-06-30'],
  ])('%s is %s in São Paulo', (instant, day) => {
    expect(saoPauloDate(new Date(instant))).toBe(day);
  });
});

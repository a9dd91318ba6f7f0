import { addDays, fromEpochDays, isIsoDate, toEpochDays } from '../../../lib/calendar/iso-date';

describe('iso-date', () => {
  it('accepts real days and refuses impossible ones', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2023-13-01')).toBe(false);
    expect(isIsoDate('23-01-01')).toBe(false);
  });
  it('converts to and from Parquet epoch days', () => {
    expect(toEpochDays('1970-01-02')).toBe(1);
    expect(fromEpochDays(toEpochDays('2025-07-14'))).toBe('2025-07-14');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });
});

import { easterSunday } from '../../../lib/calendar/easter';

describe('easterSunday', () => {
  it.each([
    [2008, '2008-03-23'],
    [2019, '2019-04-21'],
    [2022, '2022-04-17'],
    [2023, '2023-04-09'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2038, '2038-04-25'],
  ])('%i → %s', (year, day) => {
    expect(easterSunday(year)).toBe(day);
  });

  it('refuses a year that is not Gregorian', () => {
    expect(() => easterSunday(1500)).toThrow('calendar: Easter needs a Gregorian year, got 1500');
  });
});

import { detectLanguage, parseB3Date, parseB3Decimal, parseB3Integer, parseB3Reductor } from '../../../lib/b3/numbers';

describe('B3 numbers', () => {
  it('parses pt-br and en-us whole numbers', () => {
    expect(parseB3Integer('1.481.593.024', 'pt-br')).toBe(1481593024);
    expect(parseB3Integer('1,243,177,587', 'en-us')).toBe(1243177587);
    expect(parseB3Integer('101.053.551.382', 'pt-br')).toBe(101053551382);
    expect(parseB3Integer('999', 'en-us')).toBe(999);
  });

  it.each([
    ['1,243,177,587', 'pt-br'],
    ['1.481.593.024', 'en-us'],
    ['1481593024', 'pt-br'],
    ['1.48.593', 'pt-br'],
    ['2,728', 'pt-br'],
    ['-1.000', 'pt-br'],
    ['', 'en-us'],
    ['12.345.678.901.234.567', 'pt-br'],
  ] as const)('refuses %j as a %s whole number', (text, language) => {
    expect(parseB3Integer(text, language)).toBeUndefined();
  });

  it('parses pt-br and en-us decimals', () => {
    expect(parseB3Decimal('2,728', 'pt-br')).toBe(2.728);
    expect(parseB3Decimal('2.663', 'en-us')).toBe(2.663);
    expect(parseB3Decimal('18.553.794,87445950', 'pt-br')).toBe(18553794.8744595);
    expect(parseB3Decimal('16,036,751.16744128', 'en-us')).toBe(16036751.16744128);
    expect(parseB3Decimal('100,000', 'pt-br')).toBe(100);
  });

  it.each([
    ['16,036,751.16744128', 'pt-br'],
    ['2,72a', 'pt-br'],
    ['2,', 'pt-br'],
    [',5', 'pt-br'],
    ['1.2.3', 'en-us'],
  ] as const)('refuses %j as a %s decimal', (text, language) => {
    expect(parseB3Decimal(text, language)).toBeUndefined();
  });

  it('reads DD/MM/YY in pt-br and MM/DD/YY in en-us', () => {
    expect(parseB3Date('08/12/22', 'pt-br')).toBe('2022-12-08');
    expect(parseB3Date('04/07/25', 'en-us')).toBe('2025-04-07');
    expect(parseB3Date('04/07/25', 'pt-br')).toBe('2025-07-04');
    expect(parseB3Date('15/12/2023', 'pt-br')).toBe('2023-12-15');
  });

  it.each([
    ['31/02/23', 'pt-br'],
    ['15/12/23', 'en-us'],
    ['29/02/23', 'pt-br'],
    ['2023-12-15', 'pt-br'],
    ['1/2/23', 'pt-br'],
  ] as const)('refuses the date %j in %s', (text, language) => {
    expect(parseB3Date(text, language)).toBeUndefined();
  });

  it('accepts a leap day', () => {
    expect(parseB3Date('29/02/24', 'pt-br')).toBe('2024-02-29');
  });

  describe('language detection, from the whole body', () => {
    it('tells pt-br from repeated dots and a decimal comma last', () => {
      expect(detectLanguage({ integers: ['1.481.593.024'], decimals: ['2,728'] })).toBe('pt-br');
      expect(detectLanguage({ integers: [], decimals: ['18.553.794,87445950'] })).toBe('pt-br');
    });

    it('tells en-us from repeated commas and a decimal point last', () => {
      expect(detectLanguage({ integers: ['1,243,177,587'], decimals: ['2.663'] })).toBe('en-us');
      expect(detectLanguage({ integers: [], decimals: ['16,036,751.16744128'] })).toBe('en-us');
    });

    it('reads a single separator in an integer field as thousands', () => {
      expect(detectLanguage({ integers: ['734,631'], decimals: [] })).toBe('en-us');
      expect(detectLanguage({ integers: ['734.631'], decimals: [] })).toBe('pt-br');
    });

    it('does not decide from ambiguous weights alone', () => {
      // "2,728" is pt-br 2.728 or en-us 2728; "100.000" is en-us 100 or pt-br 100000.
      expect(detectLanguage({ integers: ['999'], decimals: ['2,728', '100.000'] })).toBeUndefined();
    });

    it('follows the majority, so a stray value is refused by its own parse', () => {
      expect(detectLanguage({ integers: ['1.481.593.024', '1,243,177,587'], decimals: ['18.553.794,87'] })).toBe('pt-br');
    });

    it('gives no answer on a tie', () => {
      expect(detectLanguage({ integers: ['1.481.593.024', '1,243,177,587'], decimals: [] })).toBeUndefined();
    });
  });
});

describe('parseB3Reductor', () => {
  it('reads a B3 decimal as parseB3Decimal does', () => {
    expect(parseB3Reductor('17.272.563,70353423', 'pt-br')).toBe(17_272_563.70353423);
    expect(parseB3Reductor('16,036,751.16744128', 'en-us')).toBe(16_036_751.16744128);
  });

  it('reads a reductor whose decimal separator was dropped: the last group runs on by the 8 decimals', () => {
    expect(parseB3Reductor('18.296.80337677573', 'pt-br')).toBe(18_296_803.37677573);
    expect(parseB3Reductor('18,296,80337677573', 'en-us')).toBe(18_296_803.37677573);
    expect(parseB3Reductor('1.80337677573', 'pt-br')).toBe(1_803.37677573);
  });

  it.each([
    ['18.296.80337677573', 'en-us'],
    ['18,296,80337677573', 'pt-br'],
    ['1829680337677573', 'pt-br'],
    ['18.296.8033767757', 'pt-br'],
    ['18.296.803376775730', 'pt-br'],
    ['18.29.680337677573', 'pt-br'],
    ['18.296.80337677573,5', 'pt-br'],
  ] as const)('refuses %j as a %s reductor', (text, language) => {
    expect(parseB3Reductor(text, language)).toBeUndefined();
  });
});

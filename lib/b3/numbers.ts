import { isIsoDate, type IsoDate } from '../calendar/iso-date';
import type { B3Language } from './portfolio';

/**
 * B3 formats every number and date by the requested language, and the answer does not say
 * which it used, so the parsers detect it from the body (see `detectLanguage`).
 *   pt-br: 1.481.593.024   2,728   18.553.794,87445950   DD/MM/YY
 *   en-us: 1,243,177,587   2.663   16,036,751.16744128   MM/DD/YY
 */

interface Separators {
  readonly thousands: string;
  readonly decimal: string;
}

const SEPARATORS: Record<B3Language, Separators> = {
  'pt-br': { thousands: '.', decimal: ',' },
  'en-us': { thousands: ',', decimal: '.' },
};

const LANGUAGE_OF_DECIMAL: Record<string, B3Language> = { ',': 'pt-br', '.': 'en-us' };
const LANGUAGE_OF_THOUSANDS: Record<string, B3Language> = { '.': 'pt-br', ',': 'en-us' };

function pattern(language: B3Language, withDecimals: boolean): RegExp {
  const { thousands, decimal } = SEPARATORS[language];
  const t = `\\${thousands}`;
  const d = `\\${decimal}`;
  // Grouping is mandatory: B3 always groups thousands, so "1234" is not one of its numbers.
  return new RegExp(`^\\d{1,3}(?:${t}\\d{3})*${withDecimals ? `(?:${d}\\d+)?` : ''}$`);
}

const INTEGER: Record<B3Language, RegExp> = {
  'pt-br': pattern('pt-br', false),
  'en-us': pattern('en-us', false),
};
const DECIMAL: Record<B3Language, RegExp> = {
  'pt-br': pattern('pt-br', true),
  'en-us': pattern('en-us', true),
};

/** A whole number such as a theoretical quantity, or undefined when it is not one. */
export function parseB3Integer(text: string, language: B3Language): number | undefined {
  if (!INTEGER[language].test(text)) return undefined;
  const value = Number(text.split(SEPARATORS[language].thousands).join(''));
  return Number.isSafeInteger(value) ? value : undefined;
}

/** A decimal such as a weight or the reductor, or undefined when it is not one. */
export function parseB3Decimal(text: string, language: B3Language): number | undefined {
  if (!DECIMAL[language].test(text)) return undefined;
  const { thousands, decimal } = SEPARATORS[language];
  const value = Number(text.split(thousands).join('').replace(decimal, '.'));
  return Number.isFinite(value) ? value : undefined;
}

/** B3 prints every reductor with 8 decimals (every capture: `17.272.563,70353423`, `18.553.794,87445950`). */
const REDUCTOR_DECIMALS = 8;

function droppedSeparatorPattern(language: B3Language): RegExp {
  const t = `\\${SEPARATORS[language].thousands}`;
  return new RegExp(`^(\\d{1,3}(?:${t}\\d{3})*${t}\\d{3})(\\d{${REDUCTOR_DECIMALS}})$`);
}

const DROPPED_SEPARATOR: Record<B3Language, RegExp> = {
  'pt-br': droppedSeparatorPattern('pt-br'),
  'en-us': droppedSeparatorPattern('en-us'),
};

/**
 * The index's reductor: a B3 decimal, or one whose decimal separator B3 dropped. The 2021-03-26
 * download prints `18.296.80337677573`: grouped thousands whose last group runs on past three
 * digits by exactly the reductor's 8 decimals. The only reading that keeps the grouping valid
 * puts the separator after that group's third digit (18,296,803.37677573), and it is the one the
 * index level confirms (Σ qty × D-1 close ÷ reductor = 113,765 points; see __tests__/fixtures/b3).
 * Anything else that is not a B3 decimal (a run-on of other length, a misplaced group) is refused.
 */
export function parseB3Reductor(text: string, language: B3Language): number | undefined {
  const plain = parseB3Decimal(text, language);
  if (plain !== undefined) return plain;
  const m = DROPPED_SEPARATOR[language].exec(text);
  if (!m) return undefined;
  const value = Number(`${m[1].split(SEPARATORS[language].thousands).join('')}.${m[2]}`);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * A B3 date, DD/MM/YY in pt-br and MM/DD/YY in en-us (two-digit years are 20YY), or
 * undefined when it does not parse or is impossible (31/02/23).
 */
export function parseB3Date(text: string, language: B3Language): IsoDate | undefined {
  const m = /^(\d{2})\/(\d{2})\/(\d{2}|\d{4})$/.exec(text);
  if (!m) return undefined;
  const [first, second, year] = [m[1], m[2], m[3].length === 2 ? `20${m[3]}` : m[3]];
  const [day, month] = language === 'pt-br' ? [first, second] : [second, first];
  const iso = `${year}-${month}-${day}`;
  return isIsoDate(iso) ? iso : undefined;
}

/** Numbers of one body, by the kind of field they come from. */
export interface NumberSamples {
  /** Fields that are whole numbers by contract (theoretical quantities). */
  readonly integers: readonly string[];
  /** Fields that may carry decimals (weights, reductor). */
  readonly decimals: readonly string[];
}

/**
 * Which language a body's numbers are written in, decided from the whole body, never from one
 * value ("2.663" alone is ambiguous: en-us 2.663 or pt-br 2663). Evidence, from unambiguous
 * values only:
 *  - a separator that appears twice in one value is the thousands separator (1.481.593.024);
 *  - a value with both separators has its decimal separator last (18.553.794,87445950);
 *  - any separator inside an integer field is a thousands separator (734,631,801).
 * The language with most unambiguous values wins, so one stray value in the other format is then
 * refused by its own parse, naming its row. Returns undefined when there is no evidence or a tie.
 */
export function detectLanguage(samples: NumberSamples): B3Language | undefined {
  const count: Record<B3Language, number> = { 'pt-br': 0, 'en-us': 0 };
  const add = (language: B3Language): void => void count[language]++;
  const vote = (text: string, integerField: boolean): void => {
    const dots = text.split('.').length - 1;
    const commas = text.split(',').length - 1;
    if (dots > 0 && commas > 0) {
      add(LANGUAGE_OF_DECIMAL[text.lastIndexOf('.') > text.lastIndexOf(',') ? '.' : ',']);
    } else if (dots > 1 || commas > 1 || (integerField && dots + commas > 0)) {
      add(LANGUAGE_OF_THOUSANDS[dots > 0 ? '.' : ',']);
    }
  };
  for (const text of samples.integers) vote(text, true);
  for (const text of samples.decimals) vote(text, false);
  if (count['pt-br'] === count['en-us']) return undefined;
  return count['pt-br'] > count['en-us'] ? 'pt-br' : 'en-us';
}

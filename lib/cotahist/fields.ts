import type { LayoutField } from './layout';

/**
 * Reading one field of a COTAHIST record straight from its bytes (positions from the layout), with
 * no substring made on the way: the parser and the raw quotes writer both read fields through these.
 */

const ZERO = 48;
const NINE = 57;
const BLANK = 32;

/** True when every byte of the field is a digit 0–9. */
export function isDigits(b: Uint8Array, field: LayoutField): boolean {
  for (let i = field.start - 1; i < field.end; i++) {
    const c = b[i];
    if (c < ZERO || c > NINE) return false;
  }
  return true;
}

/**
 * The field's digits as a number, for a field already known to be digits. Exact while the value is
 * a safe integer (every field of up to 15 digits); past 2^53 (QUATOT, VOLTOT have 18) it is not
 * safe and the caller takes the exact value from {@link fieldBigInt}. The running value only grows,
 * so a true value past 2^53 never rounds down to a safe one.
 */
export function fieldNumber(b: Uint8Array, field: LayoutField): number {
  const end = field.end;
  let i = field.start - 1;
  // B3 pads every number with zeros to its width (a price is 13 digits): skipping them is cheaper.
  while (i < end && b[i] === ZERO) i++;
  let n = 0;
  for (; i < end; i++) n = n * 10 + (b[i] - ZERO);
  return n;
}

/**
 * The value of a field already checked to be digits, in the record at `at` of `view`, read four
 * digits to a word (SWAR: two multiply-and-mask steps make a little-endian word of four digits its
 * number). Exact as {@link fieldNumber} is: a true value past 2^53 never reads as a safe one.
 */
export function digitsValue(view: DataView, at: number, field: LayoutField): number {
  return digitsBetween(view, at + field.start - 1, at + field.end - 1);
}

/** {@link digitsValue} of bytes [first, last] of `view`: what a loop over many records calls, the field's offsets taken out of it. */
export function digitsBetween(view: DataView, first: number, last: number): number {
  let i = first;
  let n = 0;
  for (; i + 3 <= last; i += 4) {
    const d = view.getUint32(i, true) - 0x30303030; // the four digits, the first in the low byte
    const pairs = (d * 10 + (d >>> 8)) & 0x00ff00ff;
    n = n * 10000 + ((pairs * 100 + (pairs >>> 16)) & 0xffff);
  }
  for (; i <= last; i++) n = n * 10 + (view.getUint8(i) - ZERO);
  return n;
}

/** The field's digits as an exact bigint, whatever their count. */
export function fieldBigInt(b: Uint8Array, field: LayoutField): bigint {
  const n = fieldNumber(b, field);
  return Number.isSafeInteger(n) ? BigInt(n) : BigInt(fieldLatin1(b, field, false));
}

/** One past the field's last non-blank byte (0-based, in `b`, the record at `at`): text fields drop trailing blanks. */
export function trimmedEnd(b: Uint8Array, field: LayoutField, at = 0): number {
  let end = at + field.end;
  while (end >= at + field.start && b[end - 1] === BLANK) end--;
  return end;
}

/** The field's characters (latin-1, B3's encoding: a byte is its code point), trailing blanks dropped unless asked to keep them. */
export function fieldLatin1(b: Uint8Array, field: LayoutField, trim = true): string {
  const end = trim ? trimmedEnd(b, field) : field.end;
  // One string from the byte range, not one per character.
  return String.fromCharCode.apply(null, b.subarray(field.start - 1, end) as unknown as number[]);
}

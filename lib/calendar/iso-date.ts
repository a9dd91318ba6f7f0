/** A calendar day as `YYYY-MM-DD`; the pipeline's dates carry no time zone. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `value` is a real calendar day written as YYYY-MM-DD (rejects 2023-02-30). */
export function isIsoDate(value: string): value is IsoDate {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Days since 1970-01-01 (Parquet's DATE representation). */
export function toEpochDays(day: IsoDate): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
}

export function fromEpochDays(days: number): IsoDate {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

export function addDays(day: IsoDate, n: number): IsoDate {
  return fromEpochDays(toEpochDays(day) + n);
}

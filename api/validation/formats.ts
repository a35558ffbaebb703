// The date and date-time formats the API accepts: RFC 3339 values that JavaScript and PostgreSQL
// can both hold. Years 0001..9999 after conversion to UTC (PostgreSQL has no year 0 and JS Dates
// beyond 9999 do not round-trip as RFC 3339); seconds 00..59: a leap second (23:59:60) is refused
// with a clear message rather than silently moved.
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

// (Date.UTC maps years 0..99 to 1900..1999, so the bounds are parsed.)
const MIN_MS = Date.parse('0001-01-01T00:00:00Z');
const MAX_MS = Date.parse('9999-12-31T23:59:59.999Z');

function validCalendarDate(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(2000, m, 0)).getUTCDate(); // month length in a leap year
  if (d > days) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return !(m === 2 && d === 29 && !leap);
}

export function isStorableDate(value: string): boolean {
  const m = DATE.exec(value);
  return Boolean(m) && validCalendarDate(Number(m![1]), Number(m![2]), Number(m![3]));
}

export function isStorableDateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (!m) return false;
  const [hh, mm, ss] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (!validCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])) || hh > 23 || mm > 59 || ss > 59) return false;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false;
  const ms = Date.parse(value);
  // Date.parse accepts year 0000 (and offsets that cross a year boundary): the UTC instant decides.
  return Number.isFinite(ms) && ms >= MIN_MS && ms <= MAX_MS;
}

/** What a 422 says about a value these formats refuse. */
export const FORMAT_PROBLEMS: Record<string, string> = {
  date: 'must be a calendar date YYYY-MM-DD with a year from 0001 to 9999',
  'date-time': 'must be an RFC 3339 date-time (seconds 00..59, no leap second) between 0001-01-01 and 9999-12-31 in UTC',
};

export const STORABLE_FORMATS = {
  date: { type: 'string' as const, validate: isStorableDate },
  'date-time': { type: 'string' as const, validate: isStorableDateTime },
};


/**
 * The longest cookie value this module will look at. An RFC 3339 §5.6 date-time with nanoseconds and an offset is
 * 35 characters; anything much longer is not ours, and is rejected before any pattern runs on it. A cookie may
 * be 4096 bytes or more (RFC 6265 §6.1), so a cap of our own keeps the work per request small.
 */
export const MAX_VISIT_TIME_LENGTH = 64;

/** Why a cookie value is not a visit time. */
export type VisitTimeProblem =
  /** No cookie at all (`undefined` or `null`). */
  | "missing"
  /** The cookie is there but empty, as some clients leave a deleted cookie. */
  | "empty"
  /** cookie-parser's `req.signedCookies` gives `false` for a cookie whose signature does not match. */
  | "bad-signature"
  /** Not a string: for example the object cookie-parser makes from a `j:{…}` JSON cookie. */
  | "not-a-string"
  /** Longer than {@link MAX_VISIT_TIME_LENGTH}. */
  | "too-long"
  /** Not an RFC 3339 §5.6 `date-time` of the form `YYYY-MM-DDTHH:mm:ss(.sss)Z` or with a `±HH:mm` offset. */
  | "malformed"
  /**
   * The right form, but no such moment (RFC 3339 §5.7): February 30th, hour 24, second 60, offset +24:00; or a
   * moment that falls outside the years 0000–9999 once its offset is applied (RFC 3339 §5.6 `date-fullyear`).
   */
  | "impossible-date";

export type VisitTimeResult =
  | { readonly ok: true; readonly date: Date; readonly iso: string }
  | { readonly ok: false; readonly problem: VisitTimeProblem };

/**
 * The value to store in the visit cookie: the moment as an RFC 3339 §5.6 `date-time`, always UTC
 * (`2026-11-25T17:41:44.000Z`), which {@link parseVisitTime} reads back to the same millisecond.
 *
 * Its characters (digits, `-`, `:`, `.`, `T`, `Z`) are all allowed in a cookie value (RFC 6265 §4.1.1
 * `cookie-octet`), although Express still percent-encodes the colons.
 *
 * @throws {RangeError} when `date` is an invalid Date, or lies outside the years 0000–9999 that RFC 3339 §5.6
 * `date-fullyear` (four digits) can write: storing "Invalid Date" or `+275760-…` would be a bug, not a value.
 */
export function formatVisitTime(date: Date): string {
  const iso = date.toISOString();
  if (!isFourDigitYear(date)) throw new RangeError(`formatVisitTime: ${iso} is outside the years 0000-9999`);
  return iso;
}

function isFourDigitYear(date: Date): boolean {
  const year = date.getUTCFullYear();
  return year >= 0 && year <= 9999;
}

// RFC 3339 §5.6 `date-time`. Its note allows a lower-case `t` and `z`, and its ABNF only counts digits (the ranges
// are comments there, and rules in §5.7); we accept only the upper case that toISOString writes, and check the
// ranges after the match. There is no
// `u` flag, so `\d` is ASCII only, and `$` (no `m` flag) matches only at the very end, not before a newline.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * Reads a visit time back from a cookie value, strictly. It never throws: every bad input gives `ok: false` and the
 * reason, so a page can show "No visit recorded yet" instead of "Invalid Date" or a 500.
 *
 * A cookie is user input (RFC 6265 §8.6, "Weak Integrity"): anyone can send any value. `Date.parse` is not a
 * validator: beyond the ECMAScript date-time string format it accepts whatever the engine likes (ECMA-262
 * §21.4.3.2), which includes dates without a zone, HTTP dates (RFC 9110 §5.6.7), `1/2/2024`, and some strings that carry markup.
 * It also rolls February 30th over into March. This parser accepts only RFC 3339 §5.6 date-times with an upper-case
 * `T` and `Z`, and checks the ranges of RFC 3339 §5.7 itself (month lengths, leap years per Appendix C).
 *
 * @param value what `req.cookies[name]` (or `req.signedCookies[name]`) holds: any type.
 */
export function parseVisitTime(value: unknown): VisitTimeResult {
  if (value === undefined || value === null) return fail("missing");
  if (value === false) return fail("bad-signature");
  if (typeof value !== "string") return fail("not-a-string");
  if (value === "") return fail("empty");
  if (value.length > MAX_VISIT_TIME_LENGTH) return fail("too-long");

  const match = DATE_TIME.exec(value);
  if (!match) return fail("malformed");
  const [, year, month, day, hour, minute, second, fraction = "", sign, offsetHours, offsetMinutes] = match;

  const fields = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
  };
  const offsetSign = sign === "-" ? -1 : 1;
  const offset = { hours: Number(offsetHours ?? 0), minutes: Number(offsetMinutes ?? 0) };
  // RFC 3339 §5.6: `time-numoffset` is `time-hour ":" time-minute`, so at most 23:59.
  if (!isPossibleMoment(fields) || offset.hours > 23 || offset.minutes > 59) return fail("impossible-date");

  // Date.UTC maps years 0–99 to 1900–1999, so set the full year separately.
  const date = new Date(0);
  date.setUTCFullYear(fields.year, fields.month - 1, fields.day);
  date.setUTCHours(fields.hour, fields.minute, fields.second, Number(fraction.padEnd(3, "0").slice(0, 3)));
  // §5.6 `time-numoffset`: local time = UTC + offset, so UTC = local time - offset.
  date.setTime(date.getTime() - offsetSign * (offset.hours * 60 + offset.minutes) * 60_000);
  // "0000-01-01T00:00:00+01:00" is a moment in year -1, which formatVisitTime could never have written.
  if (!isFourDigitYear(date)) return fail("impossible-date");
  return { ok: true, date, iso: date.toISOString() };
}

function fail(problem: VisitTimeProblem): VisitTimeResult {
  return { ok: false, problem };
}

interface DateTimeFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

// RFC 3339 §5.7 "Restrictions": day by month and leap year, hour 00-23, minute 00-59, second 00-59.
function isPossibleMoment({ year, month, day, hour, minute, second }: DateTimeFields): boolean {
  // Leap seconds (:60) are allowed by RFC 3339 §5.7 but never written by toISOString, and Date cannot hold them.
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59
  );
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// RFC 3339 Appendix C: divisible by 4, except centuries, except every fourth century (2000 is leap, 1900 is not).
function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

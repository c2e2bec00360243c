/**
 * Reads an Expires attribute value as Chromium does (`cookie_util::ParseCookieExpirationTime` in
 * net/cookies/cookie_util.cc), or returns undefined when Chromium ignores the attribute. Never `Date.parse`:
 * "1970-01-01" or "yesterday" would be dates to it, and a browser keeps the cookie.
 *
 * This is RFC 6265 §5.1.1's cookie-date algorithm as Chromium implements it: the same delimiters, and a time, a
 * day of the month, a month and a year must all be found, in any order. It departs from the RFC (and from
 * tough-cookie's `parseDate`, which follows it to the letter) in how it classes a token; the departures decide
 * whether some deletions delete, as test/jar-agrees-with-chromium.test.ts in browser-tests showed:
 * - a token that starts with a digit and holds a ":" can only be the time, read as `%2u:%2u:%2u` (so "00:00:001"
 *   is midnight; the RFC rejects it);
 * - any other token that starts with a digit is the day when it has at most 2 characters, else the year when it
 *   has at most 5 ("1st" is the year 2001, not the day; "1" and "19700" are years, which the RFC refuses);
 * - no year is too early: 1600 is a date in the past (the RFC rejects years before 1601).
 */
export function parseCookieDate(text: string): Date | undefined {
  let time: [number, number, number] | undefined;
  let day: number | undefined;
  let month: number | undefined;
  let year: number | undefined;

  for (const token of text.split(DELIMITERS).filter((part) => part !== "")) {
    if (!/^\d/.test(token)) {
      // Only the first month name counts; later words ("GMT") are ignored.
      month ??= monthOf(token);
    } else if (token.includes(":")) {
      const match = /^(\d{1,2}):(\d{1,2}):(\d{1,2})/.exec(token);
      if (time === undefined && match) time = [Number(match[1]), Number(match[2]), Number(match[3])];
    } else if (day === undefined && token.length <= 2) {
      day = leadingNumber(token);
    } else if (year === undefined && token.length <= 5) {
      year = leadingNumber(token);
    }
  }
  if (time === undefined || day === undefined || month === undefined || year === undefined) return undefined;

  // RFC 6265 §5.1.1 step 3-4: two-digit years.
  if (year >= 70 && year <= 99) year += 1900;
  else if (year <= 69) year += 2000;
  const [hour, minute, second] = time;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hour, minute, second, 0);
  // A day the month does not have (30 February) rolls over into the next month: Chromium refuses it, as does §5.1.1.
  return date.getUTCFullYear() === year && date.getUTCMonth() === month && date.getUTCDate() === day ? date : undefined;
}

/** RFC 6265 §5.1.1 delimiter: %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E (Chromium's list is the same). */
const DELIMITERS = /[\t\x20-\x2F\x3B-\x40\x5B-\x60\x7B-\x7E]/;

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/** A month is any token that starts with the first three letters of a month's name ("January", "Jan."). */
function monthOf(token: string): number | undefined {
  const index = MONTHS.indexOf(token.slice(0, 3).toLowerCase());
  return index === -1 ? undefined : index;
}

/** C's `atoi`: the digits the token starts with. */
function leadingNumber(token: string): number {
  return Number(/^\d+/.exec(token)?.[0] ?? 0);
}

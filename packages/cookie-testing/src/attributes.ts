import { parseCookieDate } from "./cookie-date.js";
import { octets, type CookieAttribute } from "./set-cookie-line.js";

export type SameSite = "strict" | "lax" | "none";

/** An attribute the browser skipped as if it had not been sent, and why, for messages. */
export interface IgnoredAttribute {
  /** As sent: `Expires`, `max-age`… */
  readonly name: string;
  readonly value: string;
  /** Why the browser skips it, to follow `Name=value`: "is not a date a browser reads". */
  readonly why: string;
}

/** What a browser takes from a Set-Cookie line's attributes. */
export interface CookieAttributes {
  /** Lower case, without a leading dot; undefined when absent or empty. */
  readonly domain: string | undefined;
  /** undefined when absent or not starting with `/`: the cookie then gets the default-path. */
  readonly path: string | undefined;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  /** undefined when absent or not one of the three: Chromium then treats the cookie as Lax. */
  readonly sameSite: SameSite | undefined;
  /** The Max-Age the browser reads, in seconds; undefined when absent or ignored. */
  readonly maxAge: number | undefined;
  /** The Expires date the browser reads; undefined when absent or ignored. */
  readonly expiresDate: Date | undefined;
  /** When the cookie expires: Max-Age first, else Expires, cut to 400 days; undefined for a session cookie. */
  readonly expiry: Date | undefined;
  readonly ignored: readonly IgnoredAttribute[];
}

/** `Expires=yesterday is not a date a browser reads`, with a long value cut short. */
export function describeIgnored(attribute: IgnoredAttribute): string {
  const value = attribute.value.length > 40 ? `${attribute.value.slice(0, 40)}…` : attribute.value;
  return `${attribute.name}=${value} ${attribute.why}`;
}

/** RFC 6265bis §5.6: an attribute value over 1024 octets is ignored (Chromium does so). */
export const MAX_ATTRIBUTE_VALUE_OCTETS = 1024;

/** RFC 6265bis §5.5: browsers cap a cookie's lifetime at 400 days (Chromium since version 104). */
const MAX_LIFETIME_MS = 400 * 24 * 60 * 60 * 1000;

/** The earliest time there is: RFC 6265 §5.2.2 gives a Max-Age of zero or less "the earliest representable" expiry. */
const EARLIEST = new Date(-8.64e15);

/**
 * Reads the attributes of a Set-Cookie line as Chromium does. An attribute value over 1024 octets is skipped
 * (RFC 6265bis §5.6); then the last attribute of each name is the one read, even when it does not parse. That is
 * Chromium's way, not RFC 6265 §5.2's (which skips an unparseable Expires or Max-Age and keeps an earlier one):
 * `Expires=<past>; Expires=garbage` deletes nothing in Chromium. Max-Age wins over Expires (§5.3 step 3).
 */
export function readAttributes(attributes: readonly CookieAttribute[], now: Date): CookieAttributes {
  const ignored: IgnoredAttribute[] = [];
  const last = new Map<string, CookieAttribute>();
  for (const attribute of attributes) {
    if (octets(attribute.value) > MAX_ATTRIBUTE_VALUE_OCTETS) {
      ignored.push({ ...attribute, why: `is longer than the ${MAX_ATTRIBUTE_VALUE_OCTETS} bytes a browser reads` });
    } else {
      last.set(attribute.name.toLowerCase(), attribute);
    }
  }

  const maxAge = readMaxAge(last.get("max-age"), ignored);
  const expiresDate = readExpires(last.get("expires"), ignored);
  const domain = last.get("domain")?.value;
  const path = last.get("path")?.value;
  return {
    // RFC 6265bis §5.6.3: a leading dot is dropped; an empty Domain is as if absent (Chromium: a host-only cookie).
    domain: domain ? domain.replace(/^\./, "").toLowerCase() : undefined,
    // RFC 6265bis §5.6.4: a Path that does not start with "/" means the default-path.
    path: path?.startsWith("/") ? path : undefined,
    secure: last.has("secure"),
    httpOnly: last.has("httponly"),
    sameSite: sameSiteOf(last.get("samesite")?.value ?? ""),
    maxAge,
    expiresDate,
    expiry: expiryOf(maxAge, expiresDate, now),
    ignored,
  };
}

/**
 * RFC 6265bis §5.6.2 wants a "-" or a digit, then digits. Chromium reads it with `base::StringToInt64`, which also
 * takes a leading "+" (`Max-Age=+0` deletes), and saturates a number too big for 64 bits.
 */
function readMaxAge(attribute: CookieAttribute | undefined, ignored: IgnoredAttribute[]): number | undefined {
  if (attribute === undefined) return undefined;
  if (/^[+-]?\d+$/.test(attribute.value)) return Number(attribute.value);
  ignored.push({ ...attribute, why: "is not a whole number of seconds" });
  return undefined;
}

/** RFC 6265bis §5.6.1: the cookie-date algorithm, here as Chromium runs it ({@link parseCookieDate}). */
function readExpires(attribute: CookieAttribute | undefined, ignored: IgnoredAttribute[]): Date | undefined {
  // Chromium skips an empty Expires without a word.
  if (attribute === undefined || attribute.value === "") return undefined;
  const date = parseCookieDate(attribute.value);
  if (!date) ignored.push({ ...attribute, why: "is not a date a browser reads" });
  return date;
}

/** RFC 6265bis §5.6.7: only Strict, Lax and None count, in any case. */
function sameSiteOf(value: string): SameSite | undefined {
  const lower = value.toLowerCase();
  return lower === "strict" || lower === "lax" || lower === "none" ? lower : undefined;
}

/** RFC 6265 §5.3 step 3 (Max-Age first), capped at 400 days (RFC 6265bis §5.6.1 and §5.6.2). */
function expiryOf(maxAge: number | undefined, expires: Date | undefined, now: Date): Date | undefined {
  const latest = now.getTime() + MAX_LIFETIME_MS;
  if (maxAge !== undefined) return maxAge <= 0 ? EARLIEST : new Date(Math.min(now.getTime() + maxAge * 1000, latest));
  if (expires !== undefined) return new Date(Math.min(expires.getTime(), latest));
  return undefined;
}

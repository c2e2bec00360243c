import { parseDate } from "tough-cookie";
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

/** RFC 6265bis §5.6 step "cookie-av" 6: an attribute value over 1024 octets is ignored (Chromium does so). */
export const MAX_ATTRIBUTE_VALUE_OCTETS = 1024;

/** RFC 6265bis §5.5: browsers cap a cookie's lifetime at 400 days (Chromium since version 104). */
const MAX_LIFETIME_MS = 400 * 24 * 60 * 60 * 1000;

/** The earliest time there is: RFC 6265 §5.2.2 gives a Max-Age of zero or less "the earliest representable" expiry. */
const EARLIEST = new Date(-8.64e15);

/**
 * Reads the attributes of a Set-Cookie line as RFC 6265 §5.2 does: an attribute whose value does not parse is
 * ignored, and of those left the last of each name counts (§5.3). Max-Age wins over Expires (§5.3 step 3).
 */
export function readAttributes(attributes: readonly CookieAttribute[], now: Date): CookieAttributes {
  const ignored: IgnoredAttribute[] = [];
  const read: { domain?: string; path?: string; sameSite?: SameSite | undefined; maxAge?: number; expires?: Date } = {};
  let secure = false;
  let httpOnly = false;
  for (const attribute of attributes) {
    if (octets(attribute.value) > MAX_ATTRIBUTE_VALUE_OCTETS) {
      ignored.push({ ...attribute, why: `is longer than the ${MAX_ATTRIBUTE_VALUE_OCTETS} bytes a browser reads` });
      continue;
    }
    switch (attribute.name.toLowerCase()) {
      case "expires": {
        // RFC 6265 §5.2.1: the cookie-date algorithm of §5.1.1, never Date.parse.
        const date = parseDate(attribute.value);
        if (date) read.expires = date;
        else ignored.push({ ...attribute, why: "is not a date a browser reads" });
        break;
      }
      case "max-age":
        // RFC 6265 §5.2.2: a DIGIT or "-" first, then only DIGITs.
        if (/^-?\d+$/.test(attribute.value)) read.maxAge = Number(attribute.value);
        else ignored.push({ ...attribute, why: "is not a whole number of seconds" });
        break;
      case "domain":
        // RFC 6265 §5.2.3: a leading dot is dropped; an empty Domain is ignored.
        if (attribute.value !== "") read.domain = attribute.value.replace(/^\./, "").toLowerCase();
        break;
      case "path":
        // RFC 6265 §5.2.4: a Path that does not start with "/" means the default-path.
        if (attribute.value.startsWith("/")) read.path = attribute.value;
        else delete read.path;
        break;
      case "secure":
        secure = true;
        break;
      case "httponly":
        httpOnly = true;
        break;
      case "samesite":
        read.sameSite = sameSiteOf(attribute.value);
        break;
    }
  }
  return {
    domain: read.domain,
    path: read.path,
    secure,
    httpOnly,
    sameSite: read.sameSite,
    maxAge: read.maxAge,
    expiresDate: read.expires,
    expiry: expiryOf(read.maxAge, read.expires, now),
    ignored,
  };
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

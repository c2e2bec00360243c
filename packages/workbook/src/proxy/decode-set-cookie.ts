import { describeIgnored, splitSetCookie, type SetCookieVerdict } from "@cookie-course/cookie-testing";
import { decodeCookieValue, durationInWords } from "./words.js";

/** One attribute of a Set-Cookie line as sent, and what the browser makes of it, in words. */
export interface DecodedAttribute {
  /** As sent: `Max-Age`, `max-age`, `Priority`… */
  readonly name: string;
  /** As sent ("" for a flag such as `Secure`). */
  readonly value: string;
  /** Whether browsers know the attribute at all; an unknown one is ignored. */
  readonly known: boolean;
  /** "sent only to paths under /admin", "ignored: Expires=soon is not a date a browser reads"… */
  readonly meaning: string;
}

/** A Set-Cookie line cut into its parts and explained, attribute by attribute. */
export interface DecodedSetCookie {
  readonly name: string;
  /** Percent-decoded, as the app meant it. */
  readonly value: string;
  /** The value as sent, only when it differs from `value`. */
  readonly rawValue: string | undefined;
  readonly attributes: readonly DecodedAttribute[];
  /** How long the browser keeps the cookie, in words; undefined when it rejects the line. */
  readonly lifetime: string | undefined;
}

/** The attributes of RFC 6265bis §4.1.2, plus Partitioned (CHIPS), lower case. */
const KNOWN = new Set(["expires", "max-age", "domain", "path", "secure", "httponly", "samesite", "partitioned"]);

/**
 * Explains a Set-Cookie line for the panel. The line is cut by cookie-testing's `splitSetCookie`, the very parser
 * the verdict came from, so what the panel shows is what was judged; the verdict supplies the outcome (the path,
 * domain and lifetime the browser settled on, the attributes it skipped).
 */
export function decodeSetCookie(line: string, verdict: SetCookieVerdict, now: Date): DecodedSetCookie {
  const parts = splitSetCookie(line);
  const value = decodeCookieValue(parts.value);
  const lastIndexOf = new Map<string, number>();
  parts.attributes.forEach((attribute, index) => lastIndexOf.set(attribute.name.toLowerCase(), index));
  // Max-Age wins over Expires (RFC 6265 §5.3 step 3), but only a Max-Age the browser could read.
  const lastMaxAge = parts.attributes[lastIndexOf.get("max-age") ?? -1];
  const hasMaxAge =
    lastMaxAge !== undefined &&
    !(
      verdict.accepted &&
      verdict.ignored.some((skip) => skip.name === lastMaxAge.name && skip.value === lastMaxAge.value)
    );

  const attributes = parts.attributes.map((attribute, index): DecodedAttribute => {
    const key = attribute.name.toLowerCase();
    const known = KNOWN.has(key);
    const ignored = verdict.accepted
      ? verdict.ignored.find((skip) => skip.name === attribute.name && skip.value === attribute.value)
      : undefined;
    let meaning: string;
    if (!known) meaning = "not an attribute browsers know: ignored";
    else if (ignored) meaning = `ignored: ${describeIgnored(ignored)}`;
    else if (lastIndexOf.get(key) !== index) meaning = `overridden: a later ${attribute.name} on the same line counts`;
    else meaning = meaningOf(key, attribute.value, verdict, hasMaxAge, now);
    return { name: attribute.name, value: attribute.value, known, meaning };
  });

  return {
    name: parts.name,
    value,
    rawValue: value === parts.value ? undefined : parts.value,
    attributes,
    lifetime: verdict.accepted ? lifetimeOf(verdict.cookie.expires, now) : undefined,
  };
}

/** What the last attribute of its name means, in the words of RFC 6265bis §5.6 and MDN's Set-Cookie page. */
function meaningOf(key: string, value: string, verdict: SetCookieVerdict, hasMaxAge: boolean, now: Date): string {
  switch (key) {
    case "expires": {
      const date = verdict.accepted && !hasMaxAge ? verdict.cookie.expires : undefined;
      if (hasMaxAge) return "overridden: Max-Age counts when both are sent";
      if (value === "") return "empty: ignored";
      if (date === undefined) return "a date";
      return date.getTime() <= now.getTime()
        ? "a date in the past: a deletion (of the cookie with this name, Domain and Path)"
        : `a date: ${date.toISOString()}`;
    }
    case "max-age": {
      const seconds = Number(value);
      if (seconds <= 0)
        return `${value} seconds: zero or less, a deletion (of the cookie with this name, Domain and Path)`;
      return `${value} seconds (${durationInWords(seconds * 1000)})`;
    }
    case "path":
      if (!value.startsWith("/")) {
        const used = verdict.accepted ? ` (${verdict.cookie.path})` : "";
        return `does not start with /: the browser uses the request's default path${used}`;
      }
      return value === "/" ? "sent to every path of the site" : `sent only to ${value} and the paths under it`;
    case "domain":
      if (value === "") return "empty: as if absent, so the cookie is host-only";
      if (!verdict.accepted) return "see the verdict";
      return verdict.cookie.hostOnly
        ? `${value} has no parent domain to share with: the cookie stays host-only`
        : `sent to ${verdict.cookie.domain} and all its subdomains`;
    case "secure":
      return "sent only over HTTPS (browsers count http://localhost as secure)";
    case "httponly":
      return "hidden from page scripts: document.cookie does not show it";
    case "samesite":
      return sameSiteMeaning(value);
    case "partitioned":
      return "kept apart for each top-level site (CHIPS); browsers want Secure with it";
    default:
      return "not an attribute browsers know: ignored";
  }
}

function sameSiteMeaning(value: string): string {
  switch (value.toLowerCase()) {
    case "strict":
      return "sent only with requests from this same site, never when arriving from another site";
    case "lax":
      return "sent with requests from this site, and with top-level navigations from other sites";
    case "none":
      return "sent with cross-site requests too (needs Secure)";
    default:
      return "not Strict, Lax or None: the browser treats the cookie as Lax";
  }
}

/** A cookie's lifetime in words; `expires` as the verdict (or the jar) has it. */
export function lifetimeOf(expires: Date | undefined, now: Date): string {
  if (expires === undefined) return "a session cookie: kept until the browser closes";
  const left = expires.getTime() - now.getTime();
  if (left <= 0)
    return "already expired: the browser deletes the cookie of that name, Domain and Path, and stores nothing";
  return `${durationInWords(left)}, until ${expires.toISOString()}`;
}

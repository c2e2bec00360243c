import { defaultPath, domainMatch, getPublicSuffix } from "tough-cookie";
import { readAttributes, type CookieAttributes, type IgnoredAttribute, type SameSite } from "./attributes.js";
import { octets, splitSetCookie } from "./set-cookie-line.js";

/** Where the grader's requests are judged from: the learner's app on their own machine. */
export const DEFAULT_ORIGIN = "http://localhost";

/** A cookie as a browser stores it (RFC 6265bis §5.7), its value exactly as sent. */
export interface BrowserCookie {
  readonly name: string;
  readonly value: string;
  /** The host that set it (a host-only cookie), or its Domain attribute without the leading dot. */
  readonly domain: string;
  /** Sent back only to the exact host that set it: the line had no Domain the browser kept. */
  readonly hostOnly: boolean;
  readonly path: string;
  /** When the browser drops it; undefined for a session cookie (kept until the browser closes). */
  readonly expires: Date | undefined;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  /** undefined when absent or unrecognised; Chromium then treats the cookie as Lax. */
  readonly sameSite: SameSite | undefined;
}

/** Which rule made the browser reject a Set-Cookie line, for code that reacts to it; `reason` says it in words. */
export type RejectionRule =
  "control-character" | "empty" | "too-big" | "domain" | "insecure-origin" | "prefix" | "same-site-none";

export interface AcceptedSetCookie {
  readonly accepted: true;
  readonly cookie: BrowserCookie;
  /**
   * Already expired (Max-Age of zero or less, or an Expires in the past): the browser deletes the cookie with the
   * same name, domain, host-only flag and path, if it has one, and stores nothing (RFC 6265bis §5.7).
   */
  readonly expired: boolean;
  /** Attributes the browser skipped, such as an Expires that is not a cookie-date. */
  readonly ignored: readonly IgnoredAttribute[];
}

export interface RejectedSetCookie {
  readonly accepted: false;
  /** The cookie's name as sent ("" for a nameless cookie). */
  readonly name: string;
  readonly rule: RejectionRule;
  /** A sentence a learner can read: "a browser rejects it: SameSite=None needs Secure". */
  readonly reason: string;
}

/** What a browser does with one Set-Cookie line: store (or delete) a cookie, or reject the line entirely. */
export type SetCookieVerdict = AcceptedSetCookie | RejectedSetCookie;

/** The index of the first %x00-08 / %x0A-1F / %x7F (RFC 5234's CTLs but HTAB, RFC 6265bis §5.6 step 1), or -1. */
function firstControlCharacter(line: string): number {
  for (let index = 0; index < line.length; index++) {
    const code = line.charCodeAt(index);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return index;
  }
  return -1;
}

/** RFC 6265bis §5.6: a name and value longer than this together make the browser ignore the line. */
export const MAX_NAME_VALUE_OCTETS = 4096;

/**
 * Judges one Set-Cookie line as a browser that requested `requestUrl` at `now` does: the parsing of RFC 6265bis
 * §5.6 and the storage model of §5.7, with Chromium's choices where the drafts leave room.
 */
export function judgeSetCookie(
  line: string,
  requestUrl: string = DEFAULT_ORIGIN,
  now: Date = new Date(),
): SetCookieVerdict {
  const url = new URL(requestUrl);
  const host = url.hostname.toLowerCase();
  const parts = splitSetCookie(line);
  const reject = (rule: RejectionRule, why: string): RejectedSetCookie => ({
    accepted: false,
    name: parts.name,
    rule,
    reason: `a browser rejects it: ${why}`,
  });

  // RFC 6265bis §5.6 step 1: a control character other than a tab anywhere in the line (Chromium:
  // EXCLUDE_DISALLOWED_CHARACTER). Node refuses to send one, but another server, or a proxy, may.
  const control = firstControlCharacter(line);
  if (control !== -1) {
    const code = `U+${line.charCodeAt(control).toString(16).toUpperCase().padStart(4, "0")}`;
    return reject(
      "control-character",
      `it contains a control character (${code}) at position ${control + 1}, and a browser ignores such a line entirely`,
    );
  }
  // RFC 6265bis §5.6: neither a name nor a value.
  if (parts.name === "" && parts.value === "") return reject("empty", "it has neither a name nor a value");
  const size = octets(parts.name) + octets(parts.value);
  if (size > MAX_NAME_VALUE_OCTETS) {
    return reject("too-big", `its name and value are ${size} bytes, over the ${MAX_NAME_VALUE_OCTETS} a browser keeps`);
  }

  const attributes = readAttributes(parts.attributes, now);
  // RFC 6265bis §5.7: Secure only from a secure origin. Chromium counts http://localhost as secure: a
  // "potentially trustworthy" origin (W3C Secure Contexts §3.1), as are 127.0.0.0/8 and [::1].
  if (attributes.secure && !isPotentiallyTrustworthy(url)) {
    return reject(
      "insecure-origin",
      `it is Secure, and only an HTTPS page (or localhost) may set a Secure cookie, not ${url.origin}`,
    );
  }
  const domain = domainFor(attributes.domain, host);
  if (typeof domain === "object") return reject("domain", domain.problem);
  // RFC 6265bis §5.7 (Chromium since version 80): SameSite=None only with Secure.
  if (attributes.sameSite === "none" && !attributes.secure)
    return reject("same-site-none", "SameSite=None needs Secure");
  const path = attributes.path ?? defaultPath(url.pathname);
  const prefixProblem = prefixProblemOf(parts, attributes);
  if (prefixProblem) return reject("prefix", prefixProblem);

  const cookie: BrowserCookie = {
    name: parts.name,
    value: parts.value,
    domain: domain ?? host,
    hostOnly: domain === undefined,
    path,
    expires: attributes.expiry,
    secure: attributes.secure,
    httpOnly: attributes.httpOnly,
    sameSite: attributes.sameSite,
  };
  const expired = cookie.expires !== undefined && cookie.expires.getTime() <= now.getTime();
  return { accepted: true, cookie, expired, ignored: attributes.ignored };
}

/**
 * RFC 6265bis §5.7 (Domain): the cookie's domain (undefined for a host-only cookie), or why the browser rejects
 * the line. tough-cookie supplies the domain-match (RFC 6265 §5.1.3) and the public-suffix list.
 *
 * Chromium (`cookie_util::GetCookieDomainWithString`): a host without a registrable domain (localhost, an IP
 * address, a public suffix) may name only itself as Domain, and that makes a host-only cookie; elsewhere, a
 * Domain must be the host or a parent of it, and not a public suffix.
 */
function domainFor(attribute: string | undefined, host: string): string | undefined | { problem: string } {
  if (attribute === undefined) return undefined;
  const site = registrableDomain(host);
  if (site === undefined) {
    if (attribute === host) return undefined;
    return { problem: `Domain=${attribute} does not match the host ${host}` };
  }
  if (!domainMatch(host, attribute, false)) return { problem: `Domain=${attribute} does not match the host ${host}` };
  if (registrableDomain(attribute) !== site) {
    return { problem: `Domain=${attribute} is a public suffix, which no site may set cookies for` };
  }
  return attribute;
}

/** "example.com" for www.example.com; undefined for localhost, an IP address or a public suffix. */
function registrableDomain(host: string): string | undefined {
  // tough-cookie names it getPublicSuffix, but it returns the public suffix plus one label.
  return getPublicSuffix(host, { ignoreError: true }) ?? undefined;
}

/**
 * RFC 6265bis §4.1.3 and §5.7: a name prefix promises how the cookie was set, so a browser refuses a
 * cookie that breaks the promise. Chromium compares the prefixes in any case ("__secure-" too), and also knows
 * __Http- and __Host-Http- (HttpOnly and Secure), which tough-cookie does not.
 */
function prefixProblemOf(
  { name, value }: { name: string; value: string },
  cookie: CookieAttributes,
): string | undefined {
  // A nameless cookie is sent as its bare value, so one valued "__Secure-x=1" would pass for a prefixed cookie.
  if (name === "" && PREFIXES.some((prefix) => value.toLowerCase().startsWith(prefix))) {
    return `a nameless cookie's value may not start with ${value.slice(0, value.indexOf("-") + 1)}`;
  }
  const lower = name.toLowerCase();
  if (lower.startsWith("__secure-") && !cookie.secure) return `a name starting with ${name.slice(0, 9)} needs Secure`;
  // No Domain at all: even Domain=localhost, which would give a host-only cookie, breaks the promise.
  if (lower.startsWith("__host-") && !(cookie.secure && cookie.domain === undefined && cookie.path === "/")) {
    return `a name starting with ${name.slice(0, 7)} needs Secure, Path=/ and no Domain`;
  }
  if ((lower.startsWith("__http-") || lower.startsWith("__host-http-")) && !(cookie.secure && cookie.httpOnly)) {
    return `a name starting with ${name.slice(0, lower.startsWith("__http-") ? 7 : 12)} needs Secure and HttpOnly`;
  }
  return undefined;
}

const PREFIXES = ["__secure-", "__host-", "__http-"];

/** W3C Secure Contexts §3.1, as Chromium applies it to cookies: HTTPS, or a loopback host. */
export function isPotentiallyTrustworthy(url: URL): boolean {
  if (url.protocol === "https:" || url.protocol === "wss:") return true;
  const host = url.hostname.toLowerCase();
  return host === "localhost" || host.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(host) || host === "[::1]";
}

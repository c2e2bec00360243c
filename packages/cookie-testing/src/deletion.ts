import { describeIgnored, type IgnoredAttribute } from "./attributes.js";
import { BrowserJar } from "./browser-jar.js";
import { DEFAULT_ORIGIN, type AcceptedSetCookie, type BrowserCookie, type SetCookieVerdict } from "./judge.js";

/** One response as the grader records it: the request's path and the raw Set-Cookie lines, in order. */
export interface ResponseLines {
  readonly path: string;
  readonly setCookie: readonly string[];
}

/** Why a browser still has the cookie, for code; the verdict's `reason` says it in words. */
export type KeptBecause =
  /** No Set-Cookie line names the cookie. */
  | "untouched"
  /** The browser rejects every line that names it. */
  | "rejected"
  /** A line names it, but with no Expires or Max-Age in the past as the browser reads them. */
  | "not-expired"
  /** A line deletes a cookie of that name, but on another Path or Domain: another cookie. */
  | "other-cookie"
  /** A line deletes it, and a later line of the same response stores it again. */
  | "set-again";

export type DeletionVerdict =
  { readonly deleted: true } | { readonly deleted: false; readonly kept: KeptBecause; readonly reason: string };

/**
 * Whether a browser that stored cookie `name` from response `setBy` no longer has it after response `deletedBy`,
 * and if it still has it, why. A browser deletes a cookie only with a Set-Cookie it accepts, for the same name,
 * domain, host-only flag and path, that has already expired (RFC 6265bis §5.7).
 *
 * @throws when `setBy` does not store the cookie: there is nothing to delete, so the question is wrong.
 */
export function judgeDeletion(
  name: string,
  setBy: ResponseLines,
  deletedBy: ResponseLines,
  { origin = DEFAULT_ORIGIN, now = new Date() }: { origin?: string; now?: Date } = {},
): DeletionVerdict {
  const jar = new BrowserJar({ origin, clock: () => now });
  jar.store(headersOf(setBy), { path: setBy.path });
  const stored = jar.get(name);
  if (!stored) throw new Error(`judgeDeletion: the response to ${setBy.path} does not store a cookie named ${name}`);

  const verdicts = jar.store(headersOf(deletedBy), { path: deletedBy.path });
  if (!stillThere(jar, stored)) return { deleted: true };
  return {
    deleted: false,
    ...whyKept(
      stored,
      verdicts.filter((verdict) => nameOf(verdict) === name),
    ),
  };
}

function whyKept(stored: BrowserCookie, verdicts: readonly SetCookieVerdict[]): { kept: KeptBecause; reason: string } {
  const accepted = verdicts.filter((verdict): verdict is AcceptedSetCookie => verdict.accepted);
  const same = accepted.filter((verdict) => sameCookie(verdict.cookie, stored));
  if (same.some((verdict) => verdict.expired)) {
    return { kept: "set-again", reason: "a later Set-Cookie of the same response stores it again" };
  }
  const lifetimeIgnored = same.flatMap((verdict) => verdict.ignored).find(isLifetime);
  if (lifetimeIgnored)
    return {
      kept: "not-expired",
      reason: `${describeIgnored(lifetimeIgnored)}, so it ignores it and keeps the cookie`,
    };
  const last = same.at(-1);
  if (last) {
    return {
      kept: "not-expired",
      reason:
        last.cookie.expires === undefined
          ? "it has no Expires or Max-Age, so it only replaces the value: an empty value is still a cookie"
          : `it expires at ${last.cookie.expires.toISOString()}, not in the past, so the cookie stays`,
    };
  }
  const rejected = verdicts.find((verdict) => !verdict.accepted);
  if (rejected) return { kept: "rejected", reason: rejected.reason };
  const other = accepted.find((verdict) => verdict.expired);
  if (other) {
    return {
      kept: "other-cookie",
      reason:
        `the deletion names ${where(other.cookie)}, but the cookie has ${where(stored)}: ` +
        "a browser deletes only the cookie with the same name, Domain and Path",
    };
  }
  return { kept: "untouched", reason: `the response has no Set-Cookie for ${stored.name}` };
}

/** Whether the jar still holds that very cookie: same name, domain, host-only flag and path. */
function stillThere(jar: BrowserJar, stored: BrowserCookie): boolean {
  return jar.cookies().some((cookie) => sameCookie(cookie, stored));
}

function sameCookie(a: BrowserCookie, b: BrowserCookie): boolean {
  return a.name === b.name && a.domain === b.domain && a.hostOnly === b.hostOnly && a.path === b.path;
}

function where(cookie: BrowserCookie): string {
  return `Path=${cookie.path}${cookie.hostOnly ? "" : ` Domain=${cookie.domain}`}`;
}

function isLifetime(attribute: IgnoredAttribute): boolean {
  return /^(expires|max-age)$/i.test(attribute.name);
}

function nameOf(verdict: SetCookieVerdict): string {
  return verdict.accepted ? verdict.cookie.name : verdict.name;
}

function headersOf(response: ResponseLines) {
  return { headers: { "set-cookie": [...response.setCookie] } };
}

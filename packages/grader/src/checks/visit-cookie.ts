import { AsyncLocalStorage } from "node:async_hooks";
import {
  judgeSetCookie,
  setCookiesNamed,
  type Cookie,
  type RejectionRule,
  type SetCookieVerdict,
} from "@cookie-course/cookie-testing";
import type { CheckAdapter } from "../harness/check.js";
import { REQUEST_HOST, type Exchange } from "../harness/exchange.js";
import type { AppSecrets } from "../sandbox/confinement.js";
import { fail } from "../harness/failure.js";

export const VISIT_COOKIE = "last_visit";

/**
 * Where the checks judge cookies from, as a browser would: the learner's app on their own machine, at the port
 * `pnpm dev` serves it on. Chromium counts http://localhost as a secure context, so a Secure cookie (production) is
 * kept there too.
 */
export const GRADER_ORIGIN = `http://${REQUEST_HOST}`;

/** Moments the checks freeze `Date` at: far from the real clock, so a fixed or stale date cannot pass. */
export const FIRST_VISIT = new Date("2031-05-17T08:09:10.000Z");
export const LATER_VISIT = new Date("2031-05-20T21:45:03.000Z");
/** Visits seconds, minutes and days apart, in order: 7 s, 59 s, 2 min, 1 h, 3 days. */
export const VISITS_APART: readonly Date[] = [0, 7, 66, 186, 3_786, 262_986].map(
  (seconds) => new Date(FIRST_VISIT.getTime() + seconds * 1000),
);

/**
 * How the visit cookie's value travels, as an exercise's app writes it: as it is (01–03), or signed (a later
 * exercise). The checks that send or read the cookie go through it, so an earlier exercise's checks keep applying
 * to a later exercise's app.
 */
export interface VisitCookieFormat {
  /** The stored value an app in this format writes for `value` (what the browser sends back). */
  encode(value: string): string;
  /** The value inside a stored one, or undefined when it is not in this format (unsigned, or a bad signature). */
  decode(stored: string): string | undefined;
}

const AS_IT_IS: VisitCookieFormat = { encode: (value) => value, decode: (stored) => stored };

/** The format of the exercise being graded, for the checks running now (several exercises are graded at once). */
const formatOfThisCheck = new AsyncLocalStorage<VisitCookieFormat>();

/** A check group's `adapts`: from this exercise on, the visit cookie travels in this format. */
export function visitCookieTravelsAs(format: (secrets: AppSecrets) => VisitCookieFormat): CheckAdapter {
  return (secrets, work) => formatOfThisCheck.run(format(secrets), work);
}

function visitCookieFormat(): VisitCookieFormat {
  return formatOfThisCheck.getStore() ?? AS_IT_IS;
}

/** One Set-Cookie line of a response and what a browser makes of it. */
export interface JudgedLine {
  readonly line: string;
  readonly verdict: SetCookieVerdict;
}

/** What a browser makes of each Set-Cookie line of the response that names `name` (rejected lines too). */
export function judgedLines(exchange: Exchange, name: string = VISIT_COOKIE): JudgedLine[] {
  const url = new URL(exchange.path, GRADER_ORIGIN).href;
  return exchange.setCookie
    .map((line) => ({ line, verdict: judgeSetCookie(line, url) }))
    .filter(({ verdict }) => (verdict.accepted ? verdict.cookie.name : verdict.name) === name);
}

/**
 * The `last_visit` cookies a browser stores from a response, as attributes with the value percent-decoded. A line
 * the browser rejects, or that deletes the cookie, stores nothing.
 */
export function liveVisitCookies(exchange: Exchange): Cookie[] {
  const format = visitCookieFormat();
  return (
    judgedLines(exchange)
      .filter(({ verdict }) => verdict.accepted && !verdict.expired)
      .flatMap(({ line }) => setCookiesNamed({ headers: { "set-cookie": [line] } }, VISIT_COOKIE))
      // A value not in the exercise's format is judged as it is, and fails as what it is.
      .map((cookie) => ({ ...cookie, value: format.decode(cookie.value) ?? cookie.value }))
  );
}

/** What to do about each reason a browser rejects the visit cookie. */
const REJECTION_HINTS: Record<RejectionRule, string> = {
  domain:
    "Leave out the domain option: a cookie without Domain belongs to the host that set it, which is what you want.",
  "same-site-none":
    'Pass { sameSite: "lax" }. SameSite=None is only for cookies that other sites must receive, and a browser takes it only with secure: true.',
  "too-big": "Store only the date-time (about 24 characters): a browser keeps at most 4096 bytes of name and value.",
  "insecure-origin":
    'Pass { secure: process.env.NODE_ENV === "production" }: over plain HTTP a browser refuses a Secure cookie.',
  prefix: `Name the cookie exactly ${VISIT_COOKIE}.`,
  empty: `Name the cookie exactly ${VISIT_COOKIE}.`,
  "control-character":
    "Send only printable characters in a cookie: res.cookie encodes the value for you, so pass it the plain date-time.",
};

/** The `last_visit` cookie a response stores, or a failure that says why there is none. */
export function visitCookieOf(exchange: Exchange): Cookie {
  const last = liveVisitCookies(exchange).at(-1);
  if (last) return last;
  const rejected = judgedLines(exchange)
    .map(({ verdict }) => verdict)
    .find((verdict) => !verdict.accepted);
  if (rejected) {
    fail(`The response to GET ${exchange.path} sets ${VISIT_COOKIE}, but ${rejected.reason}.`, {
      exchange,
      cookieName: VISIT_COOKIE,
      expected: `a Set-Cookie for ${VISIT_COOKIE} that a browser stores`,
      hint: REJECTION_HINTS[rejected.rule],
    });
  }
  if (exchange.status >= 500) {
    fail(`GET ${exchange.path} crashed (status ${exchange.status}) instead of setting the cookie.`, {
      exchange,
      expected: `status 200 and a Set-Cookie header for ${VISIT_COOKIE}`,
      hint: "Start the app (pnpm dev 01, or your exercise's number) and open the page: the terminal shows the error. A res.cookie after res.send throws ERR_HTTP_HEADERS_SENT.",
    });
  }
  const others = exchange.setCookie.length > 0;
  fail(`The response to GET ${exchange.path} stores no ${VISIT_COOKIE} cookie.`, {
    exchange,
    cookieName: VISIT_COOKIE,
    expected: `a Set-Cookie header that stores ${VISIT_COOKIE}`,
    hint: others
      ? `The cookie must be named exactly ${VISIT_COOKIE} (VISIT_COOKIE_NAME in cookie-utils).`
      : "A cookie is stored by a Set-Cookie header in the response, written before the page is sent. Which method of Express's res writes one?",
  });
}

/**
 * The moment a cookie value stands for, in milliseconds, or undefined. Any date-time that parses back is accepted:
 * ISO 8601 (what the course teaches), toUTCString(), toString(), Express's `j:"…"` for a Date object, or epoch
 * seconds or milliseconds. A time of day without its zone stands for no moment: it reads as another one in every
 * zone, and read here it would depend on the grader's own zone (see {@link namesNoZone}).
 */
export function momentOf(value: string): number | undefined {
  const text = unwrapped(value);
  if (text === undefined) return undefined;
  if (/^\d{13}$/.test(text)) return Number(text);
  if (/^\d{10}$/.test(text)) return Number(text) * 1000;
  if (namesNoZone(value)) return undefined;
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/**
 * Whether a value is a date-time whose zone is missing (2031-05-17T10:09:10, or 5/17/2031, 10:09:10 AM): written
 * in the server's local time, it reads right only where the reader's zone is the server's.
 */
export function namesNoZone(value: string): boolean {
  const text = unwrapped(value);
  if (text === undefined || !/\d:\d\d/.test(text) || Number.isNaN(Date.parse(text))) return false;
  // Z or an offset (ISO 8601, toString's GMT+0200), GMT or UTC (toUTCString), or a US zone's letters, at the end
  // (toString's zone name in parentheses after it).
  return !/(?:Z|[+-]\d\d(?::?\d\d)?|\b(?:GMT|UTC|UT|[ECMP][SD]T))\s*(?:\([^)]*\))?\s*$/i.test(text);
}

/** The text of a cookie value, out of Express's `j:` JSON; undefined for JSON that holds no string or number. */
function unwrapped(value: string): string | undefined {
  if (!value.startsWith("j:")) return value;
  try {
    const parsed: unknown = JSON.parse(value.slice(2));
    return typeof parsed === "string" || typeof parsed === "number" ? String(parsed) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a stored value stands for this moment, to the second (toUTCString() drops the milliseconds). */
export function isSameSecond(value: string, moment: Date): boolean {
  const stored = momentOf(value);
  return stored !== undefined && Math.floor(stored / 1000) === Math.floor(moment.getTime() / 1000);
}

/**
 * A Cookie header holding this visit value as the app of the exercise being graded stores it (signed, in a later
 * exercise), percent-encoded as Express writes it: what a browser sends back.
 */
export function cookieHeader(value: string): string {
  return `${VISIT_COOKIE}=${encodeURIComponent(visitCookieFormat().encode(value))}`;
}

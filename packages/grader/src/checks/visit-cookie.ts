import { judgeSetCookie, setCookiesNamed, type Cookie, type RejectionRule, type SetCookieVerdict } from "@cookie-course/cookie-testing";
import type { Exchange } from "../harness/exchange.js";
import { fail } from "../harness/failure.js";

export const VISIT_COOKIE = "last_visit";

/**
 * Where the checks judge cookies from, as a browser would: the learner's app on their own machine. Chromium
 * counts http://localhost as a secure context, so a Secure cookie (production) is kept there too.
 */
export const GRADER_ORIGIN = "http://localhost";

/** Moments the checks freeze `Date` at: far from the real clock, so a fixed or stale date cannot pass. */
export const FIRST_VISIT = new Date("2031-05-17T08:09:10.000Z");
export const LATER_VISIT = new Date("2031-05-20T21:45:03.000Z");
/** Visits seconds, minutes and days apart, in order: 7 s, 59 s, 2 min, 1 h, 3 days. */
export const VISITS_APART: readonly Date[] = [0, 7, 66, 186, 3_786, 262_986].map((seconds) => new Date(FIRST_VISIT.getTime() + seconds * 1000));

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
  return judgedLines(exchange)
    .filter(({ verdict }) => verdict.accepted && !verdict.expired)
    .flatMap(({ line }) => setCookiesNamed({ headers: { "set-cookie": [line] } }, VISIT_COOKIE));
}

/** What to do about each reason a browser rejects the visit cookie. */
const REJECTION_HINTS: Record<RejectionRule, string> = {
  domain: "Leave out the domain option: a cookie without Domain belongs to the host that set it, which is what you want.",
  "same-site-none":
    'Pass { sameSite: "lax" }. SameSite=None is only for cookies that other sites must receive, and a browser takes it only with secure: true.',
  "too-big": "Store only the date-time (about 24 characters): a browser keeps at most 4096 bytes of name and value.",
  "insecure-origin": 'Pass { secure: process.env.NODE_ENV === "production" }: over plain HTTP a browser refuses a Secure cookie.',
  prefix: `Name the cookie exactly ${VISIT_COOKIE}.`,
  empty: `Name the cookie exactly ${VISIT_COOKIE}.`,
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
 * seconds or milliseconds.
 */
export function momentOf(value: string): number | undefined {
  let text = value;
  if (text.startsWith("j:")) {
    try {
      const parsed: unknown = JSON.parse(text.slice(2));
      if (typeof parsed !== "string" && typeof parsed !== "number") return undefined;
      text = String(parsed);
    } catch {
      return undefined;
    }
  }
  if (/^\d{13}$/.test(text)) return Number(text);
  if (/^\d{10}$/.test(text)) return Number(text) * 1000;
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** Whether a stored value stands for this moment, to the second (toUTCString() drops the milliseconds). */
export function isSameSecond(value: string, moment: Date): boolean {
  const stored = momentOf(value);
  return stored !== undefined && Math.floor(stored / 1000) === Math.floor(moment.getTime() / 1000);
}

/** A cookie value as a browser sends it back: Express percent-encodes, so the checks do too. */
export function cookieHeader(value: string): string {
  return `${VISIT_COOKIE}=${encodeURIComponent(value)}`;
}

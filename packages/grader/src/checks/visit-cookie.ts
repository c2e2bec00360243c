import { deletesCookie, type Cookie } from "@cookie-course/cookie-testing";
import { setCookiesFor, type Exchange } from "../harness/exchange.js";
import { fail } from "../harness/failure.js";

export const VISIT_COOKIE = "last_visit";

/** Moments the checks freeze `Date` at: far from the real clock, so a fixed or stale date cannot pass. */
export const FIRST_VISIT = new Date("2031-05-17T08:09:10.000Z");
export const LATER_VISIT = new Date("2031-05-20T21:45:03.000Z");
/** Visits seconds, minutes and days apart, in order: 7 s, 59 s, 2 min, 1 h, 3 days. */
export const VISITS_APART: readonly Date[] = [0, 7, 66, 186, 3_786, 262_986].map((seconds) => new Date(FIRST_VISIT.getTime() + seconds * 1000));

/** The Set-Cookie lines of a response that store `last_visit` (rather than delete it). */
export function liveVisitCookies(exchange: Exchange): Cookie[] {
  return setCookiesFor(exchange, VISIT_COOKIE).filter((cookie) => !deletesCookie(cookie));
}

/** The `last_visit` cookie a response stores, or a failure that says why there is none. */
export function visitCookieOf(exchange: Exchange): Cookie {
  const cookies = liveVisitCookies(exchange);
  const last = cookies.at(-1);
  if (last) return last;
  if (exchange.status >= 500) {
    fail(`GET ${exchange.path} crashed (status ${exchange.status}) instead of setting the cookie.`, {
      exchange,
      expected: `status 200 and a Set-Cookie header for ${VISIT_COOKIE}`,
      hint: "Run the app (pnpm dev) and open the page: the terminal shows the error. A res.cookie after res.send throws ERR_HTTP_HEADERS_SENT.",
    });
  }
  const others = exchange.setCookie.length > 0;
  fail(`The response to GET ${exchange.path} stores no ${VISIT_COOKIE} cookie.`, {
    exchange,
    cookieName: VISIT_COOKIE,
    expected: `a Set-Cookie header that stores ${VISIT_COOKIE}`,
    hint: others
      ? `The cookie must be named exactly ${VISIT_COOKIE} (VISIT_COOKIE_NAME in cookie-utils).`
      : `Call res.cookie("${VISIT_COOKIE}", value, options) in the handler, before res.send(): headers leave with the first byte of the body.`,
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

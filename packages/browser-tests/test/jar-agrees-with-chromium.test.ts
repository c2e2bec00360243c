import type { RequestListener } from "node:http";
import { BrowserJar, judgeDeletion, type BrowserCookie } from "@cookie-course/cookie-testing";
import type { Cookie as PlaywrightCookie } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useBrowser, useServer } from "../src/harness.js";
import { OTHER_SITE, SET_COOKIE_CASES, type SetCookieCase } from "../src/set-cookie-cases.js";

/**
 * The grader judges learners' apps with a jar of its own (@cookie-course/cookie-testing), never with a browser.
 * This test keeps that jar honest: each Set-Cookie line of src/set-cookie-cases.ts goes to Chromium (a navigation
 * whose response carries the line) and to the jar, and both must end up with the same cookies; for a row with
 * lines stored `before`, both must also agree whether the cookie stored first is gone.
 *
 * The jar judges as http://localhost, the grader's origin, and Chromium gets the same host, so the comparison is
 * fair: Chromium counts http://localhost as a secure context (a Secure cookie is stored over plain HTTP there) and
 * gives it no registrable domain (Domain=localhost makes a host-only cookie). Rows on www.course.test (mapped to
 * 127.0.0.1) cover what localhost cannot: Domain cookies, and Secure refused over plain HTTP. Ports never matter to
 * cookies, so the server's random port does not either.
 */

/** A cookie as both sides can report it. `domain` starts with "." for a Domain cookie, as Chromium writes it. */
interface Seen {
  readonly name: string;
  readonly value: string;
  readonly domain: string;
  readonly path: string;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  readonly sameSite: string;
  /** Seconds since 1970, or -1 for a session cookie. */
  readonly expires: number;
}

/** The two sides read their clocks a moment apart; a minute is far more than a loaded machine needs. */
const EXPIRY_TOLERANCE_S = 60;

const stepsOf = (row: SetCookieCase) => [...(row.before ?? []), row.line];

/**
 * Answers `?case=N&step=K` with that step's line, and anything else (Chromium's own /favicon.ico request) with no
 * cookie at all.
 */
const answerWithCase: RequestListener = (req, res) => {
  const query = new URL(req.url ?? "/", "http://localhost").searchParams;
  const [rowAt, stepAt] = [query.get("case"), query.get("step")];
  const row = rowAt === null ? undefined : SET_COOKIE_CASES[Number(rowAt)];
  const line = row && stepAt !== null ? stepsOf(row)[Number(stepAt)] : undefined;
  if (line !== undefined) res.setHeader("Set-Cookie", line);
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.end("<!doctype html><title>Set-Cookie case</title>");
};

describe("the grader's cookie jar and Chromium store, reject and delete the same cookies", () => {
  const browser = useBrowser();
  const localhost = useServer(() => answerWithCase);
  const other = useServer(() => answerWithCase, OTHER_SITE);

  SET_COOKIE_CASES.forEach((row, index) => {
    it(`${row.about}: ${shortLine(row.line)}`, async () => {
      const server = row.site === "other" ? other : localhost;
      const path = row.path ?? "/";
      const steps = stepsOf(row);

      let storedFirst: Seen | undefined;
      for (const step of steps.keys()) {
        const response = await browser.page.goto(server.url(`${path}?case=${index}&step=${step}`));
        expect(response?.status(), "the page should load").toBe(200);
        if (step === steps.length - 2) storedFirst = sortSeen((await browser.context.cookies()).map(fromChromium))[0];
      }
      const chromium = sortSeen((await browser.context.cookies()).map(fromChromium));

      const origin = `http://${row.site === "other" ? OTHER_SITE : "localhost"}`;
      const jar = new BrowserJar({ origin });
      for (const line of steps) jar.store({ headers: { "set-cookie": [line] } }, { path });
      const grader = sortSeen(jar.cookies().map(fromJar));

      const what = `after ${steps.map(shortLine).join(" then ")} at ${origin}${path}`;
      expect(grader.map(withoutExpiry), `the jar's cookies should be Chromium's ${what}`).toEqual(
        chromium.map(withoutExpiry),
      );
      grader.forEach((cookie, at) => {
        expect(
          Math.abs(cookie.expires - (chromium[at]?.expires ?? Number.NaN)),
          `expiry of ${cookie.name} ${what}`,
        ).toBeLessThanOrEqual(EXPIRY_TOLERANCE_S);
      });

      if (storedFirst) {
        const first = storedFirst;
        const goneInChromium = !chromium.some((cookie) => sameCookie(cookie, first));
        const verdict = judgeDeletion(
          first.name,
          { path, setCookie: steps.slice(0, -1) },
          { path, setCookie: [row.line] },
          { origin },
        );
        expect(verdict.deleted, `whether ${first.name} is gone ${what} (jar: ${JSON.stringify(verdict)})`).toBe(
          goneInChromium,
        );
      }
    });
  });
});

function fromChromium(cookie: PlaywrightCookie): Seen {
  const { name, value, domain, path, secure, httpOnly, sameSite } = cookie;
  return {
    name,
    value,
    domain,
    path,
    secure,
    httpOnly,
    sameSite,
    expires: cookie.expires === -1 ? -1 : cookie.expires,
  };
}

function fromJar(cookie: BrowserCookie): Seen {
  return {
    name: cookie.name,
    value: cookie.value,
    domain: cookie.hostOnly ? cookie.domain : `.${cookie.domain}`,
    path: cookie.path,
    secure: cookie.secure,
    httpOnly: cookie.httpOnly,
    // Chromium treats a cookie without a (known) SameSite as Lax, and reports it so.
    sameSite: { strict: "Strict", lax: "Lax", none: "None" }[cookie.sameSite ?? "lax"],
    expires: cookie.expires === undefined ? -1 : cookie.expires.getTime() / 1000,
  };
}

/** Session or persistent is compared exactly; the moment, within {@link EXPIRY_TOLERANCE_S}. */
function withoutExpiry({ expires, ...cookie }: Seen) {
  return { ...cookie, session: expires === -1 };
}

function sameCookie(a: Seen, b: Seen): boolean {
  return a.name === b.name && a.domain === b.domain && a.path === b.path;
}

function sortSeen(cookies: Seen[]): Seen[] {
  const key = (cookie: Seen) => `${cookie.name}\u0000${cookie.domain}\u0000${cookie.path}`;
  return cookies.sort((a, b) => key(a).localeCompare(key(b)));
}

function shortLine(line: string): string {
  return line.length > 70 ? `${line.slice(0, 50)}…(${line.length} bytes)` : line;
}

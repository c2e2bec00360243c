import { deletesCookie } from "@cookie-course/cookie-testing";
import type { CheckGroup } from "../harness/check.js";
import { get, isHtml, setCookiesFor } from "../harness/exchange.js";
import { fail } from "../harness/failure.js";
import { FIRST_VISIT, VISIT_COOKIE, cookieHeader, liveVisitCookies, visitCookieOf } from "./visit-cookie.js";

const EXERCISE = "03-logout";
export const LOGGED_OUT = /successfully logged out/i;
const STORED_COOKIE = cookieHeader(FIRST_VISIT.toISOString());

export const logoutChecks: CheckGroup = {
  exercise: EXERCISE,
  checks: [
    {
      id: "03.page",
      hints: [
        "Add a route for GET /logout that answers with a page.",
        "The page must contain the words \"Successfully logged out\".",
      ],
      name: "GET /logout answers 200 with a page that says 'Successfully logged out'",
      points: 2,
      async run({ app }) {
        const exchange = await get(await app(), "/logout", STORED_COOKIE);
        if (exchange.status === 200 && isHtml(exchange) && LOGGED_OUT.test(exchange.body)) return;
        fail("GET /logout did not answer with a page that says 'Successfully logged out'.", {
          exchange,
          expected: 'status 200, text/html, and the words "Successfully logged out"',
          hint: 'Add app.get("/logout", …) that ends with res.send(…"Successfully logged out"…).',
        });
      },
    },
    {
      id: "03.deletes",
      hints: [
        "To delete a cookie, the server sends a Set-Cookie for it that has already expired.",
        "res.clearCookie(name, options) sends last_visit= with Expires in 1970.",
        "res.clearCookie(VISIT_COOKIE_NAME, cookieOptions): the same options the cookie was set with.",
      ],
      name: "Logging out deletes last_visit (Expires in the past, or Max-Age=0)",
      points: 3,
      async run({ app }) {
        const exchange = await get(await app(), "/logout", STORED_COOKIE);
        const cookies = setCookiesFor(exchange, VISIT_COOKIE);
        if (cookies.some((cookie) => deletesCookie(cookie))) return;
        fail(
          cookies.length > 0
            ? "The logout response sets last_visit, but does not delete it: an empty value is still a cookie."
            : "The logout response does not touch the last_visit cookie.",
          {
            exchange,
            cookieName: VISIT_COOKIE,
            expected: `a Set-Cookie for ${VISIT_COOKIE} with an Expires date in the past or Max-Age=0`,
            hint: `res.clearCookie("${VISIT_COOKIE}", options) sends exactly that.`,
          },
        );
      },
    },
    {
      id: "03.same-path",
      hints: [
        "A browser deletes a cookie only when the deleting Set-Cookie names the same Path (and Domain).",
        "Give res.clearCookie exactly the options you gave res.cookie: then they cannot differ.",
      ],
      name: "The deletion names the Path and Domain the cookie was set with",
      points: 2,
      requires: ["03.deletes", "01.sets-cookie"],
      async run({ app }) {
        const server = await app();
        const set = visitCookieOf(await get(server, "/"));
        const exchange = await get(server, "/logout", STORED_COOKIE);
        // A cookie set without Path by GET / has the default path "/" (RFC 6265 §5.1.4); so does a deletion's.
        const pathOf = (path: string | undefined) => path ?? "/";
        const deletions = setCookiesFor(exchange, VISIT_COOKIE).filter((cookie) => deletesCookie(cookie));
        // Other deletions (of an old cookie under another Path, say) are harmless: one must match the cookie.
        if (deletions.some((cookie) => pathOf(cookie.path) === pathOf(set.path) && cookie.domain === set.domain)) return;
        const named = deletions.map((cookie) => `Path=${pathOf(cookie.path)}${cookie.domain ? ` Domain=${cookie.domain}` : ""}`).join(", ");
        fail(
          `The cookie was set with Path=${pathOf(set.path)}${set.domain ? ` Domain=${set.domain}` : ""}, but the deletion names ${named}: a browser keeps the cookie.`,
          {
            exchange,
            cookieName: VISIT_COOKIE,
            expected: "the same Path (and Domain) as the Set-Cookie of GET /",
            hint: "Give res.clearCookie the same options object you give res.cookie, so they cannot drift apart.",
          },
        );
      },
    },
    {
      id: "03.not-set-again",
      name: "Nothing in the logout response sets the cookie again",
      points: 2,
      requires: ["03.deletes"],
      async run({ app }) {
        const exchange = await get(await app(), "/logout", STORED_COOKIE);
        if (liveVisitCookies(exchange).length === 0) return;
        fail("The logout response deletes last_visit and also sets it again, so the visitor may stay remembered.", {
          exchange,
          cookieName: VISIT_COOKIE,
          expected: `only the deleting Set-Cookie for ${VISIT_COOKIE}`,
          hint: "Is the cookie set in a middleware that runs before every route? Set it in the GET / handler only.",
        });
      },
    },
  ],
};

import { describeIgnored, judgeDeletion, type IgnoredAttribute } from "@cookie-course/cookie-testing";
import type { CheckGroup } from "../harness/check.js";
import { get, isHtml, notAnHtmlPage, type Exchange } from "../harness/exchange.js";
import { fail } from "../harness/failure.js";
import { logOut } from "./logout-request.js";
import {
  FIRST_VISIT,
  GRADER_ORIGIN,
  VISIT_COOKIE,
  cookieHeader,
  judgedLines,
  liveVisitCookies,
  visitCookieOf,
} from "./visit-cookie.js";

const EXERCISE = "03-logout";
export const LOGGED_OUT = /successfully logged out/i;
/** The visit cookie a browser sends before logging out, in the format of the exercise being graded (so, when called). */
const storedCookie = () => cookieHeader(FIRST_VISIT.toISOString());

export const checkGroup: CheckGroup = {
  exercise: EXERCISE,
  checks: [
    {
      id: "03.page",
      hints: [
        "The starter's GET /logout handler already answers with a page. What does that page say?",
        'The page must contain the words "Successfully logged out": make the handler\'s `content` say them, with the html`` tag like the other pages.',
        "const content = html`<p>Successfully logged out.</p>`;",
      ],
      // "/logout", not "GET /logout": 03's checks run again in 06, where logging out is a POST.
      name: "/logout answers 200 with a page that says 'Successfully logged out'",
      points: 2,
      // A page that says so while the browser keeps the cookie is not a logout: it counts once the deletion works.
      requires: ["03.deletes"],
      async run({ app }) {
        const exchange = await logOut(await app(), storedCookie());
        if (exchange.status === 200 && isHtml(exchange) && LOGGED_OUT.test(exchange.body)) return;
        const isPage = exchange.status === 200 && isHtml(exchange);
        fail(
          isPage
            ? `The page of ${exchange.method} /logout does not say 'Successfully logged out'.`
            : notAnHtmlPage(exchange),
          {
            exchange,
            expected: 'status 200, text/html, and the words "Successfully logged out"',
            hint: `Make the \`content\` of the ${exchange.method} /logout handler say "Successfully logged out": res.send(page("Log out", content)) sends it.`,
          },
        );
      },
    },
    {
      id: "03.deletes",
      hints: [
        'HTTP has no "delete" message. How does a server make a browser forget a cookie? (The lesson\'s §5.)',
        "A server deletes a cookie by sending it again, already expired: res.clearCookie(name, options) sends last_visit= with Expires in 1970. Call it before res.send().",
        "res.clearCookie(VISIT_COOKIE_NAME, cookieOptions); with the same cookieOptions that GET / sets the cookie with.",
      ],
      name: "Logging out deletes last_visit (Expires in the past, or Max-Age=0)",
      points: 3,
      async run({ app }) {
        const exchange = await logOut(await app(), storedCookie());
        // A deletion counts only as a browser reads it: accepted, with an Expires or Max-Age it reads, in the past.
        if (judgedLines(exchange).some(({ verdict }) => verdict.accepted && verdict.expired)) return;
        const { summary, hint } = whyNotDeleted(exchange);
        fail(summary, {
          exchange,
          cookieName: VISIT_COOKIE,
          expected: `a Set-Cookie for ${VISIT_COOKIE} with an Expires date in the past or Max-Age=0`,
          hint,
        });
      },
    },
    {
      id: "03.same-path",
      hints: [
        "A browser deletes a cookie only when the deleting Set-Cookie names the same Path (and Domain).",
        "Give res.clearCookie exactly the options you gave res.cookie: then they cannot differ.",
        "res.clearCookie(VISIT_COOKIE_NAME, cookieOptions); the very object that createApp() gives res.cookie in GET /.",
      ],
      name: "The deletion names the Path and Domain the cookie was set with",
      points: 2,
      requires: ["03.deletes", "01.sets-cookie"],
      async run({ app }) {
        const server = await app();
        const visit = await get(server, "/");
        visitCookieOf(visit);
        const exchange = await logOut(server, storedCookie());
        // Other deletions (of an old cookie under another Path, say) are harmless: the jar asks whether the very
        // cookie GET / stored is gone (same name, domain, host-only flag and path).
        const verdict = judgeDeletion(VISIT_COOKIE, visit, exchange, { origin: GRADER_ORIGIN });
        // Deleted and then set again by the same response: the deletion was right, 03.not-set-again says the rest.
        if (verdict.deleted || verdict.kept === "set-again") return;
        fail(`A browser keeps the cookie that GET / set: ${verdict.reason}.`, {
          exchange,
          cookieName: VISIT_COOKIE,
          expected: "the same Path (and Domain) as the Set-Cookie of GET /",
          hint: "Give res.clearCookie the same options object you give res.cookie, so they cannot drift apart.",
        });
      },
    },
    {
      id: "03.not-set-again",
      hints: [
        "Look at every Set-Cookie of the logout response: after the deletion, does another one store last_visit again?",
        "Only GET / may set the cookie: look for res.cookie in /logout (an empty value is a cookie too) or in an app.use middleware that runs for every path.",
        "In GET /logout, res.clearCookie(VISIT_COOKIE_NAME, cookieOptions) and no res.cookie; res.cookie stays in GET /.",
      ],
      name: "Nothing in the logout response sets the cookie again",
      points: 2,
      requires: ["03.deletes"],
      async run({ app }) {
        const exchange = await logOut(await app(), storedCookie());
        if (liveVisitCookies(exchange).length === 0) return;
        fail("The logout response deletes last_visit and also sets it again, so the visitor may stay remembered.", {
          exchange,
          cookieName: VISIT_COOKIE,
          expected: `only the deleting Set-Cookie for ${VISIT_COOKIE}`,
          hint: "Only GET / sets the cookie: /logout clears it and never calls res.cookie (an empty value is a cookie too), and no middleware that runs for every path sets it.",
        });
      },
    },
  ],
};

/** Why no Set-Cookie of the logout response deletes last_visit in a browser, and what to do about it. */
function whyNotDeleted(exchange: Exchange): { summary: string; hint: string } {
  const verdicts = judgedLines(exchange).map(({ verdict }) => verdict);
  if (verdicts.length === 0) {
    return {
      summary: "The logout response does not touch the last_visit cookie.",
      hint: "A server cannot reach into the browser: it deletes a cookie by sending it again, already expired. Which method of Express's res does that?",
    };
  }
  const ignored = verdicts.flatMap((verdict) => (verdict.accepted ? verdict.ignored : [])).find(isLifetime);
  if (ignored) {
    return {
      summary: `The logout response sets last_visit, but a browser does not delete it: ${describeIgnored(ignored)}, so it ignores it and keeps the cookie.`,
      hint: /^expires$/i.test(ignored.name)
        ? `Let Express write the date: res.clearCookie("${VISIT_COOKIE}", options) sends Expires=Thu, 01 Jan 1970 00:00:00 GMT.`
        : `Max-Age counts whole seconds, and 0 deletes at once; res.clearCookie("${VISIT_COOKIE}", options) does it for you.`,
    };
  }
  const rejected = verdicts.find((verdict) => !verdict.accepted);
  if (rejected) {
    return {
      summary: `The logout response tries to delete last_visit, but ${rejected.reason}, so the browser keeps the cookie.`,
      hint: "Give res.clearCookie the same options object you give res.cookie: the browser must accept the deletion as it accepted the cookie.",
    };
  }
  return {
    summary: "The logout response sets last_visit, but does not delete it: an empty value is still a cookie.",
    hint: `res.clearCookie("${VISIT_COOKIE}", options) sends it with an Expires date in the past, which deletes it.`,
  };
}

function isLifetime(attribute: IgnoredAttribute): boolean {
  return /^(expires|max-age)$/i.test(attribute.name);
}

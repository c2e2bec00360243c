import { MAX_COOKIE_LIFETIME_MS } from "@cookie-course/cookie-utils";
import type { Cookie } from "@cookie-course/cookie-testing";
import type { Check, CheckGroup } from "../harness/check.js";
import { get, isHtml, notAnHtmlPage } from "../harness/exchange.js";
import { fail } from "../harness/failure.js";
import {
  FIRST_VISIT,
  VISITS_APART,
  VISIT_COOKIE,
  cookieHeader,
  isSameSecond,
  liveVisitCookies,
  momentOf,
  namesNoZone,
  visitCookieOf,
} from "./visit-cookie.js";

const EXERCISE = "01-set-datetime-cookie";

/** Why the cookie's attribute is wrong, for its failure message. */
interface AttributeProblem {
  readonly summary: string;
  readonly expected: string;
  readonly hint: string;
}

/** A check of one attribute of the cookie that a visit to / sets (at {@link FIRST_VISIT}). */
function attributeCheck(spec: {
  id: string;
  name: string;
  /** Build the app with NODE_ENV=production. */
  production?: boolean;
  hints?: readonly string[];
  judge(cookie: Cookie): AttributeProblem | undefined;
}): Check {
  return {
    id: spec.id,
    name: spec.name,
    points: 1,
    requires: ["01.sets-cookie"],
    ...(spec.hints ? { hints: spec.hints } : {}),
    async run({ app, productionApp, setNow }) {
      setNow(FIRST_VISIT);
      const exchange = await get(await (spec.production ? productionApp() : app()), "/");
      const problem = spec.judge(visitCookieOf(exchange));
      if (problem)
        fail(problem.summary, { exchange, cookieName: VISIT_COOKIE, expected: problem.expected, hint: problem.hint });
    },
  };
}

/** The names a link could give a moment under, and a moment for them (not the visit's). */
const MOMENT_WORDS = [
  "at",
  "date",
  "time",
  "visit",
  "when",
  "moment",
  "ts",
  "t",
  "now",
  "last_visit",
  "lastVisit",
  "value",
];
const ASKED_MOMENT = "2031-05-16T08:09:10.000Z";

export const checkGroup: CheckGroup = {
  exercise: EXERCISE,
  checks: [
    {
      id: "01.home-page",
      name: "GET / answers 200 with an HTML page",
      points: 1,
      // The starter's page already answers: it counts once the exercise has begun.
      requires: ["01.sets-cookie"],
      async run({ app }) {
        const exchange = await get(await app(), "/");
        if (exchange.status !== 200 || !isHtml(exchange)) {
          fail(notAnHtmlPage(exchange), {
            exchange,
            expected: "status 200 and Content-Type text/html",
            hint: "Keep the starter's res.send(page(…)) at the end of the GET / handler: a string sent with res.send answers 200 with text/html.",
          });
        }
      },
    },
    {
      id: "01.sets-cookie",
      hints: [
        "The response to GET / must carry a Set-Cookie header for last_visit. Which Express method writes one?",
        "Express's res.cookie(name, value, options) adds a Set-Cookie header: call it in the GET / handler, where the 🐨 is, before res.send(). VISIT_COOKIE_NAME, formatVisitTime and cookieOptions are already in app.ts.",
        "res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), cookieOptions); in place of the 🐨 comment, before res.send(…).",
      ],
      name: "Visiting / sets a cookie named last_visit",
      points: 2,
      async run({ app, setNow }) {
        setNow(FIRST_VISIT);
        visitCookieOf(await get(await app(), "/"));
      },
    },
    {
      id: "01.holds-visit-time",
      hints: [
        "The value must stand for the moment of this request, as text that parses back to it.",
        "The GET / handler's `now` is that moment, made anew on every request. formatVisitTime(now) from cookie-utils writes it in ISO 8601, such as 2026-11-25T17:41:44.000Z (now.toISOString() does the same).",
        "res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), cookieOptions);",
      ],
      name: "The cookie holds the date-time of the visit",
      points: 2,
      requires: ["01.sets-cookie"],
      async run({ app, setNow }) {
        setNow(FIRST_VISIT);
        const server = await app();
        const exchange = await get(server, "/");
        const cookie = visitCookieOf(exchange);
        if (isSameSecond(cookie.value, FIRST_VISIT)) {
          // The visit is now, whatever the query says: a GET / that records a moment a link names would sign (from 04 on)
          // whatever a visitor asks for.
          const asked = await get(
            server,
            `/?${MOMENT_WORDS.map((word) => `${word}=${encodeURIComponent(ASKED_MOMENT)}`).join("&")}`,
          );
          if (isSameSecond(visitCookieOf(asked).value, FIRST_VISIT)) return;
          fail(
            `GET / with a moment in its query (${ASKED_MOMENT} under the names a link would use: ${MOMENT_WORDS.join(", ")}) stores ${JSON.stringify(visitCookieOf(asked).value)}, not the moment of the visit.`,
            {
              exchange: asked,
              cookieName: VISIT_COOKIE,
              expected: `the moment of the request (${FIRST_VISIT.toISOString()}), whatever the query says`,
              hint: "The visit is the moment of the request: take it from new Date() alone, never from the query, a form or a header (anyone can write those, and from 04 on the app would sign what they wrote).",
            },
          );
        }
        const stored = momentOf(cookie.value);
        if (namesNoZone(cookie.value)) {
          fail(
            `The cookie holds ${JSON.stringify(cookie.value)}: a date-time without its time zone, which stands for another moment in every zone.`,
            {
              exchange,
              cookieName: VISIT_COOKIE,
              expected: `a date-time that names its zone, equal to the moment of the request (${FIRST_VISIT.toISOString()}), to the second`,
              hint: "The server's local time reads right only where the reader's zone is the server's (the grader runs your app in another zone than UTC). Store the moment in UTC: formatVisitTime(now) (cookie-utils) or now.toISOString(), which end in Z.",
            },
          );
        }
        fail(
          stored === undefined
            ? `The cookie's value ${JSON.stringify(cookie.value)} is not a date-time.`
            : `The cookie holds ${new Date(stored).toISOString()}, but the visit was at ${FIRST_VISIT.toISOString()}.`,
          {
            exchange,
            cookieName: VISIT_COOKIE,
            expected: `a date-time equal to the moment of the request (${FIRST_VISIT.toISOString()}), to the second`,
            hint:
              stored === undefined
                ? "Store the moment as ISO 8601 text, which parses back to it: the handler's `now`, written with formatVisitTime (cookie-utils) or toISOString()."
                : "Use the `now` that the GET / handler makes on each request: not a fixed date, and not one made once when the app starts.",
          },
        );
      },
    },
    {
      id: "01.every-visit",
      hints: [
        "A returning visitor sends the cookie back. Does GET / still set a new one then, with this visit's time?",
        "Set the cookie on every request to GET /, whatever the browser sent, from that request's `now`: no if around it, nothing kept from an earlier request.",
        "res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), cookieOptions); straight in the GET / handler, before res.send(…).",
      ],
      name: "Every visit sets the cookie again, with that visit's time, however far apart the visits are",
      points: 2,
      requires: ["01.holds-visit-time"],
      async run({ app, setNow }) {
        const server = await app();
        let previous: string | undefined;
        // Seconds, minutes and days apart: a time kept from the start, or refreshed once a minute, shows up.
        for (const moment of VISITS_APART) {
          setNow(moment);
          const exchange = await get(server, "/", previous === undefined ? undefined : cookieHeader(previous));
          const again = exchange.setCookie.length === 0 ? undefined : liveVisitCookies(exchange).at(-1);
          if (again && isSameSecond(again.value, moment)) {
            previous = again.value;
            continue;
          }
          fail(
            again
              ? `A visit at ${moment.toISOString()} stored ${JSON.stringify(again.value)}.`
              : `A visit at ${moment.toISOString()}, sending the cookie back, got no new cookie.`,
            {
              exchange,
              cookieName: VISIT_COOKIE,
              expected: `a new ${VISIT_COOKIE} holding that visit's time (${moment.toISOString()}), to the second`,
              hint: "Set the cookie on every visit, not only when the browser has none, with the `now` of that request: nothing kept from an earlier one.",
            },
          );
        }
      },
    },
    attributeCheck({
      id: "01.http-only",
      name: "The cookie is HttpOnly, out of reach of page scripts",
      hints: [
        "HttpOnly keeps a cookie out of document.cookie, so a script injected into the page cannot read it and send it off.",
        "It is an option of res.cookie: { httpOnly: true }. The starter's cookieOptions (visitCookieOptions() from cookie-utils) has it.",
        "res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), cookieOptions); with the starter's cookieOptions, or with options of your own that say httpOnly: true.",
      ],
      judge: (cookie) =>
        cookie.httpOnly
          ? undefined
          : {
              summary: "The cookie is not HttpOnly: any script in the page can read it through document.cookie.",
              expected: "the HttpOnly attribute",
              hint: "Pass { httpOnly: true } in the options of res.cookie, or the starter's cookieOptions (visitCookieOptions() from cookie-utils), which has it.",
            },
    }),
    attributeCheck({
      id: "01.same-site",
      name: "The cookie is SameSite=Lax or Strict",
      hints: [
        "SameSite decides whether requests that start on other sites carry the cookie: the lesson's §6 says why Lax is a good default.",
        'It is an option of res.cookie: { sameSite: "lax" } (or "strict"). The starter\'s cookieOptions has it.',
        'res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), cookieOptions); with the starter\'s cookieOptions, or with options of your own that say sameSite: "lax".',
      ],
      judge: ({ sameSite }) =>
        sameSite?.toLowerCase() === "lax" || sameSite?.toLowerCase() === "strict"
          ? undefined
          : {
              summary:
                sameSite?.toLowerCase() === "none"
                  ? "The cookie is SameSite=None: every other site's requests carry it (and without Secure, browsers drop it)."
                  : "The cookie has no SameSite attribute, so older browsers send it along with other sites' requests.",
              expected: "SameSite=Lax (or Strict)",
              hint: 'Pass { sameSite: "lax" } in the options of res.cookie (the starter\'s cookieOptions has it): it blunts cross-site request forgery (CSRF).',
            },
    }),
    attributeCheck({
      id: "01.path",
      name: "The cookie is for the whole site (Path=/)",
      // Without a Path, a cookie set by GET / gets the default path "/" (RFC 6265 §5.1.4): the same behaviour.
      judge: ({ path }) =>
        path === undefined || path === "/"
          ? undefined
          : {
              summary: `The cookie is limited to Path=${path}, so other pages of the site never receive it.`,
              expected: "Path=/",
              hint: 'Leave path out (Express then writes Path=/) or pass { path: "/" }, as the starter\'s cookieOptions does.',
            },
    }),
    attributeCheck({
      id: "01.secure-in-production",
      name: "With NODE_ENV=production the cookie is Secure",
      hints: [
        "Secure cookies travel over HTTPS only: on in production, off on http://localhost while you develop.",
        'It is an option of res.cookie: { secure: process.env.NODE_ENV === "production" }. The starter\'s cookieOptions has it.',
        "res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), cookieOptions); with the cookieOptions that createApp() makes from visitCookieOptions().",
      ],
      production: true,
      judge: (cookie) =>
        cookie.secure
          ? undefined
          : {
              summary: "In production (NODE_ENV=production) the cookie is not Secure: it would travel over plain HTTP.",
              expected: 'the Secure attribute when process.env.NODE_ENV is "production"',
              hint: 'Pass { secure: process.env.NODE_ENV === "production" } in the options of res.cookie, as the starter\'s cookieOptions does.',
            },
    }),
    attributeCheck({
      id: "01.lifetime",
      name: "The cookie's lifetime, if it has one, is at most 400 days",
      judge: ({ maxAge, expires }) => {
        const limit = MAX_COOKIE_LIFETIME_MS + 1000;
        const tooLong =
          (maxAge !== undefined && maxAge * 1000 > limit) ||
          (expires !== undefined && expires.getTime() - FIRST_VISIT.getTime() > limit);
        return tooLong
          ? {
              summary: "The cookie asks to live longer than 400 days, which browsers cut short.",
              expected: "no lifetime (a session cookie), or Max-Age/Expires of at most 400 days",
              hint: "maxAge in res.cookie is in milliseconds: 30 days is 30 * 24 * 60 * 60 * 1000. (The starter's cookieOptions gives a year.)",
            }
          : undefined;
      },
    }),
  ],
};

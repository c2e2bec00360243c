import { randomInt } from "node:crypto";
import type { CheckGroup } from "../harness/check.js";
import { get, isHtml, notAnHtmlPage, setCookiesFor, type Exchange } from "../harness/exchange.js";
import { fail } from "../harness/failure.js";
import { escapingHint, everyPage, judgeAnswer, landing, requestOf } from "./every-page.js";
import { hostilePayloads } from "./markup.js";
import { LATER_VISIT, VISIT_COOKIE, cookieHeader } from "./visit-cookie.js";

const EXERCISE = "02-read-last-visit";
const NO_VISIT = /no visit recorded yet/i;
const BROKEN_OUTPUT = /Invalid Date|undefined|NaN|\[object Object\]/;
const DAY_MS = 86_400_000;

/**
 * A moment to the second, drawn anew on every run between two others: the checks' fixed moments are in the learner
 * edition, and a page that shows only those (a lookup of two values) would pass while reading no cookie at all.
 */
export function drawnMoment(from: Date, to: Date): Date {
  return new Date(randomInt(Math.ceil(from.getTime() / 1000), Math.floor(to.getTime() / 1000)) * 1000);
}

/** A stored visit before the moment of the request (LATER_VISIT), drawn anew on every run. */
export function pastVisit(): Date {
  return drawnMoment(new Date("2030-01-01T00:00:00.000Z"), new Date(LATER_VISIT.getTime() - DAY_MS));
}

/** A stored visit later than the moment of the request (a clock set back, another time zone's server): still shown. */
function futureVisit(): Date {
  return drawnMoment(new Date(LATER_VISIT.getTime() + DAY_MS), new Date("2037-12-31T23:59:59.000Z"));
}

// Date-times written in a page: ISO 8601 / RFC 3339, with or without seconds, fraction and offset.
const ISO_IN_PAGE = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g;

/** Whether a page contains an ISO 8601 date-time for this moment, to the second. */
export function showsIso(body: string, moment: Date): boolean {
  return [...body.matchAll(ISO_IN_PAGE)].some(
    ([text]) => Math.floor(Date.parse(text) / 1000) === Math.floor(moment.getTime() / 1000),
  );
}

// Date-times as JavaScript writes them: toUTCString (an HTTP date) and toString (with its offset).
const HTTP_DATE_IN_PAGE = /\b[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT\b/g;
const DATE_STRING_IN_PAGE = /\b[A-Z][a-z]{2} [A-Z][a-z]{2} \d{1,2} \d{4} \d{2}:\d{2}:\d{2} GMT[+-]\d{4}/g;
const EPOCH_MS_IN_PAGE = /\b\d{12,13}\b/g;

/**
 * Whether a page shows this moment, to the second, in any of the forms a page writes one in: ISO 8601, an HTTP date,
 * Date#toString, or milliseconds since 1970. "No visit recorded yet" beside the forged visit still shows the forgery.
 */
export function showsMoment(body: string, moment: Date): boolean {
  const second = Math.floor(moment.getTime() / 1000);
  const written = [HTTP_DATE_IN_PAGE, DATE_STRING_IN_PAGE].flatMap((pattern) =>
    [...body.matchAll(pattern)].map(([text]) => Date.parse(text)),
  );
  const counted = [...body.matchAll(EPOCH_MS_IN_PAGE)].map(([text]) => Number(text));
  return showsIso(body, moment) || [...written, ...counted].some((time) => Math.floor(time / 1000) === second);
}

/**
 * Fails unless the page says there is no visit; given the visit a forged cookie carried, the page must not show that
 * visit anywhere either.
 */
export function expectNoVisitPage(exchange: Exchange, why: string, forged?: Date): void {
  const showsForged = forged !== undefined && showsMoment(exchange.body, forged);
  if (exchange.status === 200 && NO_VISIT.test(exchange.body) && !BROKEN_OUTPUT.test(exchange.body) && !showsForged)
    return;
  const broken = BROKEN_OUTPUT.exec(exchange.body)?.[0];
  fail(
    exchange.status !== 200
      ? `GET /last-visit answered ${exchange.status} ${why}.`
      : broken
        ? `The page shows "${broken}" ${why}.`
        : showsForged
          ? `The page shows the forged visit ${why}${NO_VISIT.test(exchange.body) ? ', beside "No visit recorded yet"' : ""}.`
          : `The page does not say "No visit recorded yet" ${why}.`,
    {
      exchange,
      expected: 'status 200 and a page that says "No visit recorded yet"',
      hint: showsForged
        ? "Show only a visit whose signature checked out with your own secret (cookie-parser puts it in req.signedCookies), and nothing of any other value: what a forged cookie claims is not a visit, whatever its form."
        : 'Check the cookie before you use it: parseVisitTime(value) from cookie-utils gives { ok: false } for anything that is not a date-time, and then the page says "No visit recorded yet".',
    },
  );
}

export const checkGroup: CheckGroup = {
  exercise: EXERCISE,
  checks: [
    {
      id: "02.page",
      name: "GET /last-visit answers 200 with an HTML page",
      points: 1,
      // The starter's placeholder page already answers: it counts once the page shows the visit.
      requires: ["02.shows-stored"],
      async run({ app }) {
        const exchange = await get(await app(), "/last-visit", cookieHeader(pastVisit().toISOString()));
        if (exchange.status === 200 && isHtml(exchange)) return;
        fail(notAnHtmlPage(exchange), {
          exchange,
          expected: "status 200 and Content-Type text/html",
          hint: 'The starter\'s GET /last-visit handler ends with res.send(page("Last visit", content)): keep it, and let nothing before it throw (the cookie may be missing, or not a string).',
        });
      },
    },
    {
      id: "02.shows-stored",
      hints: [
        "The moment to show is not now: it came with the request, in the cookie. cookie-parser (the app.use(cookieParser()) above) puts the cookies the browser sent in req.cookies.",
        'Read req.cookies[VISIT_COOKIE_NAME] (req.signedCookies from exercise 04 on, where the cookie is signed) and check it with parseVisitTime(value), already imported from cookie-utils: it accepts only the ISO 8601 form that GET / stores, and gives { ok: true, date, iso }. Show iso in <time datetime="…">.',
        'const visit = parseVisitTime(req.cookies[VISIT_COOKIE_NAME]); (req.signedCookies from exercise 04 on) and when visit.ok: html`<p>Your last visit was at <time datetime="${visit.iso}">${visit.date.toUTCString()}</time>.</p>`',
      ],
      name: "The page shows the stored moment, with its ISO 8601 form",
      points: 2,
      async run({ app, setNow }) {
        setNow(LATER_VISIT);
        const server = await app();
        const future = futureVisit();
        for (const visit of [pastVisit(), future]) {
          const stored = visit.toISOString();
          const exchange = await get(server, "/last-visit", cookieHeader(stored));
          const broken =
            BROKEN_OUTPUT.exec(exchange.body)?.[0] ??
            (NO_VISIT.test(exchange.body) ? "No visit recorded yet" : undefined);
          if (showsIso(exchange.body, visit) && broken === undefined) continue;
          const showsNow = showsIso(exchange.body, LATER_VISIT);
          fail(
            exchange.status !== 200
              ? `With a valid cookie (${stored}), GET /last-visit answered ${exchange.status}.`
              : broken !== undefined
                ? `With a valid cookie (${stored}), the page shows "${broken}".`
                : showsNow
                  ? "The page shows the current time, not the visit stored in the cookie."
                  : `The page does not show the stored visit (${stored}) in ISO 8601 form.`,
            {
              exchange,
              expected: `the page contains ${stored} (for example <time datetime="${stored}">…</time>), and no "No visit recorded yet", "undefined", "NaN" or "Invalid Date"`,
              hint: showsNow
                ? "Show the moment stored in the cookie (req.cookies[VISIT_COOKIE_NAME]), not new Date(): the page is about the last visit, not this one."
                : visit === future
                  ? "A stored moment may be later than now (another server's clock): show it like any other."
                  : "The moment to show came with the request, in the cookie: read it from the cookies cookie-parser gives you, check that it is a date-time, and show its ISO 8601 form.",
            },
          );
        }
      },
    },
    {
      id: "02.first-visit",
      hints: [
        "A visitor who never came has no cookie: req.cookies[VISIT_COOKIE_NAME] is undefined. What does your page show then?",
        'Check the cookie before using it: parseVisitTime(value) gives { ok: false } when it is missing or not a date-time, and then the page says "No visit recorded yet".',
        "const visit = parseVisitTime(req.cookies[VISIT_COOKIE_NAME]); const content = visit.ok ? html`…visit.iso…` : html`<p>No visit recorded yet.</p>`;",
      ],
      name: "A first-time visitor without the cookie reads 'No visit recorded yet'",
      points: 2,
      // A page that always says so passes without reading any cookie: it counts once the page shows the visit.
      requires: ["02.shows-stored"],
      async run({ app }) {
        const server = await app();
        expectNoVisitPage(await get(server, "/last-visit"), "to a visitor without cookies");
        expectNoVisitPage(await get(server, "/last-visit", "theme=dark"), "when only other cookies are sent");
      },
    },
    {
      id: "02.no-xss",
      hints: [
        'Anyone can send any cookie. What does your page become if its value is <script>…</script>, or a date followed by "> and a tag?',
        "Never put the cookie into the page as it is: check it with parseVisitTime(value) and show only what it gives back (iso, date), through the html`` tag, which escapes every ${value}; in an attribute, always inside quotes.",
        'const visit = parseVisitTime(req.cookies[VISIT_COOKIE_NAME]); and when visit.ok: html`<p>Your last visit was at <time datetime="${visit.iso}">${visit.date.toUTCString()}</time>.</p>`',
      ],
      name: "The cookie's content never reaches the page as markup",
      points: 3,
      // A page that shows nothing of the cookie is trivially safe: safety counts once the page shows the visit.
      requires: ["02.shows-stored"],
      async run({ app }) {
        const server = await app();
        const { marker, values } = hostilePayloads(pastVisit().toISOString());
        for (const value of values) {
          // /last-visit reads the cookie: it gets it both percent-encoded and as it is, which a hand-written cookie
          // reader may take differently. Every other page (a 404 too) may show it as well, and is judged alike.
          const tries = [
            ...[cookieHeader(value), `${VISIT_COOKIE}=${value}`].map((cookie) => ({ path: "/last-visit", cookie })),
            ...everyPage()
              .filter((path) => path !== "/last-visit")
              .map((path) => ({ path, cookie: cookieHeader(value) })),
          ];
          for (const { path, cookie } of tries) {
            const exchange = await get(server, path, cookie);
            const found = judgeAnswer(exchange, marker, value);
            if (!found) continue;
            const summary = [
              found.kind === "not-as-typed"
                ? "The cookie's content shows in the page, but not as the text sent: characters were removed or changed, not escaped."
                : found.kind === "unescaped"
                  ? "The cookie's content was put into the page unescaped: one step from a reflected cross-site scripting (XSS) hole."
                  : "The cookie's content was put into the page as HTML: a reflected cross-site scripting (XSS) hole.",
              `Payload:  ${JSON.stringify(value)} (the ${VISIT_COOKIE} cookie's value)`,
              `Page:     ${requestOf(exchange)}`,
              ...landing(found),
            ];
            fail(summary.join("\n"), {
              exchange,
              expected: "the value shown as text (escaped: &lt; &quot; &#39;) or not at all, on every page",
              hint: `Anyone can send any cookie. Validate it as a date-time, and escape what you show, in quoted attributes only: html\`…\${value}…\` or escapeHtml(value) from cookie-utils. ${escapingHint(found)}`,
            });
          }
        }
      },
    },
    {
      id: "02.read-only",
      hints: [
        "Showing the last visit must not change it. What does /last-visit send besides the page?",
        "Look for res.cookie outside the GET / handler: in /last-visit, or in an app.use middleware that runs for every path.",
        "Keep res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), cookieOptions) in the GET / handler only: /last-visit only reads req.cookies.",
      ],
      name: "Reading /last-visit leaves the cookie alone",
      points: 1,
      requires: ["02.shows-stored"],
      async run({ app }) {
        const exchange = await get(await app(), "/last-visit", cookieHeader(pastVisit().toISOString()));
        if (setCookiesFor(exchange, VISIT_COOKIE).length === 0) return;
        fail("GET /last-visit changes the cookie, so it forgets the visit it should show next time.", {
          exchange,
          cookieName: VISIT_COOKIE,
          expected: `no Set-Cookie for ${VISIT_COOKIE} from /last-visit`,
          hint: "Only GET / records a visit: /last-visit reads the cookie and never calls res.cookie, and no middleware that runs for every path sets it.",
        });
      },
    },
  ],
};

import type { CheckGroup } from "../harness/check.js";
import { get, isHtml, setCookiesFor, type Exchange } from "../harness/exchange.js";
import { fail } from "../harness/failure.js";
import { FIRST_VISIT, LATER_VISIT, VISIT_COOKIE, cookieHeader } from "./visit-cookie.js";

const EXERCISE = "02-read-last-visit";
const NO_VISIT = /no visit recorded yet/i;
const BROKEN_OUTPUT = /Invalid Date|undefined|NaN|\[object Object\]/;
export const STORED = FIRST_VISIT.toISOString();

// Date-times written in a page: ISO 8601 / RFC 3339, with or without seconds, fraction and offset.
const ISO_IN_PAGE = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g;

/** Whether a page contains an ISO 8601 date-time for this moment, to the second. */
export function showsIso(body: string, moment: Date): boolean {
  return [...body.matchAll(ISO_IN_PAGE)].some(([text]) => Math.floor(Date.parse(text) / 1000) === Math.floor(moment.getTime() / 1000));
}

export function expectNoVisitPage(exchange: Exchange, why: string): void {
  if (exchange.status === 200 && NO_VISIT.test(exchange.body) && !BROKEN_OUTPUT.test(exchange.body)) return;
  const broken = BROKEN_OUTPUT.exec(exchange.body)?.[0];
  fail(
    exchange.status !== 200
      ? `GET /last-visit answered ${exchange.status} ${why}.`
      : broken
        ? `The page shows "${broken}" ${why}.`
        : `The page does not say "No visit recorded yet" ${why}.`,
    {
      exchange,
      expected: 'status 200 and a page that says "No visit recorded yet"',
      hint: "Check the value before you use it: parseVisitTime(value) from cookie-utils gives { ok: false } for anything that is not a date-time.",
    },
  );
}

/** Payloads a hostile cookie can carry, and the raw markup that would show they were reflected. */
const HOSTILE_VALUES: readonly { value: string; reflected: RegExp }[] = [
  { value: "<script>alert(1)</script>", reflected: /<script>alert\(1\)<\/script>/ },
  // Date.parse accepts this one: parsing as a date does not make a value safe to put in a page.
  { value: "Fri May 16 2031 08:09:10 GMT+0000 (<img src=x onerror=alert(1)>)", reflected: /<img src=x onerror=alert\(1\)>/ },
  { value: `${STORED}"><svg onload=alert(1)>`, reflected: /<svg onload=alert\(1\)>/ },
  // Breaking out of an attribute such as datetime="…": dangerous only when it lands inside a tag.
  { value: `${STORED}" onmouseover="alert(1)`, reflected: /<[a-z][^<>]*\sonmouseover="alert\(1\)/i },
  // …and one that Date.parse accepts, for apps that validate that way and escape only < > &.
  { value: 'Fri May 16 2031 08:09:10 GMT+0000 (" onfocus="alert(1))', reflected: /<[a-z][^<>]*\sonfocus="alert\(1\)/i },
];

export const readLastVisitChecks: CheckGroup = {
  exercise: EXERCISE,
  checks: [
    {
      id: "02.page",
      name: "GET /last-visit answers 200 with an HTML page",
      points: 1,
      async run({ app }) {
        const exchange = await get(await app(), "/last-visit", cookieHeader(STORED));
        if (exchange.status === 200 && isHtml(exchange)) return;
        fail("GET /last-visit did not answer with an HTML page.", {
          exchange,
          expected: "status 200 and Content-Type text/html",
          hint: 'Add app.get("/last-visit", (req, res) => { … res.send(page) }).',
        });
      },
    },
    {
      id: "02.shows-stored",
      hints: [
        "The moment is in the request: cookie-parser puts it in req.cookies.",
        "Read req.cookies.last_visit, turn it into a Date, and show its toISOString() in the page.",
        "parseVisitTime(req.cookies[VISIT_COOKIE_NAME]) gives { ok: true, date, iso }; put iso in <time datetime=\"\u2026\">.",
      ],
      name: "The page shows the stored moment, with its ISO 8601 form",
      points: 2,
      requires: ["02.page"],
      async run({ app, setNow }) {
        setNow(LATER_VISIT);
        const exchange = await get(await app(), "/last-visit", cookieHeader(STORED));
        if (showsIso(exchange.body, FIRST_VISIT)) return;
        const showsNow = showsIso(exchange.body, LATER_VISIT);
        fail(showsNow ? "The page shows the current time, not the visit stored in the cookie." : "The page does not show the stored visit in ISO 8601 form.", {
          exchange,
          expected: `the page contains ${STORED} (for example <time datetime="${STORED}">…</time>)`,
          hint: showsNow
            ? `Read the moment from req.cookies.${VISIT_COOKIE}, not from new Date().`
            : `Read req.cookies.${VISIT_COOKIE} (cookie-parser), turn it into a Date, and show date.toISOString().`,
        });
      },
    },
    {
      id: "02.first-visit",
      hints: [
        "A visitor who never came has no cookie: req.cookies.last_visit is undefined. What does your page show then?",
        "Check the value before using it, and choose the message \"No visit recorded yet\" when it is missing or not a date-time.",
        "const visit = parseVisitTime(value); visit.ok ? \u2026show visit.iso\u2026 : html`<p>No visit recorded yet.</p>`",
      ],
      name: "A first-time visitor without the cookie reads 'No visit recorded yet'",
      points: 2,
      requires: ["02.page"],
      async run({ app }) {
        const server = await app();
        expectNoVisitPage(await get(server, "/last-visit"), "to a visitor without cookies");
        expectNoVisitPage(await get(server, "/last-visit", "theme=dark"), "when only other cookies are sent");
      },
    },
    {
      id: "02.no-xss",
      hints: [
        "Anyone can send any cookie. What happens if its value contains <script>?",
        "Never put a cookie into HTML as it is: validate it as a date-time, and escape what you show.",
        "Build the page with the html`` tag from cookie-utils: it escapes every ${value}.",
      ],
      name: "The cookie's content never reaches the page as markup",
      points: 3,
      requires: ["02.page"],
      async run({ app }) {
        const server = await app();
        for (const { value, reflected } of HOSTILE_VALUES) {
          for (const cookie of [cookieHeader(value), `${VISIT_COOKIE}=${value}`]) {
            const exchange = await get(server, "/last-visit", cookie);
            if (!reflected.test(exchange.body)) continue;
            fail("The cookie's content was put into the page as HTML: a reflected cross-site scripting (XSS) hole.", {
              exchange,
              expected: "the value shown escaped (&lt;script&gt;) or not at all",
              hint: "Anyone can send any cookie. Validate it as a date-time, and escape what you show: html`…${value}…` or escapeHtml(value) from cookie-utils.",
            });
          }
        }
      },
    },
    {
      id: "02.read-only",
      name: "Reading /last-visit leaves the cookie alone",
      points: 1,
      requires: ["02.page"],
      async run({ app }) {
        const exchange = await get(await app(), "/last-visit", cookieHeader(STORED));
        if (setCookiesFor(exchange, VISIT_COOKIE).length === 0) return;
        fail("GET /last-visit changes the cookie, so it forgets the visit it should show next time.", {
          exchange,
          cookieName: VISIT_COOKIE,
          expected: `no Set-Cookie for ${VISIT_COOKIE} from /last-visit`,
          hint: "Only GET / records a visit: do not set the cookie in a middleware that runs for every path.",
        });
      },
    },
  ],
};

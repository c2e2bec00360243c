import { BrowserJar } from "@cookie-course/cookie-testing";
import { get } from "../../harness/exchange.js";
import { fail } from "../../harness/failure.js";
import { LATER_VISIT, VISIT_COOKIE, cookieHeader } from "../visit-cookie.js";
import type { Check } from "../../harness/check.js";
import { expectNoVisitPage, pastVisit, showsIso } from "../02-read-last-visit.js";

/**
 * Checks of 02-read-last-visit that ship only with the course, not with the learner edition (Gradescope's "hidden" tests):
 * they grade what the visible checks cannot give away.
 */
export const hiddenChecks: readonly Check[] = [
  {
    id: "02.invalid-values",
    visibility: "hidden",
    name: "A cookie that is no date-time reads 'No visit recorded yet', never an error",
    points: 2,
    requires: ["02.first-visit"],
    async run({ app }) {
      const server = await app();
      const cases: [string, string][] = [
        ["an empty value", `${VISIT_COOKIE}=`],
        ["a word", cookieHeader("yesterday")],
        ["month 13", cookieHeader("2031-13-01T00:00:00.000Z")],
        // Date.parse rolls February 30th over to March 2nd: "it parses" is not "it is a date-time".
        ["February 30th", cookieHeader("2031-02-30T08:09:10.000Z")],
        ["a JSON object cookie (j:)", cookieHeader('j:{"visit":1}')],
        ["a broken percent-encoding", `${VISIT_COOKIE}=%E0%A4%A`],
        ["a 4 kB value", `${VISIT_COOKIE}=${"9".repeat(4000)}`],
      ];
      for (const [label, cookie] of cases) expectNoVisitPage(await get(server, "/last-visit", cookie), `for ${label}`);
    },
  },
  {
    id: "02.after-visit",
    visibility: "hidden",
    name: "After a visit to /, /last-visit shows that visit",
    points: 1,
    requires: ["02.shows-stored", "01.sets-cookie"],
    async run({ app, setNow }) {
      const server = await app();
      const jar = new BrowserJar();
      // Drawn anew on every run, as 02.shows-stored's moments are: a page that knows the checks' moments learns nothing.
      const visit = pastVisit();
      setNow(visit);
      jar.store({ headers: { "set-cookie": [...(await get(server, "/")).setCookie] } });
      setNow(LATER_VISIT);
      const exchange = await get(server, "/last-visit", jar.cookieHeaderFor("/last-visit"));
      if (showsIso(exchange.body, visit)) return;
      fail("After visiting /, the last-visit page does not show that visit.", {
        exchange,
        expected: `the page contains ${visit.toISOString()}, the time of the visit to /`,
        hint: "What / stores must be what /last-visit reads: the same cookie name, and a value your reader accepts.",
      });
    },
  },
];

import { get } from "../../harness/exchange.js";
import { fail } from "../../harness/failure.js";
import { FIRST_VISIT, VISIT_COOKIE, cookieHeader, momentOf, visitCookieOf } from "../visit-cookie.js";
import type { Check } from "../../harness/check.js";

/**
 * Checks of 01-set-datetime-cookie that ship only with the course, not with the learner edition (Gradescope's "hidden" tests):
 * they grade what the visible checks cannot give away.
 */
export const hiddenChecks: readonly Check[] = [
  {
    id: "01.real-clock",
    visibility: "hidden",
    name: "On the real clock, the cookie holds the moment of the request",
    points: 1,
    requires: ["01.holds-visit-time"],
    async run({ app }) {
      const server = await app();
      const before = Date.now();
      const exchange = await get(server, "/");
      const after = Date.now();
      const stored = momentOf(visitCookieOf(exchange).value) ?? Number.NaN;
      // A value written to the second (toUTCString) may be up to 999 ms before the request began.
      if (stored >= Math.floor(before / 1000) * 1000 && stored <= after) return;
      fail("With the real clock, the cookie does not hold the moment of the request.", {
        exchange,
        cookieName: VISIT_COOKIE,
        expected: `a moment between ${new Date(before).toISOString()} and ${new Date(after).toISOString()}`,
        hint: "Take the moment from Date when the request arrives (the GET / handler's `now`), not from another clock or a value made earlier.",
      });
    },
  },
  {
    id: "01.odd-cookies",
    visibility: "hidden",
    name: "GET / still works when the browser sends odd cookies",
    points: 1,
    requires: ["01.home-page"],
    async run({ app, setNow }) {
      setNow(FIRST_VISIT);
      const odd = `${VISIT_COOKIE}=%E0%A4%A; theme=dark; ${cookieHeader('j:{"a":1}')}`;
      const exchange = await get(await app(), "/", odd);
      if (exchange.status === 200) return;
      fail("GET / fails when the browser sends a broken or unexpected last_visit cookie.", {
        exchange,
        expected: "status 200, whatever cookies the browser sends",
        hint: "The home page does not need to read the cookie: set it, whatever the browser sent.",
      });
    },
  },
];

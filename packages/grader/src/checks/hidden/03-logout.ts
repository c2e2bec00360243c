import { BrowserJar } from "@cookie-course/cookie-testing";
import { get } from "../../harness/exchange.js";
import { fail } from "../../harness/failure.js";
import type { Check } from "../../harness/check.js";
import { LOGGED_OUT } from "../03-logout.js";
import { logOut } from "../logout-request.js";
import { GRADER_ORIGIN } from "../visit-cookie.js";

/**
 * Checks of 03-logout that ship only with the course, not with the learner edition (Gradescope's "hidden" tests):
 * they grade what the visible checks cannot give away.
 */
export const hiddenChecks: readonly Check[] = [
  {
    id: "03.without-cookie",
    visibility: "hidden",
    name: "Logging out without a cookie also says 'Successfully logged out'",
    points: 1,
    requires: ["03.page"],
    async run({ app }) {
      const exchange = await logOut(await app());
      if (exchange.status === 200 && LOGGED_OUT.test(exchange.body)) return;
      fail("Logging out without a last_visit cookie does not say 'Successfully logged out'.", {
        exchange,
        expected: 'status 200 and "Successfully logged out", with or without the cookie',
        hint: "Logging out twice is not an error: clear the cookie and answer the same page either way.",
      });
    },
  },
  {
    id: "03.logged-out",
    visibility: "hidden",
    name: "After logging out, /last-visit says 'No visit recorded yet'",
    points: 2,
    requires: ["03.deletes", "02.first-visit", "01.sets-cookie"],
    async run({ app }) {
      const server = await app();
      const jar = new BrowserJar({ origin: GRADER_ORIGIN });
      const carry = async (path: string) => {
        const cookie = jar.cookieHeaderFor(path);
        const exchange = await (path === "/logout" ? logOut(server, cookie) : get(server, path, cookie));
        jar.store({ headers: { "set-cookie": [...exchange.setCookie] } }, { path });
        return exchange;
      };
      await carry("/");
      await carry("/logout");
      const exchange = await carry("/last-visit");
      if (/no visit recorded yet/i.test(exchange.body)) return;
      fail(
        "After a visit and a logout, a browser still has the cookie: /last-visit does not say 'No visit recorded yet'.",
        {
          exchange,
          expected: 'the browser has no last_visit cookie, and the page says "No visit recorded yet"',
          hint: "The deletion must match the cookie a browser holds: same name and Path, Expires in the past.",
        },
      );
    },
  },
];

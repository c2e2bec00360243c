import type { Check } from "../../harness/check.js";
import { get } from "../../harness/exchange.js";
import { fail } from "../../harness/failure.js";
import { FIRST_VISIT, VISIT_COOKIE, judgedLines } from "../visit-cookie.js";

/**
 * Checks of 04-sign-visit-cookie that ship only with the course, not with the learner edition (Gradescope's "hidden"
 * tests): they grade what the visible checks cannot give away.
 */
export const hiddenChecks: readonly Check[] = [
  {
    id: "04.round-trip",
    visibility: "hidden",
    name: "The signed cookie a visit stores, sent back as it is, shows that visit",
    points: 1,
    requires: ["04.signs-cookie"],
    async run({ app, setNow }) {
      setNow(FIRST_VISIT);
      const server = await app();
      // The bytes the browser stores, sent back as they are.
      const stored =
        judgedLines(await get(server, "/"))
          .flatMap(({ verdict }) => (verdict.accepted ? [verdict.cookie.value] : []))
          .at(-1) ?? "";
      const exchange = await get(server, "/last-visit", `${VISIT_COOKIE}=${stored}`);
      if (exchange.body.includes(FIRST_VISIT.toISOString())) return;
      fail("The cookie GET / signed does not show its visit on /last-visit.", {
        exchange,
        expected: `the page shows ${FIRST_VISIT.toISOString()}`,
        hint: "Read it from req.signedCookies, where cookie-parser puts the cookies whose signature it checked; and sign with the secret it checks with: the same one, given once to cookieParser().",
      });
    },
  },
];

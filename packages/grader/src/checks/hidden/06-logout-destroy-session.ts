import type { Check } from "../../harness/check.js";
import { post } from "../../harness/exchange.js";
import { fail } from "../../harness/failure.js";
import { saysLoggedOut } from "../06-logout-destroy-session.js";
import { SIGNED_IN, loggedIn, saysSignedInAs } from "../session-cookie.js";

/**
 * Checks of 06-logout-destroy-session that ship only with the course, not with the learner edition (Gradescope's
 * "hidden" tests): they grade what the visible checks cannot give away.
 */
export const hiddenChecks: readonly Check[] = [
  {
    id: "06.without-session",
    visibility: "hidden",
    name: "POST /logout without a session also says 'Successfully logged out'",
    points: 1,
    requires: ["06.page"],
    async run({ app }) {
      const exchange = await post(await app(), "/logout", {});
      if (saysLoggedOut(exchange)) return;
      fail("POST /logout without a session cookie does not say 'Successfully logged out'.", {
        exchange,
        expected: 'status 200 and "Successfully logged out", with or without a session',
        hint: "Logging out twice, or after the session expired, is not an error: end whatever session there is, and answer the same page.",
      });
    },
  },
  {
    id: "06.other-sessions-live",
    visibility: "hidden",
    name: "Logging out ends only that browser's session: another browser stays signed in, the same user's too",
    points: 1,
    requires: ["06.destroys-session"],
    async run({ app, secrets }) {
      const server = await app();
      const leaving = await loggedIn(server, secrets.cookieSecret);
      // The same user in another browser (a phone beside a laptop), and another user.
      const sameUser = await loggedIn(server, secrets.cookieSecret, leaving.username);
      const otherUser = await loggedIn(server, secrets.cookieSecret);
      await leaving.visitor.post("/logout", {});
      for (const [staying, who] of [
        [sameUser, "the same user"],
        [otherUser, "another user"],
      ] as const) {
        const exchange = await staying.visitor.get("/profile");
        if (saysSignedInAs(exchange.body, staying.username)) continue;
        fail(
          `When ${leaving.username} logged out in one browser, ${who} in another browser (${staying.username}) was logged out too.`,
          {
            exchange,
            expected: `"${SIGNED_IN} ${staying.username}" for the browser that did not log out`,
            hint:
              who === "the same user"
                ? "Logging out ends this browser's session (req.session), not every session of the same user: their other browsers did not ask to leave."
                : "Destroy this request's session (req.session), never every session in the store.",
          },
        );
      }
    },
  },
];

import { randomBytes } from "node:crypto";
import { sign } from "cookie-signature";
import type { Check } from "../../harness/check.js";
import { get } from "../../harness/exchange.js";
import { fail } from "../../harness/failure.js";
import { MAX_USERNAME_LENGTH } from "../05-login-session.js";
import { SIGNED_IN, drawnUsername, loggedIn, saysSignedIn, saysSignedInAs } from "../session-cookie.js";

/**
 * Checks of 05-login-session that ship only with the course, not with the learner edition (Gradescope's "hidden"
 * tests): they grade what the visible checks cannot give away.
 */
export const hiddenChecks: readonly Check[] = [
  {
    id: "05.sessions-apart",
    visibility: "hidden",
    name: "Two browsers logged in at once each see their own name",
    points: 1,
    requires: ["05.profile"],
    async run({ app, secrets }) {
      const server = await app();
      const first = await loggedIn(server, secrets.cookieSecret);
      const second = await loggedIn(server, secrets.cookieSecret);
      const exchange = await first.visitor.get("/profile");
      if (saysSignedInAs(exchange.body, first.username)) return;
      fail(
        `After ${second.username} logged in from another browser, ${first.username}'s profile no longer says "${SIGNED_IN} ${first.username}".`,
        {
          exchange,
          expected: `"${SIGNED_IN} ${first.username}" for the browser that logged in as ${first.username}`,
          hint: "Each visitor has a session of their own: keep who logged in in req.session, never in a variable that every request shares.",
        },
      );
    },
  },
  {
    id: "05.forged-session",
    visibility: "hidden",
    name: "A session cookie with an unknown id, or signed with another secret, signs nobody in",
    points: 1,
    requires: ["05.profile"],
    async run({ app, secrets }) {
      const server = await app();
      const { session } = await loggedIn(server, secrets.cookieSecret);
      const unknownId = randomBytes(24).toString("base64url");
      const forgeries: readonly [string, string][] = [
        [`s:${sign(unknownId, secrets.cookieSecret)}`, "an id the server never gave, signed with its secret"],
        [`s:${sign(unknownId, "a secret anyone could guess")}`, "an id signed with another secret"],
        [unknownId, "an unsigned id"],
      ];
      for (const [value, what] of forgeries) {
        const exchange = await get(server, "/profile", `${session.name}=${encodeURIComponent(value)}`);
        if (!saysSignedIn(exchange.body) && exchange.status < 500) continue;
        fail(
          `For a session cookie holding ${what}, /profile ${exchange.status >= 500 ? `answered ${exchange.status}` : "says someone is signed in"}.`,
          {
            exchange,
            expected: "a page that signs nobody in, and asks the visitor to log in",
            hint: "Let express-session find the session: it checks the signature and looks the id up in the store; the name is in req.session only when both hold.",
          },
        );
      }
    },
  },
  {
    id: "05.longest-username",
    visibility: "hidden",
    name: `A username of exactly ${MAX_USERNAME_LENGTH} characters, emoji counted as one, logs in`,
    points: 1,
    requires: ["05.rejects-bad-username", "05.profile"],
    async run({ app, secrets }) {
      const username = `${"🍪".repeat(MAX_USERNAME_LENGTH - 12)}${drawnUsername().slice(-12)}`;
      const { visitor } = await loggedIn(await app(), secrets.cookieSecret, username);
      const exchange = await visitor.get("/profile");
      if (saysSignedInAs(exchange.body, username)) return;
      fail(
        `Logged in as a username of ${MAX_USERNAME_LENGTH} characters, /profile does not say "${SIGNED_IN}" and the name.`,
        {
          exchange,
          expected: `"${SIGNED_IN}" and the whole name: ${MAX_USERNAME_LENGTH} characters are allowed`,
          hint: "Count characters as a reader does ([...text].length: an emoji is one), not UTF-16 code units (text.length).",
        },
      );
    },
  },
];

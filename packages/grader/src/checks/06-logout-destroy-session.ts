import { judgeDeletion, type BrowserCookie } from "@cookie-course/cookie-testing";
import type { CheckGroup } from "../harness/check.js";
import { get, isHtml, notAnHtmlPage, type Exchange } from "../harness/exchange.js";
import { fail } from "../harness/failure.js";
import { LOGGED_OUT } from "./03-logout.js";
import { pageRequests } from "./form-submission.js";
import { logoutTravelsAs } from "./logout-request.js";
import { firstUnsafeGet } from "./safe-methods.js";
import {
  SIGNED_IN,
  crowd,
  loggedIn,
  saysSignedIn,
  saysSignedInAs,
  sessionCookieOf,
  signedId,
  type Visitor,
} from "./session-cookie.js";
import { GRADER_ORIGIN } from "./visit-cookie.js";

const EXERCISE = "06-logout-destroy-session";

export const checkGroup: CheckGroup = {
  exercise: EXERCISE,
  // From here on a visitor logs out with POST /logout: 03's checks log out so.
  adapts: logoutTravelsAs("POST"),
  adaptsHelp: {
    telltale: "03.deletes",
    change:
      "from 06 on, a visitor logs out with the Log out button, a form that sends POST /logout, so the earlier checks log out with a POST.",
    hints: [
      "The earlier checks log out as a visitor of this app does: with the Log out button, which sends POST /logout. Does your app answer a POST there?",
      'Log out in app.post("/logout", …), not app.get: GET /logout then only shows the page with logoutButton().',
      'app.post("/logout", logOut); in place of app.get("/logout", logOut);',
    ],
  },
  checks: [
    {
      id: "06.destroys-session",
      hints: [
        "Logging out is a POST /logout (the Log out button's form): does your app answer one? Then log in, copy the session cookie's value (DevTools → Application → Cookies), log out, put the cookie back and open /profile. Who is signed in?",
        "Logging out must end the session on the server, where its data is: express-session's req.session.destroy (destroySession(req) in session.ts). Do it in a POST /logout route.",
        'await destroySession(req); in logOut, and app.post("/logout", logOut);',
      ],
      name: "POST /logout ends the session: its old cookie, sent again, signs nobody in",
      points: 4,
      async run({ app, secrets }) {
        const server = await app();
        // On a site in use: an app that destroys sessions only while its store is small must not pass.
        await crowd(server);
        const { visitor, session, username } = await loggedIn(server, secrets.cookieSecret);
        const held = visitor.jar.cookies();
        const logout = await visitor.post("/logout", {});
        const signsIn = await firstCredentialLeft(visitor, held, username);
        if (!signsIn) return;
        const { replayed, sent } = signsIn;
        const cleared = logout.setCookie.some((line) => line.startsWith(`${session.name}=`));
        const others = sent.filter((name) => name !== session.name);
        if (logout.status !== 404 && others.length > 0) {
          fail(
            `After POST /logout, the cookie ${others.join(" and ")} (${sent.includes(session.name) ? "with the old session cookie" : "without the session cookie"}) still signs the browser in: /profile says "${SIGNED_IN} ${username}".`,
            {
              exchange: replayed,
              cookieName: others[0]!,
              expected: "after logging out, nothing the browser holds, nor any cookie it held before, signs anyone in",
              hint: "A second credential (a remember-me token, say) is a session too: logging out ends it on the server and deletes its cookie, or the next visit signs the visitor back in.",
            },
          );
        }
        fail(
          logout.status === 404
            ? "POST /logout answered 404: there is no route to log out with a POST."
            : `After POST /logout, the old session cookie, sent again, still says "${SIGNED_IN} ${username}": the session lives on, on the server.`,
          {
            exchange: logout.status === 404 ? logout : replayed,
            cookieName: session.name,
            expected: "the session ended on the server: the old cookie signs nobody in",
            hint:
              logout.status === 404
                ? 'Log out with a form that POSTs: app.post("/logout", …).'
                : cleared
                  ? "Deleting the cookie only makes this browser forget it: anyone who copied it can still send it. End the session itself, on the server."
                  : "End the session on the server, where its data is: express-session can destroy a session.",
          },
        );
      },
    },
    {
      id: "06.clears-session-cookie",
      hints: [
        "After logging out, look at the browser's cookies: is the session cookie still there?",
        "Delete it as 03 deleted last_visit: res.clearCookie with the cookie's name and the attributes it was set with (sessionCookieOptions()).",
        "res.clearCookie(SESSION_COOKIE_NAME, sessionCookieOptions()); after destroySession(req).",
      ],
      name: "POST /logout deletes the session cookie, with the attributes it was set with",
      points: 3,
      requires: ["06.destroys-session"],
      async run({ app, secrets }) {
        const { visitor, login, session } = await loggedIn(await app(), secrets.cookieSecret);
        const logout = await visitor.post("/logout", {});
        const verdict = judgeDeletion(session.name, login, logout, { origin: GRADER_ORIGIN });
        if (verdict.deleted) return;
        // A new signed id in its place: the session was regenerated, not destroyed, and express-session sent its cookie.
        const renewed = sessionCookieOf(logout, secrets.cookieSecret);
        const renewedId = renewed?.name === session.name ? signedId(renewed.stored, secrets.cookieSecret) : undefined;
        const oldId = signedId(session.stored, secrets.cookieSecret);
        const newSession = renewedId !== undefined && renewedId !== oldId;
        if (renewedId !== undefined && renewedId === oldId) {
          // The only trace of a session kept and emptied a browser can see: express-session sends a changed session's cookie again.
          fail(
            `After POST /logout, the browser keeps the session cookie ${session.name}, with its old id: the session was emptied or changed, not destroyed, and it lives on under its old id.`,
            {
              exchange: logout,
              cookieName: session.name,
              expected: `the session destroyed, and a Set-Cookie for ${session.name} with an Expires in the past`,
              hint: "Removing the username changes the session, so express-session saves it and sends its cookie again after yours. End the session with req.session.destroy (destroySession), then res.clearCookie.",
            },
          );
        }
        fail(`After POST /logout, the browser keeps the session cookie ${session.name}: ${verdict.reason}.`, {
          exchange: logout,
          cookieName: session.name,
          expected: `a Set-Cookie for ${session.name} with an Expires in the past, and the Path (and Domain) it was set with`,
          hint: newSession
            ? "The logout gives the browser a new session, and express-session sends its cookie after yours: req.session.regenerate starts one. End the session with req.session.destroy (destroySession), which starts none, then res.clearCookie."
            : "The session is gone, but the browser keeps sending a dead id until it forgets the cookie: res.clearCookie, with the options the cookie was set with.",
        });
      },
    },
    {
      id: "06.page",
      hints: [
        "What does the page after logging out say?",
        'POST /logout answers the "Log out" page, which says "Successfully logged out", as GET /logout did.',
        'Keep the end of logOut as the starter has it: res.send(page("Log out", html`<p>Successfully logged out.</p>`)), after the cookies are cleared.',
      ],
      name: "POST /logout answers 200 with a page that says 'Successfully logged out'",
      points: 1,
      requires: ["06.destroys-session"],
      async run({ app, secrets }) {
        const { visitor } = await loggedIn(await app(), secrets.cookieSecret);
        const exchange = await visitor.post("/logout", {});
        if (exchange.status === 200 && isHtml(exchange) && LOGGED_OUT.test(exchange.body)) return;
        fail(
          exchange.status === 200 && isHtml(exchange)
            ? "The page of POST /logout does not say 'Successfully logged out'."
            : notAnHtmlPage(exchange),
          {
            exchange,
            expected: 'status 200, text/html, and the words "Successfully logged out"',
            hint: "Answer the logout with a page, not a redirect or an empty response: the visitor needs to see it worked.",
          },
        );
      },
    },
    {
      id: "06.get-changes-nothing",
      hints: [
        "Log in, then open /logout by its address, from a link, from another site's link: are you still signed in, with the same cookies (DevTools → Application → Cookies)? Follow every link the logout page offers, too.",
        "Only POST /logout may log out or touch a cookie. GET /logout shows a page with the logout button, whatever its query or wherever the visitor came from, and neither ends the session nor deletes a cookie.",
        'app.get("/logout", …) sends page("Log out", html`<p>Log out of this site?</p>${logoutButton()}`), and app.post("/logout", logOut);',
      ],
      name: "A GET cannot log anyone out: no GET, from any page or site, ends or renews the session or changes a cookie (but the visit GET / records)",
      points: 2,
      // The starter logs out with a GET: this counts once POST /logout works.
      requires: ["06.destroys-session"],
      async run({ app, secrets }) {
        const { visitor, username } = await loggedIn(await app(), secrets.cookieSecret);
        // The visit cookie too: 03's GET /logout deleted it, and from 06 a GET deletes nothing.
        await visitor.get("/");
        const unsafe = await firstUnsafeGet(visitor, username);
        if (!unsafe) return;
        const { exchange, arrival, change, cookieName, signedOut } = unsafe;
        const request = `${exchange.method} ${exchange.path}`;
        fail(
          signedOut
            ? `After ${request}, ${arrival.told}, /profile no longer says "${SIGNED_IN} ${username}": a GET logged the visitor out${cookieName === undefined ? "" : ` (it ${change})`}.`
            : `${request}, ${arrival.told}, ${change}: a GET must change no cookie.`,
          {
            exchange,
            ...(cookieName === undefined ? {} : { cookieName }),
            expected: "every GET changes nothing: no session ended or renewed, no cookie deleted or changed",
            hint: `Anything can send a GET: a prefetch, a link or an <img src="/logout"> on another site, a confirm link, the address bar. Change state, a cookie or the session, only on POST${
              exchange.path.includes("?") ? ", whatever the query says" : ""
            }.`,
          },
        );
      },
    },
    {
      id: "06.logout-button",
      hints: [
        "How does a visitor log out now, from the pages? A link sends a GET, which no longer logs out.",
        'Make logoutButton() (page.ts) a form with method="post" and action="/logout", and a submit button.',
        'html`<form method="post" action="/logout"><button type="submit">Log out</button></form>` in logoutButton().',
      ],
      name: "The profile page offers a button that POSTs to /logout",
      points: 1,
      requires: ["06.destroys-session"],
      async run({ app, secrets }) {
        const { visitor } = await loggedIn(await app(), secrets.cookieSecret);
        const exchange = await visitor.get("/profile");
        const requests = isHtml(exchange)
          ? pageRequests(exchange.body, new URL(exchange.path, GRADER_ORIGIN).href)
          : [];
        const buttons = requests.filter(({ kind }) => kind === "button");
        const linksToLogout = requests.some(({ kind, url }) => kind === "link" && new URL(url).pathname === "/logout");
        const toLogout = buttons.filter(({ url }) => new URL(url).pathname === "/logout");
        if (toLogout.some(({ method, url }) => method === "POST" && new URL(url).search === "")) return;
        const overridden = toLogout.find(({ method, methodFrom }) => method === "GET" && methodFrom === "button");
        fail(
          overridden
            ? `The profile page's button "${overridden.label}" sends GET /logout: its formmethod="get" wins over the form's method, so a browser never POSTs.`
            : toLogout.length > 0
              ? `The profile page's logout button sends ${toLogout[0]!.method} ${new URL(toLogout[0]!.url).pathname}${new URL(toLogout[0]!.url).search}, not POST /logout: a visitor cannot log out with it.`
              : "The profile page has no button a visitor can press that POSTs to /logout: a visitor cannot log out from it.",
          {
            exchange,
            expected:
              '<form method="post" action="/logout"> with a submit button that is not disabled and keeps the form\'s method and action',
            hint: overridden
              ? "A button's formmethod and formaction replace its form's method and action: remove them from the button."
              : toLogout.length > 0 || linksToLogout
                ? "A link can only GET. Log out with a form: method post, action /logout, and an enabled submit button (no formmethod, formaction or disabled on it)."
                : "Put the button on the profile page: a form with method post and action /logout, and an enabled submit button in it (logoutButton() in page.ts).",
          },
        );
      },
    },
  ],
};

/** Whether a POST /logout answer says the visitor is logged out; for the hidden checks. */
export function saysLoggedOut(exchange: Exchange): boolean {
  return exchange.status === 200 && LOGGED_OUT.test(exchange.body) && !saysSignedIn(exchange.body);
}

/**
 * After a logout, the first set of cookies that still signs `username` in: the browser's cookies as it now holds
 * them (its next visit), and the cookies it held before, all together and each alone, with and without what it
 * holds now (whoever copied one sends it again). Each is sent to /profile as a browser would.
 */
async function firstCredentialLeft(
  visitor: Visitor,
  held: readonly BrowserCookie[],
  username: string,
): Promise<{ replayed: Exchange; sent: string[] } | undefined> {
  const now = visitor.jar.cookies();
  const candidates: (readonly BrowserCookie[])[] = [
    held,
    now,
    ...held.map((cookie) => [cookie]),
    ...held.map((cookie) => [...now.filter(({ name }) => name !== cookie.name), cookie]),
  ];
  const tried = new Set<string>();
  for (const cookies of candidates) {
    const header = cookies.map(({ name, value }) => `${name}=${value}`).join("; ");
    if (header === "" || tried.has(header)) continue;
    tried.add(header);
    const replayed = await get(visitor.app, "/profile", header);
    if (saysSignedInAs(replayed.body, username)) return { replayed, sent: cookies.map(({ name }) => name) };
  }
  return undefined;
}

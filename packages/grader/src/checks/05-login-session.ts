import { randomBytes, randomInt } from "node:crypto";
import { parse, type DefaultTreeAdapterMap } from "parse5";
import type { CheckGroup } from "../harness/check.js";
import { get, isHtml, notAnHtmlPage, post, type Exchange } from "../harness/exchange.js";
import { fail } from "../harness/failure.js";
import { escapingHint, everyPage, judgeAnswer, landing, requestOf } from "./every-page.js";
import { breakoutValues, drawnMarker } from "./markup.js";
import {
  DEFAULT_SESSION_COOKIE,
  SIGNED_IN,
  drawnUsername,
  loggedIn,
  pageText,
  redirectsToProfile,
  saysSignedIn,
  saysSignedInAs,
  sessionCookieOf,
  storedCookies,
  tryLogIn,
  Visitor,
  crowd,
} from "./session-cookie.js";
import {
  judgeNotMadeFromName,
  judgeNothingButTheSignedId,
  judgeSigningAttributes,
  judgeSigningSecure,
  visitSignedIn,
} from "./signed-in-jar.js";
import { BEFORE_LOGIN_PAGES, walk } from "./site-walk.js";
import { pageRequests } from "./form-submission.js";
import { GRADER_ORIGIN, VISIT_COOKIE } from "./visit-cookie.js";
import type { App } from "../harness/session.js";

const EXERCISE = "05-login-session";
/** The longest username the exercise's README asks the app to accept. */
export const MAX_USERNAME_LENGTH = 64;

type Element = DefaultTreeAdapterMap["element"];

export const checkGroup: CheckGroup = {
  exercise: EXERCISE,
  checks: [
    {
      id: "05.starts-session",
      hints: [
        "Submit the login form: what does POST /login answer, and does it set a cookie? Nothing can remember the visitor until a session exists.",
        "Set up express-session with app.use(session({ … })) before the routes, then in POST /login give the session a new id (regenerateSession), store the username in req.session, save it, and redirect to /profile.",
        'app.use(session({ name: SESSION_COOKIE_NAME, secret, store: sessionStore, saveUninitialized: false, resave: false, cookie: sessionCookieOptions() })); then in POST /login: const form = readUsername(req.body); if (form.ok) { await regenerateSession(req); req.session.username = form.username; await saveSession(req); res.redirect(303, "/profile"); }',
      ],
      name: "POST /login with a username starts a session: a session cookie, and a redirect to /profile",
      points: 3,
      async run({ app, secrets }) {
        const exchange = await post(await app(), "/login", { username: drawnUsername() });
        const session = sessionCookieOf(exchange, secrets.cookieSecret);
        if (redirectsToProfile(exchange) && session) return;
        if (exchange.status === 404) {
          fail("POST /login answered 404: there is no route for the login form.", {
            exchange,
            expected: "a redirect (303 or 302) to /profile, with a Set-Cookie for the session",
            hint: 'Handle the form where it is sent: app.post("/login", …). GET /login shows the form; POST /login receives it.',
          });
        }
        if (!session) {
          fail("Logging in stores no session cookie in the browser.", {
            exchange,
            expected: "a Set-Cookie for the session cookie, which holds the session's signed id",
            hint:
              exchange.setCookie.length > 0
                ? "The only cookie set is deleted or rejected by a browser: express-session sets its own once the session holds something (saveUninitialized: false)."
                : "express-session sets its cookie when the session holds something: is app.use(session(…)) set up before the routes, and does POST /login store the username in req.session?",
          });
        }
        fail(
          exchange.status >= 300 && exchange.status < 400
            ? `Logging in redirects to ${JSON.stringify(exchange.location ?? "(no Location)")}, not to /profile.`
            : `Logging in answered ${exchange.status}, not a redirect to /profile.`,
          {
            exchange,
            expected: "status 303 (or 302) with Location: /profile",
            hint: 'Answer a form with a redirect: the browser then loads /profile with a GET, and reloading that page does not send the form again. res.redirect(303, "/profile").',
          },
        );
      },
    },
    {
      id: "05.profile",
      hints: [
        "Log in, then open /profile: does it say who you are? The session's data is on the server; the browser brings only the id.",
        'In GET /profile, read the name you stored at login from req.session, and show it in the page: "Signed in as" and the name.',
        "const username = req.session.username; and the page says html`<p>Signed in as <strong>${username}</strong>.</p>` when it is not undefined.",
      ],
      name: "After logging in, /profile says 'Signed in as NAME'",
      points: 3,
      requires: ["05.starts-session"],
      async run({ app, secrets }) {
        const { visitor, username } = await loggedIn(await app(), secrets.cookieSecret);
        const exchange = await visitor.get("/profile");
        if (exchange.status === 200 && isHtml(exchange) && saysSignedInAs(exchange.body, username)) return;
        fail(
          exchange.status === 200 && isHtml(exchange)
            ? `After logging in as ${username}, /profile does not say "${SIGNED_IN} ${username}".`
            : notAnHtmlPage(exchange),
          {
            exchange,
            expected: `status 200, text/html, and the words "${SIGNED_IN} ${username}"`,
            hint: saysSignedIn(exchange.body)
              ? "The page says someone is signed in, but not the name this browser logged in with: read it from req.session, where POST /login stored it."
              : "The browser sent the session cookie: read the name from req.session.username, and show it.",
          },
        );
      },
    },
    {
      id: "05.own-cookie-name",
      hints: [
        "Look at the session cookie's name in DevTools → Application → Cookies. Whose name is it?",
        "express-session calls its cookie connect.sid unless told otherwise: its `name` option sets another.",
        "name: SESSION_COOKIE_NAME, in the options of session({ … }).",
      ],
      name: "The session cookie has its own name, not express-session's default connect.sid",
      points: 1,
      requires: ["05.starts-session"],
      async run({ app, secrets }) {
        const { login, session } = await loggedIn(await app(), secrets.cookieSecret);
        if (session.name !== DEFAULT_SESSION_COOKIE) return;
        fail(`The session cookie is named ${DEFAULT_SESSION_COOKIE}, express-session's default.`, {
          exchange: login,
          cookieName: session.name,
          expected: "a session cookie with a name of the app's own",
          hint: "The default name tells every visitor which software runs the site, and two apps on one host that both use it overwrite each other's sessions. Give session() a name.",
        });
      },
    },
    {
      id: "05.cookie-attributes",
      hints: [
        "Compare the session cookie's attributes (DevTools → Application → Cookies) with last_visit's: which are missing?",
        "express-session takes the cookie's attributes in its `cookie` option: httpOnly, sameSite, path, secure. sessionCookieOptions() is where they go.",
        'return { httpOnly: true, sameSite: "lax", path: "/", secure: production, maxAge: SESSION_LIFETIME_MS }; in sessionCookieOptions().',
      ],
      name: "The session cookie, and any cookie that signs the visitor in, is HttpOnly, SameSite=Lax, on Path=/, with no Domain, in development and in production",
      points: 2,
      requires: ["05.starts-session"],
      async run({ app, productionApp, secrets }) {
        const server = await app();
        judgeSigningAttributes(await visitSignedIn(server, await loggedIn(server, secrets.cookieSecret)), "");
        // Production is judged whole: an app whose attributes depend on NODE_ENV is judged where it runs for real.
        // A production login that stores no session cookie is 05.secure-in-production's to report.
        const production = await productionApp();
        const signedIn = await tryLogIn(production, secrets.cookieSecret);
        if (signedIn.session)
          judgeSigningAttributes(
            await visitSignedIn(production, { ...signedIn, session: signedIn.session }),
            "In production, ",
          );
      },
    },
    {
      id: "05.secure-in-production",
      hints: [
        "Start the app with NODE_ENV=production and log in: is the session cookie marked Secure?",
        "secure: true in express-session's cookie option, in production only (the `production` argument of sessionCookieOptions). express-session then sends the cookie only over HTTPS.",
        "secure: production, among the options sessionCookieOptions() returns.",
      ],
      name: "In production (over HTTPS), logging in sets the session cookie Secure",
      points: 1,
      requires: ["05.starts-session"],
      async run({ productionApp, secrets }) {
        // The production app's connections are HTTPS to it (req.secure), as behind a server that ends TLS.
        const server = await productionApp();
        const exchange = await post(server, "/login", { username: drawnUsername() });
        const insecure = [...storedCookies(exchange).values()].find(
          ({ verdict }) => verdict.accepted && !verdict.cookie.secure,
        );
        const session = sessionCookieOf(exchange, secrets.cookieSecret);
        if (redirectsToProfile(exchange) && !insecure && session !== undefined) {
          // The login's own answer is right: so must be every cookie that signs in, set on whichever page.
          const signedIn = await tryLogIn(server, secrets.cookieSecret);
          if (signedIn.session)
            judgeSigningSecure(await visitSignedIn(server, { ...signedIn, session: signedIn.session }));
          return;
        }
        fail(
          insecure
            ? "In production, the session cookie is sent without Secure: over plain HTTP, anyone on the network can copy it and take the session."
            : redirectsToProfile(exchange)
              ? "In production, logging in over HTTPS sets no session cookie: nobody can stay signed in."
              : "In production, logging in does not redirect to /profile.",
          {
            exchange,
            ...(insecure?.verdict.accepted ? { cookieName: insecure.verdict.cookie.name } : {}),
            expected: "over HTTPS, a redirect to /profile and a session cookie marked Secure",
            hint: 'In production the session cookie must be Secure: secure: process.env.NODE_ENV === "production", as for last_visit.',
          },
        );
      },
    },
    {
      id: "05.no-cookie-before-login",
      hints: [
        "Open the site in a fresh browser and look at its cookies before you log in: is there a session cookie already?",
        "express-session stores and sets a cookie for every visitor unless saveUninitialized is false: then only a session that holds something is saved.",
        "saveUninitialized: false, in the options of session({ … }).",
      ],
      name: "No session cookie before login: /, /login and /profile set none",
      points: 1,
      requires: ["05.starts-session"],
      async run({ app }) {
        const server = await app();
        for (const path of ["/", "/login", "/profile", "/last-visit"]) {
          const exchange = await get(server, path);
          const [name] = storedCookies(exchange).keys();
          if (name === undefined) continue;
          fail(`GET ${path}, before any login, sets the cookie ${name}.`, {
            exchange,
            cookieName: name,
            expected: "no cookie but last_visit before the visitor logs in",
            hint: "A session that holds nothing need not be stored, nor its cookie sent: saveUninitialized: false.",
          });
        }
        // The same pages in one browser, as a visitor opens them: it holds last_visit by now, follows redirects and
        // links, and reaches the login page with where to go next.
        const steps = await walk(new Visitor(server), BEFORE_LOGIN_PAGES);
        for (const { exchange, cookies } of steps) {
          const session = cookies.find(({ name }) => name !== VISIT_COOKIE);
          if (!session) continue;
          const returning = (exchange.cookie ?? "")
            .split(";")
            .some((pair) => pair.trim().startsWith(`${VISIT_COOKIE}=`));
          const held = returning ? `, for a visitor who already holds ${VISIT_COOKIE}` : "";
          fail(`GET ${exchange.path}, before any login, sets the cookie ${session.name}${held}.`, {
            exchange,
            cookieName: session.name,
            expected:
              "no cookie but last_visit before the visitor logs in, whatever page they open and with whatever query",
            hint: "A session starts at login, not before: store nothing in req.session for a visitor who has not logged in (a page to go back to can travel in the form, or in the query).",
          });
        }
      },
    },
    {
      id: "05.only-signed-id",
      hints: [
        "Look at what logging in stores in the browser: which cookies, and what do their values say?",
        "The browser must get only the session's id, signed (express-session signs it with its secret, COOKIE_SECRET): the name stays in req.session, on the server. No res.cookie for the name or the id.",
        "secret, in the options of session({ … }): the same secret cookie-parser has; and no res.cookie in POST /login.",
      ],
      name: "The browser gets only the session id, signed with COOKIE_SECRET: the username stays on the server",
      points: 2,
      requires: ["05.starts-session"],
      async run({ app, productionApp, secrets }) {
        const secret = secrets.cookieSecret;
        const server = await app();
        const visitAs = async (username: string) => visitSignedIn(server, await loggedIn(server, secret, username));
        const visit = await visitAs(drawnUsername());
        judgeNothingButTheSignedId(visit, secret, "");
        await judgeNotMadeFromName(visit, visitAs, "");
        // Production is judged whole, when its login stores a session cookie at all (05.secure-in-production says so
        // when it does not).
        const production = await productionApp();
        const signedIn = await tryLogIn(production, secret);
        if (!signedIn.session) return;
        const productionVisit = await visitSignedIn(production, { ...signedIn, session: signedIn.session });
        judgeNothingButTheSignedId(productionVisit, secret, "In production, ");
        await judgeNotMadeFromName(
          productionVisit,
          async (username) => visitSignedIn(production, await loggedIn(production, secret, username)),
          "In production, ",
        );
      },
    },
    {
      id: "05.regenerates",
      hints: [
        "Log in twice in the same browser, as two people: does the session cookie's id change at the second login?",
        "Give the session a new id at every login, before you store the username: express-session's req.session.regenerate, which regenerateSession(req) wraps in a promise.",
        "await regenerateSession(req); before req.session.username = form.username;",
      ],
      name: "Logging in gives a new session id: a session cookie from before the login signs nobody in",
      points: 3,
      requires: ["05.starts-session", "05.profile"],
      async run({ app, secrets }) {
        const server = await app();
        await crowd(server);
        await judgePreLoginSessionRenewed(server);
        await judgeIdNotChosenByVisitor(server);
        // The attacker logs in as themselves and plants that cookie in the victim's browser; the victim logs in.
        const attacker = await loggedIn(server, secrets.cookieSecret);
        const plantedCookie = attacker.visitor.cookieFor("/profile");
        const victim = attacker.visitor;
        const victimName = drawnUsername();
        const login = await victim.logIn(victimName);
        // The attacker's own browser still holds the planted cookie.
        const exchange = await get(server, "/profile", plantedCookie);
        if (!saysSignedInAs(exchange.body, victimName)) {
          // A planted cookie proves nothing when the second login did not take: the browser must now be the victim's.
          const own = await victim.get("/profile");
          if (saysSignedInAs(own.body, victimName)) return;
          fail(
            `Logged in as ${attacker.username}, then as ${victimName} in the same browser: /profile does not say "${SIGNED_IN} ${victimName}". The second login did not sign the new person in.`,
            {
              exchange: own,
              cookieName: attacker.session.name,
              expected: `"${SIGNED_IN} ${victimName}" after ${victimName} logs in, whoever was signed in before`,
              hint: "A login always starts a new session for the person who logs in, even in a browser where someone else is signed in: give the session a new id, then store the new name in it.",
            },
          );
        }
        fail(
          `Logged in as ${attacker.username}, then as ${victimName} in the same browser: the session cookie from before the second login now says "${SIGNED_IN} ${victimName}". The session id did not change at login (session fixation).`,
          {
            exchange,
            cookieName: attacker.session.name,
            expected: `the cookie from before the login does not say "${SIGNED_IN} ${victimName}"`,
            hint: `Someone who plants their own session cookie in a browser before its owner logs in would share the session. ${login.setCookie.length === 0 ? "The login sent no new cookie: the id stayed the same." : ""} Give the session a new id at login.`.trim(),
          },
        );
      },
    },
    {
      id: "05.escapes-name",
      hints: [
        "Log in as <b>me</b>: does /profile show the tags, or bold text? And the other pages, the tab's title, the page source, the 400 page of a name that is too long?",
        "The username is what someone typed: put it into every page through the html`` tag (or escapeHtml), which turns < into &lt; and keeps the text as typed. A <title>, a comment or a <script> is no exception: each ends at its own end tag.",
        "html`<p>Signed in as <strong>${username}</strong>.</p>`, never a plain template string; and the name nowhere else but through html``.",
      ],
      name: "Every page shows the username as the text typed: markup in it is escaped wherever it appears",
      points: 2,
      requires: ["05.profile"],
      async run({ app, secrets }) {
        const server = await app();
        const marker = drawnMarker();
        // Each name breaks out of every place a page can put it (text, each attribute quoting, <title>, comments,
        // scripts…), and is looked for on every page, as the README says: the name is escaped wherever it appears.
        for (const username of breakoutValues(marker)) {
          // A name too long to accept, that begins with the hostile one: the 400 page may show what was refused.
          const refused = `${username}${drawnText(MAX_USERNAME_LENGTH + randomInt(1, 16) - [...username].length)}`;
          const rejected = await post(server, "/login", { username: refused });
          failIfNotEscaped(rejected, marker, username, `Sent the too-long username ${JSON.stringify(refused)}`);
          const { visitor } = await loggedIn(server, secrets.cookieSecret, username);
          for (const path of everyPage())
            failIfNotEscaped(await visitor.get(path), marker, username, `Logged in as ${JSON.stringify(username)}`);
        }
      },
    },
    {
      id: "05.rejects-bad-username",
      hints: [
        "Submit the form empty, or with a very long name: what comes back?",
        `Check the username before you start a session: readUsername(req.body) says what is wrong with it (missing, empty, over ${MAX_USERNAME_LENGTH} characters). Answer status 400 with a page that says so.`,
        'res.status(400).send(page("Log in", html`<p role="alert">${form.problem}</p>${loginForm()}`)); when !form.ok, then return.',
      ],
      name: `A missing, empty or over-long (over ${MAX_USERNAME_LENGTH} characters) username gets a 400 page that says why, and no session`,
      points: 2,
      requires: ["05.starts-session"],
      async run({ app }) {
        const server = await app();
        // Drawn anew on every run, as the names are: a page that knows the checks' inputs would otherwise pass.
        const spaces = " ".repeat(randomInt(1, 9));
        const longer = randomInt(MAX_USERNAME_LENGTH + 2, 4 * MAX_USERNAME_LENGTH);
        const tooLong = {
          says: new RegExp(`too long|${MAX_USERNAME_LENGTH}`, "i"),
          words: `"too long" or ${MAX_USERNAME_LENGTH}`,
        };
        const cases: readonly { form: Record<string, string>; what: string; says: RegExp; words: string }[] = [
          { form: {}, what: "no username field", says: /username/i, words: "the word username" },
          { form: { username: "" }, what: "an empty username", says: /username/i, words: "the word username" },
          {
            form: { username: spaces },
            what: `a username of ${spaces.length} spaces`,
            says: /username/i,
            words: "the word username",
          },
          {
            form: { username: drawnText(MAX_USERNAME_LENGTH + 1) },
            what: `a username of ${MAX_USERNAME_LENGTH + 1} characters`,
            ...tooLong,
          },
          { form: { username: drawnText(longer) }, what: `a username of ${longer} characters`, ...tooLong },
        ];
        for (const { form, what, says, words } of cases) {
          const exchange = await post(server, "/login", form);
          const [cookie] = storedCookies(exchange).keys();
          if (exchange.status === 400 && isHtml(exchange) && says.test(pageText(exchange.body)) && cookie === undefined)
            continue;
          fail(
            cookie !== undefined
              ? `For ${what}, the login sets the cookie ${cookie}: a rejected login must start no session.`
              : exchange.status !== 400
                ? `For ${what}, the login answered ${exchange.status}, not 400.`
                : !isHtml(exchange)
                  ? `For ${what}, the 400 answer is not an HTML page.`
                  : `For ${what}, the 400 page does not say why (${words}).`,
            {
              exchange,
              expected: `status 400, an HTML page that says why (${words}), and no session cookie`,
              hint: "Check the form before the session starts, and say what is wrong: the visitor needs to know what to fix.",
            },
          );
        }
      },
    },
    {
      id: "05.login-form",
      hints: [
        "Open /login: is there a form, and where does it send what you type?",
        'The form posts to /login (method="post", action="/login") and its field is named username: that is what req.body.username reads.',
        'Keep GET /login as the starter has it: res.send(page("Log in", loginForm())), where loginForm() has method="post", action="/login" and an input named username.',
      ],
      name: "GET /login shows a form that posts a username to /login",
      points: 1,
      requires: ["05.starts-session"],
      async run({ app }) {
        const exchange = await get(await app(), "/login");
        if (exchange.status !== 200 || !isHtml(exchange)) {
          fail(notAnHtmlPage(exchange), {
            exchange,
            expected: "status 200 and an HTML page with the login form",
            hint: "Keep the starter's GET /login handler: it sends the form.",
          });
        }
        if (hasLoginForm(exchange)) return;
        fail("GET /login shows no form that posts a username to /login.", {
          exchange,
          expected: '<form method="post" action="/login"> with a field named username',
          hint: 'Keep the starter\'s loginForm(): method="post", action="/login", and an input named username.',
        });
      },
    },
    {
      id: "05.profile-asks-to-log-in",
      hints: [
        "Open /profile in a fresh browser, or after deleting the session cookie: what does it say?",
        "When req.session.username is undefined, nobody is signed in: say so, with a link to /login.",
        'html`<p>You are not signed in. <a href="/login">Log in</a> to see your profile.</p>` when username is undefined.',
      ],
      name: "Without a session, /profile asks the visitor to log in",
      points: 1,
      // The starter's profile page signs nobody in: it counts once a login shows on it.
      requires: ["05.profile"],
      async run({ app }) {
        const exchange = await get(await app(), "/profile");
        if (asksToLogIn(exchange)) return;
        fail(
          saysSignedIn(exchange.body)
            ? "Without a session, /profile says someone is signed in."
            : "Without a session, /profile does not ask the visitor to log in.",
          {
            exchange,
            expected: "a page that links to /login (or a redirect to /login), and no one signed in",
            hint: "A visitor without a session is nobody in particular: say so, and link to /login.",
          },
        );
      },
    },
  ],
};

/**
 * Fails 05.escapes-name when a page does not show the name as escaped text: it made markup, sits as typed where only
 * an end tag stops it, or shows as other text than was typed. The message names the request, the line and the place.
 */
function failIfNotEscaped(exchange: Exchange, marker: string, username: string, done: string): void {
  const found = judgeAnswer(exchange, marker, username);
  if (!found) return;
  const did = {
    markup: "makes it markup",
    unescaped: "puts it into the page unescaped",
    "not-as-typed": "does not show it as typed",
  }[found.kind];
  fail([`${done}, ${requestOf(exchange)} ${did}.`, ...landing(found)].join("\n"), {
    exchange,
    expected: "the name shown as text on every page, with < > \" ' & escaped, exactly as typed",
    hint: `Whatever a visitor typed can run as script in a page that does not escape it (XSS), on any page that shows it. ${escapingHint(found)}`,
  });
}

/** Letters and digits, drawn anew: a username of exactly this many characters. */
function drawnText(length: number): string {
  return randomBytes(length).toString("base64url").replace(/[-_]/g, "x").slice(0, length);
}

/** Whether a page holds a form that posts a username to /login (an absent action posts to the page's own URL). */
function hasLoginForm(exchange: Exchange): boolean {
  const forms: Element[] = [];
  const visit = (node: DefaultTreeAdapterMap["node"]) => {
    if ("tagName" in node && node.tagName === "form") forms.push(node);
    for (const child of "childNodes" in node ? node.childNodes : []) visit(child);
  };
  visit(parse(exchange.body.slice(0, 200_000)));
  const attribute = (element: Element, name: string) => element.attrs.find((attr) => attr.name === name)?.value;
  const hasUsernameField = (node: DefaultTreeAdapterMap["node"]): boolean =>
    ("tagName" in node && ["input", "textarea"].includes(node.tagName) && attribute(node, "name") === "username") ||
    ("childNodes" in node && node.childNodes.some(hasUsernameField));
  return forms.some((form) => {
    const action = new URL(attribute(form, "action") ?? "", new URL("/login", "http://localhost")).pathname;
    return attribute(form, "method")?.toLowerCase() === "post" && action === "/login" && hasUsernameField(form);
  });
}

/** Whether an answer asks the visitor to log in: a redirect to /login, or a page that links there and signs nobody in. */
export function asksToLogIn(exchange: Exchange): boolean {
  if (exchange.status >= 300 && exchange.status < 400)
    return new URL(exchange.location ?? "", "http://localhost/profile").pathname === "/login";
  return (
    [200, 401].includes(exchange.status) &&
    isHtml(exchange) &&
    !saysSignedIn(exchange.body) &&
    (/href=["']?\/login\b/i.test(exchange.body) || /log ?in|sign ?in/i.test(pageText(exchange.body)))
  );
}

/**
 * Session fixation with a session from before any login: the attacker opens the site's pages (a login page with a
 * `next`, a profile page with last_visit held), keeps whatever session cookie they got, and plants it in the victim's
 * browser; the victim logs in. A login that renews the id only for someone already signed in lets the attacker in.
 * An app that starts no session before login gives nothing to plant (05.no-cookie-before-login judges that).
 */
/**
 * Names a link or a form may carry a session id under ("continue on another device": /login?resume=…): the names
 * cannot be found by reading the app's pages, so the login is sent with all of them.
 */
const SESSION_ID_NAMES = [
  "sid",
  "session",
  "sessionId",
  "session_id",
  "sessid",
  "resume",
  "token",
  "id",
  "connect.sid",
];

/**
 * Fixation through a link: two browsers log in through the same /login link, its query (and the login's fields)
 * holding one id under each of {@link SESSION_ID_NAMES}. The first one's cookie must not sign in the second person:
 * if it does, the id came from the link, and an attacker who sends the link holds the session of whoever follows it.
 */
async function judgeIdNotChosenByVisitor(server: App): Promise<void> {
  const id = randomBytes(24).toString("base64url");
  const link = `/login?${SESSION_ID_NAMES.map((name) => `${encodeURIComponent(name)}=${id}`).join("&")}`;
  const logInThroughLink = async (visitor: Visitor, username: string) => {
    const page = await visitor.get(link);
    // The form the page shows, submitted as the browser submits it (its hidden fields too), with the id beside.
    const form = isHtml(page)
      ? pageRequests(page.body, new URL(link, GRADER_ORIGIN).href).find(
          ({ method, url }) => method === "POST" && new URL(url).pathname === "/login",
        )
      : undefined;
    const fields = new Map(form?.fields ?? []);
    fields.set("username", username);
    for (const name of SESSION_ID_NAMES) if (!fields.has(name)) fields.set(name, id);
    const action = new URL(form?.url ?? link, GRADER_ORIGIN);
    return visitor.post(`${action.pathname}${action.search}`, Object.fromEntries(fields));
  };
  const attacker = new Visitor(server);
  await logInThroughLink(attacker, drawnUsername());
  const planted = attacker.cookieFor("/profile");
  if (planted === undefined) return;
  const victimName = drawnUsername();
  const victim = new Visitor(server);
  await logInThroughLink(victim, victimName);
  // The same cookie in both browsers is the link's doing; different ones that both show the last login are a
  // username shared by every request, which 05.sessions-apart judges.
  const sameCookie = attacker.jar
    .cookies()
    .some((held) => victim.jar.cookies().some(({ name, value }) => name === held.name && value === held.value));
  if (!sameCookie) return;
  const exchange = await get(server, "/profile", planted);
  if (!saysSignedInAs(exchange.body, victimName)) return;
  fail(
    `Two browsers logged in through the same link, ${link.slice(0, 60)}…, the first as someone else, the second as ${victimName}: the first browser's session cookie now says "${SIGNED_IN} ${victimName}". The session id came from the link or the form, not from the server (session fixation: whoever sends the link holds the session of whoever follows it).`,
    {
      exchange,
      expected: `the first browser's cookie does not say "${SIGNED_IN} ${victimName}"`,
      hint: "A session id must be the server's own random choice: leave express-session's genid alone (it draws 24 random bytes), and never take an id from a query, a form field or a header.",
    },
  );
}

async function judgePreLoginSessionRenewed(server: App): Promise<void> {
  const browser = new Visitor(server);
  const steps = await walk(browser, BEFORE_LOGIN_PAGES);
  const planted = browser.cookieFor("/profile");
  const preLogin = browser.jar.cookies().find(({ name }) => name !== VISIT_COOKIE);
  if (planted === undefined || !preLogin) return;
  const victimName = drawnUsername();
  const login = await browser.logIn(victimName);
  const exchange = await get(server, "/profile", planted);
  if (!saysSignedInAs(exchange.body, victimName)) return;
  const where =
    steps.find(({ cookies }) => cookies.some(({ name }) => name === preLogin.name))?.exchange.path ?? "a page";
  fail(
    `The session cookie ${preLogin.name} that GET ${where} set before any login now says "${SIGNED_IN} ${victimName}" once ${victimName} logged in, in the browser that held it. The session id did not change at login (session fixation).`,
    {
      exchange,
      cookieName: preLogin.name,
      expected: `a cookie from before the login does not say "${SIGNED_IN} ${victimName}"`,
      hint: `Someone who plants a session cookie from before any login in a browser would share the session of whoever logs in there. ${
        login.setCookie.length === 0 ? "The login sent no new cookie: the id stayed the same. " : ""
      }Give the session a new id at every login, whoever was signed in before: await regenerateSession(req), with no condition.`,
    },
  );
}

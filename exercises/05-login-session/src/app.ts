import { randomBytes } from "node:crypto";
import {
  VISIT_COOKIE_NAME,
  formatVisitTime,
  html,
  parseVisitTime,
  visitCookieOptions,
} from "@cookie-course/cookie-utils";
import cookieParser from "cookie-parser";
import express, { type Express } from "express";
import session, { type Store } from "express-session";
import { page } from "./page.js";
import { SESSION_COOKIE_NAME, regenerateSession, saveSession, sessionCookieOptions } from "./session.js";
import { MAX_USERNAME_LENGTH, readUsername } from "./username.js";

export interface AppOptions {
  /**
   * Where the sessions are kept, on the server. Left out (in tests, and when the grader builds the app), each app
   * gets a MemoryStore of its own; server.ts passes a store fit for production.
   */
  readonly sessionStore?: Store;
}

export function createApp({ sessionStore = new session.MemoryStore() }: AppOptions = {}): Express {
  const app = express();
  // Behind a proxy on this machine that ends HTTPS, the app's connection is plain HTTP: trusting that proxy's
  // X-Forwarded-Proto tells Express (req.secure) and express-session that the visitor came over HTTPS. Only a proxy
  // on loopback is trusted: a visitor who reaches the app directly cannot claim HTTPS with a header.
  app.set("trust proxy", "loopback");
  // Built here rather than at import, so the app made in a test with NODE_ENV=production gets Secure cookies.
  const cookieOptions = visitCookieOptions();
  // One secret signs the visit cookie and the session cookie: both come back from the browser and must be ours.
  const secret = cookieSecret();

  app.disable("x-powered-by");
  app.use(cookieParser(secret));
  // The login form's fields; a username is short, and so is any honest form.
  app.use(express.urlencoded({ extended: false, limit: "4kb" }));
  // 🐨 Set up express-session (imported as `session`) here, before the routes that use req.session. Give it:
  //    - `name`: SESSION_COOKIE_NAME, the cookie's own name;
  //    - `secret`: the same secret as cookie-parser, which signs the session id in the cookie;
  //    - `store`: the sessionStore that createApp was given;
  //    - `saveUninitialized` and `resave`, both false (the 🦉 says why);
  //    - `cookie`: sessionCookieOptions(), from ./session.js.
  // 🦉 saveUninitialized: false sets no cookie and stores nothing until someone logs in. resave: false writes a
  //    session back only when it changed, so that two requests at once cannot undo each other's changes.
  // 📜 https://expressjs.com/en/resources/middleware/session.html
  app.use((_req, res, next) => {
    // These pages depend on the visitor's cookie: no shared cache may keep one visitor's page for another.
    res.set("Cache-Control", "no-store");
    next();
  });

  app.get("/", (_req, res) => {
    const now = new Date();
    // Signed: the value travels with an HMAC of it, so that a visitor cannot change it unnoticed.
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), { ...cookieOptions, signed: true });
    res.send(
      page(
        "Welcome",
        html`<p>You are visiting at <time datetime="${formatVisitTime(now)}">${now.toUTCString()}</time>.</p>
      <p>This site remembers the moment of your visit in a cookie named <code>${VISIT_COOKIE_NAME}</code>.</p>`,
      ),
    );
  });

  app.get("/last-visit", (req, res) => {
    // Only a value this server signed: req.signedCookies holds it when its signature verifies, false when it was
    // changed, and nothing for an unsigned one. Parse it strictly all the same, and let html`` escape what we show.
    const visit = parseVisitTime(req.signedCookies[VISIT_COOKIE_NAME]);
    const content = visit.ok
      ? html`<p>Your last visit was at <time datetime="${visit.iso}">${visit.date.toUTCString()}</time>.</p>`
      : html`<p>No visit recorded yet.</p>`;
    res.send(page("Last visit", content));
  });

  app.get("/login", (_req, res) => {
    res.send(page("Log in", loginForm()));
  });

  app.post("/login", async (req, res) => {
    // 🐨 Read the username from the form: readUsername(req.body) (./username.js) answers either
    //    { ok: true, username } or { ok: false, problem }. When it is not ok, answer status 400 with the "Log in"
    //    page: the problem in a paragraph, then loginForm() again, so that the visitor can correct it.
    // 🦉 The form is the visitor's input: the field may be missing, empty, repeated, or far too long to show.
    // 🐨 Log the visitor in, in this order:
    //    1. give the session a new id: regenerateSession(req), from ./session.js (it wraps req.session.regenerate);
    //    2. remember who logged in: req.session.username;
    //    3. store the session before answering: saveSession(req);
    //    4. redirect to /profile with status 303.
    // 🦉 Why a new id: someone who planted their own session cookie in this browser before the login (session
    //    fixation) would otherwise be logged in as the visitor, with the same id.
    // 📜 The lesson (lesson/README.md), §8 "Sessions with express-session"
    // 📜 https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#renew-the-session-id-after-any-privilege-level-change
    res.send(page("Log in", html`<p>🐨 Logging in is not written yet.</p>`));
  });

  app.get("/profile", (req, res) => {
    // 🐨 Read who is logged in from the session: req.session.username (undefined when nobody is).
    // 🦉 The name comes from the server's store, found by the id in the signed cookie: the visitor cannot change it.
    //    It is still what someone typed into a form: the page shows it through html``, which escapes it.
    const username: string | undefined = undefined;
    const content =
      username === undefined
        ? html`<p>You are not signed in. <a href="/login">Log in</a> to see your profile.</p>`
        : html`<p>Signed in as <strong>${username}</strong>.</p>`;
    res.send(page("Profile", content));
  });

  app.get("/logout", (_req, res) => {
    // The same options as when it was set: a browser deletes a cookie only if name, Path and Domain match.
    res.clearCookie(VISIT_COOKIE_NAME, cookieOptions);
    const content = html`<p>Successfully logged out.</p>`;
    res.send(page("Log out", content));
  });

  return app;
}

/** The login form; `maxlength` helps the visitor, and the server checks the length all the same. */
function loginForm() {
  return html`<form method="post" action="/login">
        <label>Username <input name="username" autocomplete="username" required maxlength="${String(MAX_USERNAME_LENGTH)}"></label>
        <button type="submit">Log in</button>
      </form>`;
}

/**
 * The secret cookies are signed with: from the environment, never from the code (a secret in a repository is a
 * secret shared with everyone who can read it). In production the app refuses to start without one; in
 * development a secret drawn at start will do (cookies signed by an earlier run simply stop verifying).
 */
function cookieSecret(): string {
  const secret = process.env.COOKIE_SECRET;
  if (secret) return secret;
  if (process.env.NODE_ENV === "production") {
    throw new Error(
      "COOKIE_SECRET is not set: in production the server refuses to start without the secret that signs its cookies.",
    );
  }
  return randomBytes(32).toString("hex");
}

import { randomBytes } from "node:crypto";
import {
  VISIT_COOKIE_NAME,
  formatVisitTime,
  html,
  parseVisitTime,
  visitCookieOptions,
} from "@cookie-course/cookie-utils";
import cookieParser from "cookie-parser";
import express, { type Express, type Request, type Response } from "express";
import session, { type Store } from "express-session";
import { logoutButton, page } from "./page.js";
import {
  SESSION_COOKIE_NAME,
  destroySession,
  regenerateSession,
  saveSession,
  sessionCookieOptions,
} from "./session.js";
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
  app.use(
    session({
      name: SESSION_COOKIE_NAME,
      secret,
      store: sessionStore,
      // No session and no cookie before there is something to remember: a visitor who never logs in gets none.
      saveUninitialized: false,
      // Write a session back only when it changed: two requests at once cannot overwrite each other's changes.
      resave: false,
      cookie: sessionCookieOptions(),
    }),
  );
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
    const form = readUsername(req.body);
    if (!form.ok) {
      res.status(400).send(page("Log in", html`<p role="alert">${form.problem}</p>${loginForm()}`));
      return;
    }
    // A new id at login: an id planted in this browser beforehand (session fixation) now points at nothing.
    await regenerateSession(req);
    req.session.username = form.username;
    // Stored before the redirect, so that the browser's next request finds it.
    await saveSession(req);
    // 303: the browser follows with a GET, and reloading the profile does not send the form again.
    res.redirect(303, "/profile");
  });

  app.get("/profile", (req, res) => {
    // The name comes from the store on the server, found by the id in the signed cookie: the browser cannot change it.
    const username = req.session.username;
    const content =
      username === undefined
        ? html`<p>You are not signed in. <a href="/login">Log in</a> to see your profile.</p>`
        : html`<p>Signed in as <strong>${username}</strong>.</p>`;
    res.send(page("Profile", content));
  });

  /** Logs the visitor out: ends the session on the server, and makes the browser forget both cookies. */
  const logOut = async (req: Request, res: Response) => {
    // 🐨 End the session, in two places:
    //    1. on the server: destroySession(req), from ./session.js (it wraps req.session.destroy);
    //    2. in the browser: delete the session cookie (SESSION_COOKIE_NAME) with res.clearCookie, giving it the
    //       attributes the cookie was set with, sessionCookieOptions().
    // 🦉 Deleting the cookie alone is not a logout: anyone who copied the cookie (a shared computer, a proxy's log)
    //    could send it again, and the session would still be there. Destroyed, its id points at nothing.
    // 📜 The lesson (lesson/README.md), §9 "Log out: destroy the session"
    // 📜 https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#manual-session-expiration
    // The same options as when it was set: a browser deletes a cookie only if name, Path and Domain match.
    res.clearCookie(VISIT_COOKIE_NAME, cookieOptions);
    res.send(page("Log out", html`<p>Successfully logged out.</p>`));
  };

  // 🐨 Log out with POST /logout only: app.post for logOut. Let GET /logout change nothing: a page that asks
  //    "Log out of this site?" and shows logoutButton() (./page.js).
  // 🦉 A GET must not change state: anything can send one, a prefetch or another site's <img>. Another site can
  //    send a POST too, with a form, but SameSite=Lax keeps the session cookie off it: the session stays.
  // 📜 The lesson (lesson/README.md), §9 "Log out: destroy the session"
  app.get("/logout", logOut);

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

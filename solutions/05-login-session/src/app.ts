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
  // #region solution: session-middleware
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
  // #endregion
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
    // #region solution: validate-username
    const form = readUsername(req.body);
    if (!form.ok) {
      res.status(400).send(page("Log in", html`<p role="alert">${form.problem}</p>${loginForm()}`));
      return;
    }
    // #endregion
    // #region solution: start-session
    // A new id at login: an id planted in this browser beforehand (session fixation) now points at nothing.
    await regenerateSession(req);
    req.session.username = form.username;
    // Stored before the redirect, so that the browser's next request finds it.
    await saveSession(req);
    // 303: the browser follows with a GET, and reloading the profile does not send the form again.
    res.redirect(303, "/profile");
    // #endregion
  });

  app.get("/profile", (req, res) => {
    // #region solution: read-session
    // The name comes from the store on the server, found by the id in the signed cookie: the browser cannot change it.
    const username = req.session.username;
    // #endregion
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

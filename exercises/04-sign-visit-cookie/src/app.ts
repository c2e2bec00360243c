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
import { page } from "./page.js";

export function createApp(): Express {
  const app = express();
  // Built here rather than at import, so the app made in a test with NODE_ENV=production gets Secure cookies.
  const cookieOptions = visitCookieOptions();

  app.disable("x-powered-by");
  // 🐨 Give cookie-parser the secret it signs and verifies cookies with: the one cookieSecret() (at the end of
  //    this file) returns.
  // 🦉 Without a secret, cookie-parser can read cookies but not sign them, nor tell a signed one from a forgery.
  // 📜 The lesson (lesson/README.md), §6 "Signed cookies"
  // 📜 https://expressjs.com/en/resources/middleware/cookie-parser.html
  app.use(cookieParser());
  app.use((_req, res, next) => {
    // These pages depend on the visitor's cookie: no shared cache may keep one visitor's page for another.
    res.set("Cache-Control", "no-store");
    next();
  });

  app.get("/", (_req, res) => {
    const now = new Date();
    // 🐨 Store the visit signed: the same cookie, the same options, and one more that asks Express to sign it.
    // 🦉 A signed cookie carries an HMAC of its value: the server can tell if a visitor changed it. Anyone can
    //    still read it: signing gives integrity, not secrecy.
    // 📜 https://expressjs.com/en/5x/api.html#res.cookie
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), cookieOptions);
    res.send(
      page(
        "Welcome",
        html`<p>You are visiting at <time datetime="${formatVisitTime(now)}">${now.toUTCString()}</time>.</p>
      <p>This site remembers the moment of your visit in a cookie named <code>${VISIT_COOKIE_NAME}</code>.</p>`,
      ),
    );
  });

  app.get("/last-visit", (req, res) => {
    // 🐨 Show only a visit this server signed. cookie-parser sorts what it received: signed cookies whose
    //    signature holds go one way, the rest another. Read the visit from the right place.
    // 🦉 An unsigned or altered value is anyone's word: treat it as no visit at all.
    // 📜 The lesson (lesson/README.md), §6 "Signed cookies"
    const visit = parseVisitTime(req.cookies[VISIT_COOKIE_NAME]);
    const content = visit.ok
      ? html`<p>Your last visit was at <time datetime="${visit.iso}">${visit.date.toUTCString()}</time>.</p>`
      : html`<p>No visit recorded yet.</p>`;
    res.send(page("Last visit", content));
  });

  app.get("/logout", (_req, res) => {
    // The same options as when it was set: a browser deletes a cookie only if name, Path and Domain match.
    res.clearCookie(VISIT_COOKIE_NAME, cookieOptions);
    const content = html`<p>Successfully logged out.</p>`;
    res.send(page("Log out", content));
  });

  return app;
}

/**
 * The secret cookies are signed with: from the environment, never from the code (a secret in a repository is a
 * secret shared with everyone who can read it). In production the app refuses to start without one; in
 * development a secret drawn at start will do (cookies signed by an earlier run simply stop verifying).
 */
function cookieSecret(): string {
  // 🐨 Return the secret from the environment, process.env.COOKIE_SECRET. When it is not set, or empty: in
  //    production, throw an Error that says so (the server must refuse to start); in development, return a secret
  //    drawn at random (randomBytes, already imported).
  // 🦉 A secret written in the code is a secret shared with everyone who can read the code. Anyone who knows
  //    it can sign any value they like.
  // 📜 https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html
  throw new Error("🐨 cookieSecret() is not written yet");
}

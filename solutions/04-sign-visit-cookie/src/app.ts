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
  // #region solution: cookie-secret
  app.use(cookieParser(cookieSecret()));
  // #endregion
  app.use((_req, res, next) => {
    // These pages depend on the visitor's cookie: no shared cache may keep one visitor's page for another.
    res.set("Cache-Control", "no-store");
    next();
  });

  app.get("/", (_req, res) => {
    const now = new Date();
    // #region solution: sign-visit-cookie
    // Signed: the value travels with an HMAC of it, so that a visitor cannot change it unnoticed.
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), { ...cookieOptions, signed: true });
    // #endregion
    res.send(
      page(
        "Welcome",
        html`<p>You are visiting at <time datetime="${formatVisitTime(now)}">${now.toUTCString()}</time>.</p>
      <p>This site remembers the moment of your visit in a cookie named <code>${VISIT_COOKIE_NAME}</code>.</p>`,
      ),
    );
  });

  app.get("/last-visit", (req, res) => {
    // #region solution: read-signed-cookie
    // Only a value this server signed: req.signedCookies holds it when its signature verifies, false when it was
    // changed, and nothing for an unsigned one. Parse it strictly all the same, and let html`` escape what we show.
    const visit = parseVisitTime(req.signedCookies[VISIT_COOKIE_NAME]);
    // #endregion
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
  // #region solution: secret-from-environment
  const secret = process.env.COOKIE_SECRET;
  if (secret) return secret;
  if (process.env.NODE_ENV === "production") {
    throw new Error(
      "COOKIE_SECRET is not set: in production the server refuses to start without the secret that signs its cookies.",
    );
  }
  return randomBytes(32).toString("hex");
  // #endregion
}

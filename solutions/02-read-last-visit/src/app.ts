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
  app.use(cookieParser());
  app.use((_req, res, next) => {
    // These pages depend on the visitor's cookie: no shared cache may keep one visitor's page for another.
    res.set("Cache-Control", "no-store");
    next();
  });

  app.get("/", (_req, res) => {
    const now = new Date();
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
    // #region solution: show-last-visit
    // The cookie is whatever the browser sent: parse it strictly, and let html`` escape what we show.
    const visit = parseVisitTime(req.cookies[VISIT_COOKIE_NAME]);
    const content = visit.ok
      ? html`<p>Your last visit was at <time datetime="${visit.iso}">${visit.date.toUTCString()}</time>.</p>`
      : html`<p>No visit recorded yet.</p>`;
    // #endregion
    res.send(page("Last visit", content));
  });

  return app;
}

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
    // The cookie is whatever the browser sent: parse it strictly, and let html`` escape what we show.
    const visit = parseVisitTime(req.cookies[VISIT_COOKIE_NAME]);
    const content = visit.ok
      ? html`<p>Your last visit was at <time datetime="${visit.iso}">${visit.date.toUTCString()}</time>.</p>`
      : html`<p>No visit recorded yet.</p>`;
    res.send(page("Last visit", content));
  });

  app.get("/logout", (_req, res) => {
    // 🐨 Log the visitor out: make their browser forget the `last_visit` cookie, and tell them
    //    "Successfully logged out". A visitor without the cookie gets the same page: logging out twice is
    //    not an error.
    // 🦉 HTTP has no "delete" message: a server deletes a cookie by sending it again, already expired. A
    //    browser applies that only to the cookie with the same name, Path and Domain, so the deletion must
    //    match how GET / set it. An empty value is not a deletion either: the browser keeps the cookie, empty.
    // 📜 The lesson (lesson/README.md), §5 "Delete a cookie"
    // 📜 https://expressjs.com/en/5x/api.html#res.clearCookie
    const content = html`<p>🐨 Log the visitor out here.</p>`;
    res.send(page("Log out", content));
  });

  return app;
}

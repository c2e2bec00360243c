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
    // 🐨 Show when this visitor last came. That moment is not now: it is in the `last_visit` cookie
    //    their browser sent with this request.
    // 🐨 If the cookie holds a real date-time, show it, with its ISO 8601 form in a <time datetime="…"> element.
    //    If it is missing or holds anything else (empty, junk, a j:{…} object, February 30th), say
    //    "No visit recorded yet": never "Invalid Date", "undefined" or an error page.
    // 🦉 A cookie is whatever the browser sends, and anyone can make a browser send anything. Put it into
    //    the page as it is and it can run a script there (a reflected XSS). "It parses as a date" is no
    //    proof: Date.parse accepts text with markup in it.
    // 📜 The lesson (lesson/README.md), §4 "Read a cookie", and in §6 "Never trust what a cookie says" and
    //    "Never put a cookie into HTML unescaped"
    // 📜 https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html
    const content = html`<p>🐨 Show the last visit here.</p>`;
    res.send(page("Last visit", content));
  });

  return app;
}

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
    // 🐨 Read the `last_visit` cookie the browser sent: req.cookies[VISIT_COOKIE_NAME].
    // 🐨 If it holds a real date-time, show it in a <time datetime="…"> element (its ISO 8601 form goes in datetime).
    //    If it is missing or anything else, say "No visit recorded yet".
    // 💰 parseVisitTime(value) never throws: it gives { ok: true, date, iso } or { ok: false, problem }.
    // 💰 html`<p>…${value}…</p>` escapes every ${value} it is given.
    // 🦉 A cookie is whatever the browser sends, and anyone can send anything: put it into a page unescaped and it
    //    can run a script there (a reflected XSS).
    // 📜 https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html
    const content = html`<p>🐨 Show the last visit here.</p>`;
    res.send(page("Last visit", content));
  });

  return app;
}

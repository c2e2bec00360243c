import { VISIT_COOKIE_NAME, formatVisitTime, html, visitCookieOptions } from "@cookie-course/cookie-utils";
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
    // 🐨 Remember this visit: have the response ask the browser to keep a cookie named `last_visit` whose value is
    //    `now`, written as an ISO 8601 string (like 2026-11-25T17:41:44.000Z). On every visit, before res.send().
    // 🦉 Headers leave with the first byte of the body: once res.send() has run, no cookie can join the response.
    // 🦉 A cookie's attributes decide who gets to see it. This one is HttpOnly (page scripts cannot read it),
    //    SameSite=Lax (other sites' requests do not carry it), Path=/ (every page gets it) and, in production,
    //    Secure (HTTPS only): the `cookieOptions` above say exactly that.
    // 📜 The lesson (lesson/README.md), §3 "Set a cookie" and §6 "Best practices"
    // 📜 https://expressjs.com/en/5x/api.html#res.cookie
    res.send(
      page(
        "Welcome",
        html`<p>You are visiting at <time datetime="${formatVisitTime(now)}">${now.toUTCString()}</time>.</p>
      <p>This site remembers the moment of your visit in a cookie named <code>${VISIT_COOKIE_NAME}</code>.</p>`,
      ),
    );
  });

  return app;
}

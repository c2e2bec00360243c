import { html } from "@cookie-course/cookie-utils";
import type { SafeHtml } from "@cookie-course/cookie-utils";
import cookieParser from "cookie-parser";
import express from "express";
import type { CookieOptions, Express } from "express";

/** The demo's own cookie. (The exercises use `last_visit`, from `@cookie-course/cookie-utils`.) */
export const TUTORIAL_COOKIE_NAME = "tutorial";
export const TUTORIAL_COOKIE_VALUE = "Hello World";

export interface CreateAppOptions {
  /** Whether the cookie is `Secure`. Defaults to `process.env.NODE_ENV === "production"`, read when the app is created. */
  readonly production?: boolean;
}

/**
 * The attributes of the `tutorial` cookie. The same object is given to `res.cookie` and `res.clearCookie`: a browser
 * deletes a cookie only when the deleting `Set-Cookie` names the same Path and Domain (RFC 6265 §5.3 step 11).
 *
 * No `maxAge`: this is a session cookie, gone when the browser session ends, which suits a throw-away demo value.
 */
export function tutorialCookieOptions(production: boolean): Readonly<CookieOptions> {
  return Object.freeze({
    // RFC 6265 §4.1.2.6: not visible to document.cookie, so an injected script cannot read it.
    httpOnly: true,
    // RFC 6265bis §4.1.2.7: not sent with cross-site subrequests or cross-site POSTs, which blunts CSRF.
    sameSite: "lax",
    path: "/",
    // RFC 6265 §4.1.2.5: sent over HTTPS only. On in production; off in development and tests, because the demo
    // runs on http://localhost and not every client (Safari, supertest's cookie jar) keeps a Secure cookie there.
    secure: production,
  } satisfies CookieOptions);
}

/** Builds the demo app. It never listens: `server.ts` does, and tests hand the app to supertest. */
export function createApp(options: CreateAppOptions = {}): Express {
  const production = options.production ?? process.env.NODE_ENV === "production";
  const cookieOptions = tutorialCookieOptions(production);

  const app = express();
  app.disable("x-powered-by");
  app.use(cookieParser());
  app.use((_req, res, next) => {
    // These pages depend on, or change, the visitor's cookie: no cache may keep one visitor's page for another.
    res.set("Cache-Control", "no-store");
    next();
  });

  app.get("/", (_req, res) => {
    res.send(
      page(
        "Cookie demo",
        html`<h1>Cookie demo</h1>
<p>Open the browser's DevTools (Application → Cookies) and watch the <code>${TUTORIAL_COOKIE_NAME}</code> cookie while you follow the links.</p>
<ol>
  <li><a href="/set-cookie">Set the cookie</a></li>
  <li><a href="/read-cookie">Read the cookie</a></li>
  <li><a href="/delete-cookie">Delete the cookie</a></li>
</ol>`,
      ),
    );
  });

  app.get("/set-cookie", (_req, res) => {
    res.cookie(TUTORIAL_COOKIE_NAME, TUTORIAL_COOKIE_VALUE, cookieOptions);
    res.send(
      page(
        "Cookie set",
        html`<h1>Cookie set</h1>
<p>The response carried a <code>Set-Cookie</code> header for <code>${TUTORIAL_COOKIE_NAME}</code>. <a href="/read-cookie">Read it back</a>.</p>`,
      ),
    );
  });

  app.get("/read-cookie", (req, res) => {
    // A cookie is whatever the client sent (RFC 6265 §8.6): any text, or an object when cookie-parser meets `j:{…}`.
    const value: unknown = req.cookies[TUTORIAL_COOKIE_NAME];
    res.send(page("Read the cookie", describeCookie(value)));
  });

  app.get("/delete-cookie", (_req, res) => {
    res.clearCookie(TUTORIAL_COOKIE_NAME, cookieOptions);
    res.send(
      page(
        "Cookie deleted",
        html`<h1>Cookie deleted</h1>
<p>The response told the browser to expire <code>${TUTORIAL_COOKIE_NAME}</code>. <a href="/read-cookie">Check that it is gone</a>.</p>`,
      ),
    );
  });

  return app;
}

function describeCookie(value: unknown): SafeHtml {
  if (value === undefined) {
    return html`<h1>No cookie named ${TUTORIAL_COOKIE_NAME} was sent</h1>
<p><a href="/set-cookie">Set it first</a>.</p>`;
  }
  if (typeof value !== "string") {
    // cookie-parser turned a `j:` cookie into JSON data. Show it as text, escaped, and say why it is not the value.
    return html`<h1>The cookie ${TUTORIAL_COOKIE_NAME} does not hold text</h1>
<p>It was sent as a JSON cookie (<code>j:…</code>), which cookie-parser parsed into: <code>${JSON.stringify(value)}</code></p>`;
  }
  if (value === "") {
    return html`<h1>The cookie ${TUTORIAL_COOKIE_NAME} is empty</h1>`;
  }
  // `html` escapes the value: a cookie holding <script> shows up as text, never as markup.
  return html`<h1>The cookie value is: ${value}</h1>`;
}

/** A minimal, valid HTML5 page around `body`. */
function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
</head>
<body>
<main>
${body}
</main>
<p><a href="/">Back to the start</a></p>
</body>
</html>
`.toString();
}

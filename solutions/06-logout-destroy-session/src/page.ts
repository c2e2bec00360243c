import { html, type SafeHtml } from "@cookie-course/cookie-utils";

const LINKS = [
  { href: "/", label: "Home" },
  { href: "/last-visit", label: "Last visit" },
  { href: "/login", label: "Log in" },
  { href: "/profile", label: "Profile" },
];

// #region solution: logout-button
/**
 * Logging out changes state on the server, so it is a form that POSTs: a link is a GET, which anything can send (a
 * prefetch, an <img> on another site) and which must change nothing.
 */
export function logoutButton(): SafeHtml {
  return html`<form method="post" action="/logout"><button type="submit">Log out</button></form>`;
}
// #endregion

/** Every page shares one small HTML5 shell, readable without any CSS. */
export function page(title: string, content: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${title} · Cookie course</title>
  </head>
  <body>
    <nav>${LINKS.map(({ href, label }) => html`<a href="${href}">${label}</a> `)}${logoutButton()}</nav>
    <main>
      <h1>${title}</h1>
      ${content}
    </main>
  </body>
</html>
`.toString();
}

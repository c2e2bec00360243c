import { html, type SafeHtml } from "@cookie-course/cookie-utils";

const LINKS = [
  { href: "/", label: "Home" },
  { href: "/last-visit", label: "Last visit" },
  { href: "/login", label: "Log in" },
  { href: "/profile", label: "Profile" },
];

/**
 * 🐨 Make logging out a form that POSTs to /logout, with a submit button that says "Log out", in place of this
 *    link. Every page's navigation shows what this returns.
 * 🦉 A link is a GET, and a GET must change nothing: a browser may prefetch a link, and any other site can make
 *    your browser send a GET (an <img src>). A form can POST.
 * 📜 https://developer.mozilla.org/en-US/docs/Web/HTML/Reference/Elements/form
 */
export function logoutButton(): SafeHtml {
  return html`<a href="/logout">Log out</a>`;
}

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

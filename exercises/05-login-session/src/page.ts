import { html, type SafeHtml } from "@cookie-course/cookie-utils";

const LINKS = [
  { href: "/", label: "Home" },
  { href: "/last-visit", label: "Last visit" },
  { href: "/login", label: "Log in" },
  { href: "/profile", label: "Profile" },
  { href: "/logout", label: "Log out" },
];

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
    <nav>${LINKS.map(({ href, label }) => html`<a href="${href}">${label}</a> `)}</nav>
    <main>
      <h1>${title}</h1>
      ${content}
    </main>
  </body>
</html>
`.toString();
}

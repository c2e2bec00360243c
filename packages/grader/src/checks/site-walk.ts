import { isHtml, type Exchange } from "../harness/exchange.js";
import { GRADER_ORIGIN } from "./visit-cookie.js";
import type { JarStep, Visitor } from "./session-cookie.js";

/**
 * The course's pages a signed-in visitor opens, the profile first (where a login's redirect leads) and again last:
 * a cookie may be set on any page, not only by the login's answer.
 */
export const SIGNED_IN_PAGES: readonly string[] = ["/profile", "/", "/last-visit", "/login", "/profile"];

/**
 * The pages a visitor opens before logging in, as a returning visitor does: `/` first, so that the later pages see a
 * browser that holds last_visit, and a login page reached with where to go next, as a protected page links to it.
 */
export const BEFORE_LOGIN_PAGES: readonly string[] = [
  "/",
  "/last-visit",
  "/profile",
  "/login",
  "/login?next=/profile",
  "/profile",
];

/** How many pages a walk opens at most, links found on the way included. */
const MAX_PAGES = 12;

/**
 * Opens `pages` in one browser, following redirects, then the links the app's own pages offer (on its site, never a
 * log-out link: the walk looks at what a visitor holds while signed in). Returns what the browser held after each
 * answer it got, the earlier ones of this visitor included.
 */
export async function walk(visitor: Visitor, pages: readonly string[]): Promise<readonly JarStep[]> {
  const opened = new Set<string>();
  const links: string[] = [];
  const open = async (path: string) => {
    opened.add(path);
    for (const answer of await visitor.open(path))
      for (const link of linksOn(answer)) if (!links.includes(link)) links.push(link);
  };
  for (const page of pages) await open(page);
  for (const link of links) {
    if (opened.size >= MAX_PAGES) break;
    if (!opened.has(link)) await open(link);
  }
  return visitor.history;
}

/** The paths (with their query) of the same-site links on an HTML page, but those that log out. */
function linksOn(exchange: Exchange): string[] {
  if (!isHtml(exchange)) return [];
  const base = new URL(exchange.path, GRADER_ORIGIN);
  return [
    ...exchange.body.slice(0, 200_000).matchAll(/<a\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi),
  ].flatMap((match) => {
    const href = match[1] ?? match[2] ?? match[3] ?? "";
    let url: URL;
    try {
      url = new URL(href.replace(/&amp;/g, "&"), base);
    } catch {
      return [];
    }
    if (url.origin !== GRADER_ORIGIN || /log-?out|sign-?out/i.test(url.pathname)) return [];
    return [`${url.pathname}${url.search}`];
  });
}

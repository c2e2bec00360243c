import { randomBytes } from "node:crypto";
import type { BrowserCookie } from "@cookie-course/cookie-testing";
import { get, isHtml, type Exchange, type Navigation } from "../harness/exchange.js";
import { pageRequests, type PageRequest } from "./form-submission.js";
import { drawnUsername, saysSignedInAs, type Visitor } from "./session-cookie.js";
import { GRADER_ORIGIN, VISIT_COOKIE } from "./visit-cookie.js";

/**
 * How a GET reaches the app, as Chromium sends each (the browser suite checks it, test/safe-methods.test.ts): a
 * link on the app's own page, an address typed in the address bar (or a bookmark), a link on another site. An app
 * that changes state only for one of them (the address bar, say) must not pass because the checks sent another.
 */
export interface Arrival {
  /** In a message: "followed from a link on the app's own page". */
  readonly told: string;
  /** The headers, for a GET of `path` on a page of the app at `from`. */
  headers(from: string): Navigation;
  /** Whether the browser sends this cookie with it: a cross-site navigation leaves SameSite=Strict cookies off. */
  sends(cookie: BrowserCookie): boolean;
}

/** Another site, whose page links to the app: Chromium sends its origin as Referer (strict-origin-when-cross-origin). */
export const OTHER_SITE = "http://elsewhere.example";

export const ARRIVALS: readonly Arrival[] = [
  {
    told: "followed from a link on the app's own page (Sec-Fetch-Site: same-origin)",
    headers: (from) => ({
      "sec-fetch-site": "same-origin",
      "sec-fetch-mode": "navigate",
      "sec-fetch-user": "?1",
      referer: new URL(from, GRADER_ORIGIN).href,
    }),
    sends: () => true,
  },
  {
    told: "typed in the address bar (Sec-Fetch-Site: none)",
    headers: () => ({
      "sec-fetch-site": "none",
      "sec-fetch-mode": "navigate",
      "sec-fetch-user": "?1",
      referer: undefined,
    }),
    sends: () => true,
  },
  {
    told: "opened from a link on another site (Sec-Fetch-Site: cross-site)",
    headers: () => ({
      "sec-fetch-site": "cross-site",
      "sec-fetch-mode": "navigate",
      "sec-fetch-user": "?1",
      referer: `${OTHER_SITE}/`,
    }),
    sends: (cookie) => cookie.sameSite !== "strict",
  },
];

/** The course's pages: where a visitor can arrive before following any link. */
const COURSE_PAGES = ["/", "/last-visit", "/login", "/profile", "/logout"];
/** The most distinct GETs judged: an app may link to endless pages. */
const MAX_TARGETS = 16;
/**
 * The words a one-click confirm link is made of (`/logout?confirm=yes`): no page needs to link to it, so its name
 * cannot be found by following links. Each path is also sent with all of them at once, once for each way a link
 * says yes. (The drawn name beside them finds an app that acts on any query at all.)
 */
const CONFIRM_WORDS = [
  "confirm",
  "confirmed",
  "confirmation",
  "yes",
  "ok",
  "sure",
  "really",
  "force",
  "now",
  "go",
  "do",
  "proceed",
  "submit",
  "commit",
  "accept",
  "agree",
  "logout",
  "action",
];
const YES_VALUES = ["yes", "1", "true"];
/** How many paths get the confirm words: the course's pages and the first links found. */
const MAX_CONFIRM_PATHS = 8;

/** A GET that changed what it must not: the cookies the browser holds, or who it is signed in as. */
export interface UnsafeGet {
  readonly exchange: Exchange;
  readonly arrival: Arrival;
  /** What changed, in a sentence's words: "deleted the cookie last_visit". */
  readonly change: string;
  /** The cookie it changed, when it changed one. */
  readonly cookieName?: string;
  /** It signed the visitor out, rather than (or as well as) changing a cookie. */
  readonly signedOut: boolean;
}

/**
 * Sends, as a signed-in `visitor`, every GET a visitor can make: each course page and every page, link or GET
 * button they lead to (with and without their query, and with a query the app cannot expect), arriving each way
 * of {@link ARRIVALS}. After each, the browser's cookies must be as they were (but for the visit GET / records),
 * and /profile must still say who is signed in. Returns the first GET that changed something.
 */
export async function firstUnsafeGet(visitor: Visitor, username: string): Promise<UnsafeGet | undefined> {
  const targets = new Targets();
  for (const page of COURSE_PAGES) targets.add(page, page);
  for (let next = targets.next(); next; next = targets.next()) {
    for (const arrival of next.arrivals) {
      const before = snapshot(visitor);
      const exchange = await getAs(visitor, next.path, arrival, next.from);
      const changed = cookieChange(before, snapshot(visitor), new URL(next.path, GRADER_ORIGIN).pathname === "/");
      if (arrival === ARRIVALS[0] && exchange.status === 200 && isHtml(exchange)) {
        for (const request of pageRequests(exchange.body, new URL(next.path, GRADER_ORIGIN).href)) {
          // A POST form's fields in a GET's query, as any site's link can send them: a GET must not do the POST's work.
          targets.add(request.method === "GET" ? request.url : asGet(request), next.path);
        }
      }
      // What the visitor sees next, with the cookies the browser now holds: still signed in, as the same user?
      const beforeProfile = snapshot(visitor);
      const profile = await getAs(visitor, "/profile", ARRIVALS[0]!, next.path);
      const signedOut = !saysSignedInAs(profile.body, username);
      if (changed || signedOut)
        return { exchange, arrival, ...(changed ?? { change: "signed the visitor out" }), signedOut };
      const profileChanged = cookieChange(beforeProfile, snapshot(visitor), false);
      if (profileChanged) return { exchange: profile, arrival: ARRIVALS[0]!, ...profileChanged, signedOut: false };
    }
  }
  return undefined;
}

/** A GET to send: where the visitor found it, and the ways it arrives. */
interface Target {
  readonly path: string;
  readonly from: string;
  readonly arrivals: readonly Arrival[];
}

/** The GETs still to send, each once, in the order found, and where the visitor found each. */
class Targets {
  readonly #queue: Target[] = [];
  readonly #seen = new Set<string>();
  readonly #pathnames = new Set<string>();

  add(url: string, from: string): void {
    const parsed = new URL(url, GRADER_ORIGIN);
    if (parsed.origin !== new URL(GRADER_ORIGIN).origin) return;
    this.#push(`${parsed.pathname}${parsed.search}`, from);
    // With and without a query, and with one no page links to: a GET is safe whatever its query says.
    if (parsed.search !== "") this.#push(parsed.pathname, from);
    if (this.#pathnames.has(parsed.pathname)) return;
    this.#pathnames.add(parsed.pathname);
    this.#push(`${parsed.pathname}?${randomBytes(3).toString("hex")}=1`, from);
    if (this.#pathnames.size > MAX_CONFIRM_PATHS) return;
    // From the app's own page only: the one arrival that sends every cookie and every sign of a trusted click.
    for (const yes of YES_VALUES) {
      const query = CONFIRM_WORDS.map((word) => `${word}=${yes}`).join("&");
      this.#queue.push({ path: `${parsed.pathname}?${query}`, from, arrivals: ARRIVALS.slice(0, 1) });
    }
  }

  next(): Target | undefined {
    return this.#queue.shift();
  }

  #push(path: string, from: string): void {
    if (this.#seen.has(path) || this.#seen.size >= MAX_TARGETS) return;
    this.#seen.add(path);
    this.#queue.push({ path, from, arrivals: ARRIVALS });
  }
}

/** A POST's URL with its fields in the query, an empty field filled in (a name for a login, say). */
function asGet(request: PageRequest): string {
  const url = new URL(request.url);
  for (const [name, value] of request.fields) url.searchParams.append(name, value === "" ? drawnUsername() : value);
  return url.href;
}

/** A GET as the browser sends it when arriving so: the cookies it sends that way, and it keeps what the answer sets. */
async function getAs(visitor: Visitor, path: string, arrival: Arrival, from: string): Promise<Exchange> {
  const sent = visitor.jar.cookieHeaderFor(path);
  const withheld = new Set(
    visitor.jar
      .cookies()
      .filter((cookie) => !arrival.sends(cookie))
      .map((cookie) => `${cookie.name}=${cookie.value}`),
  );
  const header = sent
    ?.split("; ")
    .filter((pair) => !withheld.has(pair))
    .join("; ");
  const exchange = await get(visitor.app, path, header === "" ? undefined : header, arrival.headers(from));
  // A top-level navigation stores what its answer sets, whichever site it came from.
  visitor.jar.store({ headers: { "set-cookie": [...exchange.setCookie] } }, { path });
  return exchange;
}

type Snapshot = ReadonlyMap<string, BrowserCookie>;

/** The browser's cookies, each under what makes it one cookie: name, domain, host-only flag and path. */
function snapshot(visitor: Visitor): Snapshot {
  return new Map(
    visitor.jar
      .cookies()
      .map((cookie) => [`${cookie.name}\t${cookie.domain}\t${cookie.hostOnly}\t${cookie.path}`, cookie]),
  );
}

/**
 * How a GET changed a cookie the browser held, or nothing: deleted it, gave it another value or other attributes,
 * or made it expire sooner. A cookie a GET adds is not judged here (what it does is: /profile is read after it),
 * and GET / may record the visit, which is its job.
 */
function cookieChange(
  before: Snapshot,
  after: Snapshot,
  recordsVisit: boolean,
): { change: string; cookieName: string } | undefined {
  for (const [key, old] of before) {
    const now = after.get(key);
    const name = old.name;
    if (recordsVisit && name === VISIT_COOKIE && now) continue;
    if (!now) return { change: `deleted the cookie ${name}`, cookieName: name };
    if (now.value !== old.value) return { change: `gave the cookie ${name} another value`, cookieName: name };
    const attributes = (["secure", "httpOnly", "sameSite"] as const).filter(
      (attribute) => now[attribute] !== old[attribute],
    );
    if (attributes.length > 0)
      return { change: `changed the cookie ${name}'s ${attributes.join(" and ")}`, cookieName: name };
    if ((now.expires?.getTime() ?? Infinity) < (old.expires?.getTime() ?? Infinity))
      return { change: `made the cookie ${name} expire sooner`, cookieName: name };
  }
  return undefined;
}

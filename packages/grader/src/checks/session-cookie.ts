import { randomBytes, randomInt } from "node:crypto";
import { BrowserJar, judgeSetCookie, type BrowserCookie } from "@cookie-course/cookie-testing";
import { unsign } from "cookie-signature";
import { get, post, type Exchange } from "../harness/exchange.js";
import { fail } from "../harness/failure.js";
import type { App } from "../harness/session.js";
import { GRADER_ORIGIN, VISIT_COOKIE, type JudgedLine } from "./visit-cookie.js";

/** express-session's default cookie name: it tells everyone which software runs the site. */
export const DEFAULT_SESSION_COOKIE = "connect.sid";
/** What express-session puts before a signed session id. */
const SIGNED = "s:";
/** What a profile page says to the visitor who logged in. */
export const SIGNED_IN = "Signed in as";

/**
 * A username drawn anew on every run, letters and digits only: a page that always shows the checks' names would
 * otherwise pass, and one free of markup tells "the name is missing" from "the name is escaped".
 */
export function drawnUsername(): string {
  return `user${randomBytes(5).toString("hex")}`;
}

/** The session cookie as a browser stores it from a login's response. */
export interface SessionCookie {
  readonly name: string;
  /** The value as stored (percent-encoded, as sent). */
  readonly stored: string;
  /** The line that set it, as the browser judged it. */
  readonly line: JudgedLine;
  /** The cookie as the browser holds it. */
  readonly cookie: BrowserCookie;
}

/**
 * The cookies a response's Set-Cookie lines leave in a browser, as it judges each line (RFC 6265 §5.3): the last line
 * of a name wins, a deleting line removes it, a rejected one stores nothing. The visit cookie (01–04's) is left out.
 */
export function storedCookies(exchange: Exchange): Map<string, JudgedLine> {
  const stored = new Map<string, JudgedLine>();
  const url = new URL(exchange.path, GRADER_ORIGIN).href;
  for (const line of exchange.setCookie) {
    const verdict = judgeSetCookie(line, url);
    if (!verdict.accepted || verdict.cookie.name === VISIT_COOKIE) continue;
    if (verdict.expired) stored.delete(verdict.cookie.name);
    else stored.set(verdict.cookie.name, { line, verdict });
  }
  return stored;
}

/**
 * The session cookie a login stored: the one whose value is an id signed with the app's secret, as
 * express-session writes it; else the only cookie it stored; else, of several, the first.
 */
export function sessionCookieOf(exchange: Exchange, secret: string): SessionCookie | undefined {
  const stored = [...storedCookies(exchange).values()].flatMap((line) =>
    line.verdict.accepted ? [{ line, cookie: line.verdict.cookie }] : [],
  );
  const signed = stored.find(({ cookie }) => signedId(cookie.value, secret) !== undefined);
  const chosen = signed ?? stored[0];
  return chosen && { name: chosen.cookie.name, stored: chosen.cookie.value, line: chosen.line, cookie: chosen.cookie };
}

/**
 * The cookies that each sign the visitor in as `username` by themselves: sent alone to /profile, as a thief who
 * copied just that one would send it. Whatever its name, such a cookie is a credential, and the rules of the session
 * cookie are its rules. Each distinct cookie (name and value) is tried once.
 */
export async function credentialsAmong(
  app: App,
  cookies: readonly BrowserCookie[],
  username: string,
): Promise<BrowserCookie[]> {
  const distinct = [...new Map(cookies.map((cookie) => [`${cookie.name}=${cookie.value}`, cookie])).values()];
  const credentials: BrowserCookie[] = [];
  for (const cookie of distinct) {
    // A profile page that hung in an earlier check is not asked again (it would fail this check for the same cause).
    if (hungBefore(app, "/profile")) break;
    const profile = await get(app, "/profile", `${cookie.name}=${cookie.value}`);
    if (saysSignedInAs(profile.body, username)) credentials.push(cookie);
  }
  return credentials;
}

/**
 * The session cookie a login stored, found by what it does: of the cookies that alone sign the visitor in, the one
 * signed with the app's secret, else the first. A cookie set beside it (a decoy signed with the same secret, set
 * first) is not taken for it. When none signs anyone in by itself (a profile page not written yet), the cookie
 * {@link sessionCookieOf} finds by its form.
 */
export function sessionCookieAmong(
  login: Exchange,
  credentials: readonly BrowserCookie[],
  secret: string,
): SessionCookie | undefined {
  const stored = storedCookies(login);
  const signing = credentials.flatMap((cookie) => {
    const judged = stored.get(cookie.name);
    return judged?.verdict.accepted && judged.verdict.cookie.value === cookie.value ? [{ judged, cookie }] : [];
  });
  const chosen = signing.find(({ cookie }) => signedId(cookie.value, secret) !== undefined) ?? signing[0];
  if (!chosen) return sessionCookieOf(login, secret);
  return { name: chosen.cookie.name, stored: chosen.cookie.value, line: chosen.judged, cookie: chosen.cookie };
}

/** The session id inside a stored value, when it is `s:<id>.<signature>` signed with `secret`. */
export function signedId(stored: string, secret: string): string | undefined {
  const value = percentDecoded(stored);
  if (!value.startsWith(SIGNED)) return undefined;
  const id = unsign(value.slice(SIGNED.length), secret);
  return id === false ? undefined : id;
}

export function percentDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * A browser for one check: it keeps what the app's responses store (RFC 6265, as Chromium does) and sends it back,
 * so that a check reads as a visit: log in, open the profile, log out.
 */
export class Visitor {
  readonly jar = new BrowserJar({ origin: GRADER_ORIGIN });
  /** Every answer so far, with what the browser held right after it: a cookie may live for one page only. */
  readonly history: JarStep[] = [];

  constructor(readonly app: App) {}

  /** The Cookie header this browser sends to `path` now. */
  cookieFor(path: string): string | undefined {
    return this.jar.cookieHeaderFor(path);
  }

  async get(path: string): Promise<Exchange> {
    return this.keep(await get(this.app, path, this.cookieFor(path)), path);
  }

  async post(path: string, form: Readonly<Record<string, string>>): Promise<Exchange> {
    return this.keep(await post(this.app, path, form, this.cookieFor(path)), path);
  }

  /** Submits the login form with this username. */
  logIn(username: string): Promise<Exchange> {
    return this.post("/login", { username });
  }

  /**
   * Opens a page as a browser does from a link or the address bar: a GET, and the redirects that follow on the same
   * site (a few at most). Every answer is returned, in order: each may set cookies.
   */
  async open(path: string): Promise<Exchange[]> {
    if (hungBefore(this.app, path)) return [];
    const answers = [await this.get(path)];
    for (let hop = 0; hop < MAX_REDIRECTS; hop++) {
      const next = sameSiteRedirect(answers.at(-1)!);
      if (next === undefined || hungBefore(this.app, next)) break;
      answers.push(await this.get(next));
    }
    return answers;
  }

  private keep(exchange: Exchange, path: string): Exchange {
    this.jar.store({ headers: { "set-cookie": [...exchange.setCookie] } }, { path });
    this.history.push({ exchange, cookies: this.jar.cookies() });
    return exchange;
  }
}

/**
 * Whether a GET of this path hung in an earlier check: the grader does not send it again, and a check that only looks
 * around (a walk, a probe) leaves it out rather than fail for a cause an earlier check already named.
 */
function hungBefore(app: App, path: string): boolean {
  return app.session.hungPaths.has(`GET ${path}`);
}

/** How many redirects {@link Visitor.open} follows: enough for any honest site, finite for a loop. */
const MAX_REDIRECTS = 4;

/** Where a redirect leads on the app's own site (path and query), or undefined for no redirect or another site. */
function sameSiteRedirect(exchange: Exchange): string | undefined {
  if (exchange.status < 300 || exchange.status >= 400 || exchange.location === undefined) return undefined;
  const target = new URL(exchange.location, new URL(exchange.path, GRADER_ORIGIN));
  return target.origin === GRADER_ORIGIN ? `${target.pathname}${target.search}` : undefined;
}

/** One answer a browser got, and the cookies it held right after. */
export interface JarStep {
  readonly exchange: Exchange;
  readonly cookies: readonly BrowserCookie[];
}

/** The page's text as a reader sees it: tags dropped, character references decoded, white space folded. */
export function pageText(body: string): string {
  return body
    .slice(0, 200_000)
    .replace(/<[^<>]*>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;|&#x0*27;|&apos;/gi, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

/** Whether a page says that this user is signed in. */
export function saysSignedInAs(body: string, username: string): boolean {
  return pageText(body).toLowerCase().includes(`${SIGNED_IN} ${username}`.toLowerCase());
}

/** Whether a page says that anyone is signed in. */
export function saysSignedIn(body: string): boolean {
  return pageText(body).toLowerCase().includes(SIGNED_IN.toLowerCase());
}

/** Whether a login's answer is the redirect to /profile a browser follows with a GET. */
export function redirectsToProfile(exchange: Exchange): boolean {
  if (![302, 303].includes(exchange.status) || exchange.location === undefined) return false;
  return new URL(exchange.location, GRADER_ORIGIN).href === new URL("/profile", GRADER_ORIGIN).href;
}

/** The fewest and most visitors {@link crowd} logs in: each run draws its own number, most often a small one. */
const CROWD_FEWEST = 32;
const CROWD_MOST = 160;
/** How many of them log in at once: browsers do not wait for each other. */
const CROWD_AT_ONCE = 16;

/**
 * Logs in a crowd of other visitors first, so that what a check judges next happens on a site in use: an app that
 * behaves only while its session store is small, or for its first requests, does not pass because the grader came
 * alone. Their number is drawn each run (32 to 160, log-uniform), so no count is a safe bet; past the fewest, the
 * crowd stops once it has taken a quarter of the check's time, which a loaded machine may need for the rest.
 */
export async function crowd(app: App): Promise<void> {
  const visitors = Math.round(CROWD_FEWEST * Math.pow(CROWD_MOST / CROWD_FEWEST, randomInt(1_000_001) / 1_000_000));
  const until = Date.now() + app.session.limits.checkMs / 4;
  for (let done = 0; done < visitors; done += CROWD_AT_ONCE) {
    if (done >= CROWD_FEWEST && Date.now() > until) return;
    const batch = Math.min(CROWD_AT_ONCE, visitors - done);
    await Promise.all(Array.from({ length: batch }, () => post(app, "/login", { username: drawnUsername() })));
  }
}

/**
 * Logs a fresh browser in, and fails with a message that says what went wrong when the login does not redirect to
 * /profile with a session cookie. The checks that build on a login start here.
 */
export async function loggedIn(app: App, secret: string, username = drawnUsername()): Promise<SignedIn> {
  const signedIn = await tryLogIn(app, secret, username);
  const { login } = signedIn;
  const session = signedIn.session;
  if (!redirectsToProfile(login) || !session) {
    fail("Logging in did not work: this check needs a login that redirects to /profile with a session cookie.", {
      exchange: login,
      expected: "a redirect (302 or 303) to /profile, and a Set-Cookie for the session",
      hint: "Make 05's first check pass first: pnpm test 05.",
    });
  }
  return { ...signedIn, session };
}

/** A browser that logged in, and what the login left in it. */
export interface SignedIn {
  readonly visitor: Visitor;
  readonly login: Exchange;
  readonly session: SessionCookie;
  /** The cookies of the login's answer that sign the visitor in by themselves (see {@link credentialsAmong}). */
  readonly credentials: readonly BrowserCookie[];
  readonly username: string;
}

/**
 * Logs a fresh browser in, and says what it holds then, without judging it: the session cookie is undefined when the
 * login stored none, or did not redirect to /profile.
 */
export async function tryLogIn(
  app: App,
  secret: string,
  username = drawnUsername(),
): Promise<Omit<SignedIn, "session"> & { session: SessionCookie | undefined }> {
  const visitor = new Visitor(app);
  const login = await visitor.logIn(username);
  const credentials = redirectsToProfile(login) ? await credentialsAmong(app, visitor.jar.cookies(), username) : [];
  const session = redirectsToProfile(login) ? sessionCookieAmong(login, credentials, secret) : undefined;
  return { visitor, login, session, credentials, username };
}

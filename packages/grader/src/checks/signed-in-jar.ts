import type { BrowserCookie } from "@cookie-course/cookie-testing";
import type { Exchange } from "../harness/exchange.js";
import { fail } from "../harness/failure.js";
import type { App } from "../harness/session.js";
import { holdsText } from "./cookie-readings.js";
import {
  SIGNED_IN,
  credentialsAmong,
  drawnUsername,
  percentDecoded,
  signedId,
  type JarStep,
  type SignedIn,
} from "./session-cookie.js";
import { SIGNED_IN_PAGES, walk } from "./site-walk.js";

/**
 * The browser's whole jar over a visit: a login, then the site's pages as that visitor opens them. What a check
 * judges is what the browser holds after each answer, every cookie by name and value, not only the cookie the login
 * set: a cookie set on a later page is held all the same.
 */
export interface SignedInVisit extends SignedIn {
  /** What the browser held after each answer, the login's first. */
  readonly steps: readonly JarStep[];
  /** Every cookie the browser held on the way that signs the visitor in by itself, the session cookie among them. */
  readonly signingCookies: readonly BrowserCookie[];
}

/** Walks the site as the visitor who logged in, and finds every cookie held on the way that signs them in alone. */
export async function visitSignedIn(app: App, signedIn: SignedIn): Promise<SignedInVisit> {
  const steps = await walk(signedIn.visitor, SIGNED_IN_PAGES);
  const signingCookies = await credentialsAmong(app, distinctCookies(steps), signedIn.username);
  return { ...signedIn, steps, signingCookies };
}

/** "In production, " or nothing: the words that start a message about the production app. */
export type Where = "" | "In production, ";

/**
 * The session cookie's rules, for every cookie that signs the visitor in: whatever its name (a remember-me token),
 * a thief needs only it. Fails on the first that breaks them.
 */
export function judgeSigningAttributes(visit: SignedInVisit, where: Where): void {
  for (const cookie of signingCookiesWithSession(visit)) {
    const problems = [
      ...(cookie.httpOnly ? [] : ["it is not HttpOnly: any script in the page can read it, and take the session"]),
      ...(cookie.sameSite === "lax" ? [] : [`its SameSite is ${cookie.sameSite ?? "not set"}, not Lax`]),
      ...(cookie.path === "/"
        ? []
        : [`its Path is ${cookie.path}, not /: the browser sends it only to part of the site`]),
      ...(cookie.hostOnly ? [] : ["it names a Domain: it would also go to other hosts under that domain"]),
    ];
    const shownOn = cookie.httpOnly ? pageShowing(visit, cookie) : undefined;
    if (shownOn) {
      const which = cookie.name === visit.session.name ? "the session cookie" : aCredential(cookie, visit);
      fail(
        `${sentence(where, `GET ${shownOn.path} writes the value of ${which}`)} into its page: HttpOnly keeps the cookie from scripts, and the page hands it to them anyway.`,
        {
          exchange: shownOn,
          cookieName: cookie.name,
          expected: "no page holds the value of a cookie that signs the visitor in",
          hint: "A credential stays in the cookie: leave its value (and req.sessionID with its signature) out of every page, a <meta> or a hidden field too.",
        },
      );
    }
    if (problems.length === 0) continue;
    const which =
      cookie.name === visit.session.name ? "The session cookie's" : `${aCredential(cookie, visit)}, and its`;
    fail(`${sentence(where, which)} attributes are not right: ${problems.join("; ")}.`, {
      exchange: whereSet(visit, cookie),
      cookieName: cookie.name,
      expected: `HttpOnly, SameSite=Lax, Path=/, and no Domain${where ? ", in production as in development" : ""}, for the session cookie and any cookie that signs the visitor in`,
      hint:
        cookie.name === visit.session.name
          ? `Give express-session the cookie's attributes in its cookie option: { httpOnly: true, sameSite: "lax", path: "/" }, and no domain${where ? ", whatever NODE_ENV is (only secure depends on it)" : ""}.`
          : `A second cookie that logs the visitor in is a second key to the account. Keep the login in the session alone: drop the res.cookie that sets ${cookie.name}.`,
    });
  }
}

/** The first page of the visit whose body holds the cookie's value, as stored or decoded: a script can read it there. */
function pageShowing(visit: SignedInVisit, cookie: BrowserCookie): Exchange | undefined {
  const forms = [...new Set([cookie.value, percentDecoded(cookie.value)])].filter((form) => form.length >= 16);
  return visit.steps.map(({ exchange }) => exchange).find(({ body }) => forms.some((form) => body.includes(form)));
}

/** Every signing cookie must be Secure in production: over plain HTTP anyone on the network could copy it. */
export function judgeSigningSecure(visit: SignedInVisit): void {
  for (const cookie of signingCookiesWithSession(visit)) {
    if (cookie.secure) continue;
    fail(
      cookie.name === visit.session.name
        ? "In production, the session cookie is sent without Secure: over plain HTTP, anyone on the network can copy it and take the session."
        : `In production, ${lowerFirst(aCredential(cookie, visit))}, and it is sent without Secure: over plain HTTP, anyone on the network can copy it.`,
      {
        exchange: whereSet(visit, cookie),
        cookieName: cookie.name,
        expected: "over HTTPS, every cookie that signs the visitor in marked Secure",
        hint: 'In production the session cookie must be Secure: secure: process.env.NODE_ENV === "production", as for last_visit.',
      },
    );
  }
}

/**
 * What the browser holds says nothing about who logged in, and carries the session id only in the session cookie,
 * signed: every cookie held over the visit, by name and by value, under the encodings a person would try.
 */
export function judgeNothingButTheSignedId(visit: SignedInVisit, secret: string, where: Where): void {
  const { session, username } = visit;
  const id = signedId(session.stored, secret);
  if (id === undefined) {
    fail(`${sentence(where, `The session cookie ${session.name}`)} does not hold an id signed with COOKIE_SECRET.`, {
      exchange: visit.login,
      cookieName: session.name,
      expected: "the session id signed as express-session signs it, with the app's COOKIE_SECRET: s:<id>.<signature>",
      hint: "Let express-session make the cookie, and give it the secret from the environment (the one cookieSecret() returns), never one written in the code.",
    });
  }
  for (const cookie of distinctCookies(visit.steps)) {
    const value = percentDecoded(cookie.value);
    const inName = holdsText(cookie.name, username);
    if (inName || holdsText(value, username)) {
      const madeFromName = cookie.name === session.name && holdsText(id, username);
      fail(
        `${sentence(where, `The cookie ${cookie.name}`)} holds the username${inName ? " in its name" : ""}: anyone who sees the browser's cookies can read it, or change it.`,
        {
          exchange: whereSet(visit, cookie),
          cookieName: cookie.name,
          expected: "only the session's signed id in the browser; the username in the session, on the server",
          hint: `Keep the username in req.session: express-session stores it on the server, and the browser gets only the id.${
            cookie.name !== session.name
              ? ` Drop the res.cookie that sets ${cookie.name}.`
              : madeFromName
                ? " The id itself is made from the name: leave out genid, and express-session draws a random id."
                : ""
          }`,
        },
      );
    }
    if (cookie.name !== session.name && value.includes(id)) {
      fail(
        `${sentence(where, `The cookie ${cookie.name}`)} holds the session id where a page script or any reader can find it.`,
        {
          exchange: whereSet(visit, cookie),
          cookieName: cookie.name,
          expected: "the session id only in the session cookie, signed and HttpOnly",
          hint: `The session id is the key to the account: express-session's own cookie carries it. Drop the res.cookie that sets ${cookie.name}.`,
        },
      );
    }
  }
  for (const cookie of visit.signingCookies) {
    if (cookie.name === session.name || signedId(cookie.value, secret) !== undefined) continue;
    fail(
      `${sentence(where, aCredential(cookie, visit))}, and it is not an id signed with COOKIE_SECRET: whoever holds it is let in, and nothing proves the server made it.`,
      {
        exchange: whereSet(visit, cookie),
        cookieName: cookie.name,
        expected: "only the session cookie signs the visitor in: the session id, signed with the app's COOKIE_SECRET",
        hint: `Keep the login in the session alone: drop the res.cookie that sets ${cookie.name}, and read who is signed in from req.session.`,
      },
    );
  }
}

/**
 * A cookie that stays the same over two logins as one name, and changes when another name logs in, is made from the
 * name, whatever the encoding (a key in the code, a hash): an id drawn at random, or a value encrypted with a fresh
 * nonce, changes at every login. The same holds for each part of a value between separators (`.`, `:`, `|`…): a
 * value made from the name and glued to a fresh random part still has a part that follows the name. The logins go
 * first name, other name, first name again, so that a value that only follows the clock or a counter is never taken
 * for one.
 */
export async function judgeNotMadeFromName(
  first: SignedInVisit,
  logInAgain: (username: string) => Promise<SignedInVisit>,
  where: Where,
): Promise<void> {
  const other = await logInAgain(drawnUsername());
  const again = await logInAgain(first.username);
  const seen = (visit: SignedInVisit) => {
    const cookies = distinctCookies(visit.steps);
    return {
      names: new Set(cookies.map(({ name }) => name)),
      values: new Set(cookies.flatMap(({ value }) => [value, ...partsOf(value)])),
    };
  };
  const [a, b] = [seen(first), seen(again)];
  const otherSeen = seen(other);
  for (const cookie of distinctCookies(again.steps)) {
    const nameFollows = a.names.has(cookie.name) && b.names.has(cookie.name) && !otherSeen.names.has(cookie.name);
    const follows = (value: string) => a.values.has(value) && b.values.has(value) && !otherSeen.values.has(value);
    const wholeValueFollows = follows(cookie.value);
    const valueFollows = wholeValueFollows || partsOf(cookie.value).some(follows);
    if (!nameFollows && !valueFollows) continue;
    const what = nameFollows ? "name" : wholeValueFollows ? "value" : "part of its value";
    fail(
      `${sentence(where, `The cookie ${cookie.name}`)} has the same ${what} at each login as ${first.username}, and ${
        nameFollows ? "is not set" : "another"
      } when ${other.username} logs in: it is made from the username, and whoever knows how reads it back.`,
      {
        exchange: whereSet(again, cookie),
        cookieName: cookie.name,
        expected:
          "only the session's signed id in the browser, drawn anew at every login; the username in the session, on the server",
        hint:
          cookie.name === first.session.name
            ? "The session id must say nothing of the user: leave out genid, and express-session draws a random id at every login."
            : `Keep the username in req.session, on the server: drop the res.cookie that sets ${cookie.name}.`,
      },
    );
  }
}

/** How long a part of a value must be to be judged by itself: shorter ones (minutes, milliseconds) say too little. */
const MIN_PART_LENGTH = 8;

/** The parts of a value between separators that are not base64's, percent-decoded first. */
function partsOf(value: string): string[] {
  const parts = percentDecoded(value)
    .split(/[.:|;,\s]+/)
    .filter((part) => part.length >= MIN_PART_LENGTH);
  return parts.length > 1 ? parts : [];
}

/** Every cookie held over the steps, once for each name and value, as it was held last. */
export function distinctCookies(steps: readonly JarStep[]): BrowserCookie[] {
  const cookies = new Map<string, BrowserCookie>();
  for (const step of steps) for (const cookie of step.cookies) cookies.set(`${cookie.name}=${cookie.value}`, cookie);
  return [...cookies.values()];
}

/** The signing cookies, the session cookie first even when it signs in only with others (judged as it was stored). */
function signingCookiesWithSession(visit: SignedInVisit): BrowserCookie[] {
  const others = visit.signingCookies.filter(({ name }) => name !== visit.session.name);
  return [visit.session.cookie, ...others];
}

/** The first answer after which the browser held this cookie: the one that set it. */
function whereSet(
  visit: { readonly login: Exchange; readonly steps: readonly JarStep[] },
  cookie: BrowserCookie,
): Exchange {
  const step = visit.steps.find(({ cookies }) =>
    cookies.some(({ name, value }) => name === cookie.name && value === cookie.value),
  );
  return step?.exchange ?? visit.login;
}

function aCredential(cookie: BrowserCookie, visit: SignedInVisit): string {
  return `The cookie ${cookie.name} signs the visitor in by itself (sent alone to /profile, it shows "${SIGNED_IN} ${visit.username}"): it is a credential, as the session cookie is`;
}

function sentence(where: Where, subject: string): string {
  return where === "" ? subject : `${where}${lowerFirst(subject)}`;
}

function lowerFirst(text: string): string {
  return text.startsWith("The ") ? `the ${text.slice(4)}` : text;
}

import {
  BrowserJar,
  judgeDeletion,
  judgeSetCookie,
  type BrowserCookie,
  type RejectionRule,
} from "@cookie-course/cookie-testing";
import { decodeSetCookie, type DecodedSetCookie } from "./decode-set-cookie.js";
import { decodeCookieValue } from "./words.js";

/** What the proxy saw of one request and its response. */
export interface ObservedExchange {
  readonly method: string;
  /** The path with its query, as requested. */
  readonly path: string;
  readonly status: number;
  /** The request's `Cookie` header as the browser sent it; undefined when it sent none. */
  readonly cookieHeader: string | undefined;
  /** The response's `Set-Cookie` lines, raw and in order. */
  readonly setCookie: readonly string[];
  /** When the request arrived: a cookie set after that could not have been sent with it. */
  readonly at: Date;
  /** What the proxy itself has to say: the app did not answer, a header could not be passed on… */
  readonly notes?: readonly string[];
}

/** What the browser did with one Set-Cookie line. */
export type LineOutcome =
  | { readonly kind: "stored"; readonly cookie: BrowserCookie; readonly replaced: boolean }
  /** An already expired line that removed the cookie of the same name, Domain and Path. */
  | { readonly kind: "deleted"; readonly cookie: BrowserCookie }
  /** An already expired line for a cookie the jar holds under another Path or Domain: the browser keeps it. */
  | { readonly kind: "did-not-delete"; readonly reason: string }
  /** An already expired line for a name the jar has no cookie of. */
  | { readonly kind: "nothing-to-delete"; readonly reason: string }
  | { readonly kind: "rejected"; readonly rule: RejectionRule; readonly reason: string };

export interface RecordedSetCookie extends DecodedSetCookie {
  /** The line as sent. */
  readonly line: string;
  readonly outcome: LineOutcome;
  /** More to know about the outcome: attributes the browser skipped, an empty value that is still a cookie… */
  readonly notes: readonly string[];
}

/** One cookie of a request's `Cookie` header. */
export interface SentCookie {
  readonly name: string;
  /** Percent-decoded. */
  readonly value: string;
  /** As sent, only when it differs from `value`. */
  readonly rawValue: string | undefined;
  /** undefined when the workbook saw the cookie set; otherwise why it did not expect it. */
  readonly unexpected: string | undefined;
}

export interface RecordedExchange {
  /** Counts up from 1 since the recorder was made: an anchor for the page. */
  readonly id: number;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly at: Date;
  readonly cookieHeader: string | undefined;
  readonly sent: readonly SentCookie[];
  readonly setCookies: readonly RecordedSetCookie[];
  /** What the browser's Cookie header said that the workbook's jar did not, and the proxy's own notes. */
  readonly notes: readonly string[];
}

/** A cookie as the browser holds it now, as far as the workbook can tell. */
export type JarCookie =
  | ({ readonly source: "set-cookie"; readonly decodedValue: string } & BrowserCookie)
  /** Sent by the browser, but never seen set: its Path, Domain and lifetime are unknown. */
  | {
      readonly source: "before-recording";
      readonly name: string;
      readonly value: string;
      readonly decodedValue: string;
      readonly seenOn: string;
    };

export interface CookieRecorderOptions {
  /** How many exchanges to keep, newest first: 50 unless told. */
  readonly limit?: number;
  /** The app's origin as the browser sees it: the workbook's, `http://localhost`. */
  readonly origin?: string;
  /** The browser's clock, for lifetimes: the real one unless told. */
  readonly clock?: () => Date;
}

/** How many Set-Cookie lines of one response are judged: Chromium's cap on cookies per domain (kDomainMaxCookies). */
export const MAX_LINES_JUDGED = 180;

/** The words the panel uses for a cookie the browser sends that the workbook never saw set. */
export const BEFORE_RECORDING =
  "sent by the browser, set before the workbook was recording, by another app on localhost (cookies ignore the port: pnpm dev's app on :3000 shares them), or by a page script";

/**
 * The words the panel uses for a cookie the browser sent with another value than the workbook saw set: exercise 04
 * asks the learner to change the signed cookie in the browser's tools, and see the app refuse it.
 */
export const CHANGED_BY_HAND =
  "its value is not the one the workbook saw set: you changed it by hand (in the browser's tools), or a page script or another app on localhost did; the workbook's jar now holds what the browser sent";

/**
 * Keeps the last exchanges between the browser and the learner's app and a model of the browser's cookie jar for
 * the app's origin, built by applying every `Set-Cookie` as Chromium does (cookie-testing's BrowserJar and
 * judgeSetCookie, the grader's own rules and words).
 *
 * The model is checked against each `Cookie` header the browser actually sends: cookies are shared by every port of
 * localhost and the browser kept its jar before the workbook started, so a cookie can be sent that the workbook
 * never saw set, and one it saw set can be gone (cleared in the browser's tools, deleted by a script).
 */
export class CookieRecorder {
  readonly #limit: number;
  readonly #clock: () => Date;
  readonly #origin: string;
  #jar: BrowserJar;
  #exchanges: RecordedExchange[] = [];
  #nextId = 1;
  /** The line that stored each cookie of the model, by its identity, so judgeDeletion can replay it. */
  #setBy = new Map<string, { path: string; line: string }>();
  /** When each name last changed in the model: a request sent before that reflects an older jar. */
  #changedAt = new Map<string, number>();
  /** Cookies the browser sent that the model does not know, by name. */
  #beforeRecording = new Map<string, { value: string; seenOn: string }>();
  readonly #listeners = new Set<() => void>();

  constructor({ limit = 50, origin = "http://localhost", clock = () => new Date() }: CookieRecorderOptions = {}) {
    this.#limit = limit;
    this.#clock = clock;
    this.#origin = origin;
    this.#jar = new BrowserJar({ origin, clock });
  }

  /** Records one exchange: reconciles the model with the Cookie header sent, then applies each Set-Cookie line. */
  record(observed: ObservedExchange): RecordedExchange {
    const pathname = pathnameOf(observed.path);
    const { sent, notes } = this.#reconcile(observed, pathname);
    // Chromium keeps at most 180 cookies per domain: lines past that many in one response are not judged one by
    // one (an app that sends hundreds would cost the workbook a second of work on every request).
    const setCookies = observed.setCookie.slice(0, MAX_LINES_JUDGED).map((line) => this.#apply(line, pathname));
    const unjudged = observed.setCookie.length - setCookies.length;
    if (unjudged > 0)
      notes.push(
        `${unjudged} more Set-Cookie lines were not examined: a browser keeps at most ${MAX_LINES_JUDGED} cookies for one site (Chromium's limit), so it evicts cookies long before that many.`,
      );
    const exchange: RecordedExchange = {
      id: this.#nextId++,
      method: observed.method,
      path: observed.path,
      status: observed.status,
      at: observed.at,
      cookieHeader: observed.cookieHeader,
      sent,
      setCookies,
      notes: [...notes, ...(observed.notes ?? [])],
    };
    this.#exchanges = [exchange, ...this.#exchanges].slice(0, this.#limit);
    this.#changed();
    return exchange;
  }

  /** The exchanges kept, newest first. */
  exchanges(): readonly RecordedExchange[] {
    return this.#exchanges;
  }

  /** The cookies the browser holds now: those seen set (in Cookie-header order), then those only seen sent. */
  jar(): JarCookie[] {
    const seen = this.#jar
      .cookies()
      .map((cookie): JarCookie => ({ source: "set-cookie", ...cookie, decodedValue: decodeCookieValue(cookie.value) }));
    const before = [...this.#beforeRecording].map(([name, { value, seenOn }]): JarCookie => ({
      source: "before-recording",
      name,
      value,
      decodedValue: decodeCookieValue(value),
      seenOn,
    }));
    return [...seen, ...before];
  }

  /** Forgets the requests (a new exercise's app starts), keeping the jar: the browser keeps its cookies too. */
  clearRequests(): void {
    this.#exchanges = [];
    this.#changed();
  }

  /** Forgets every exchange and the model of the jar (the browser's own jar is untouched). */

  clear(): void {
    this.#jar = new BrowserJar({ origin: this.#origin, clock: this.#clock });
    this.#exchanges = [];
    this.#setBy.clear();
    this.#changedAt.clear();
    this.#beforeRecording.clear();
    this.#changed();
  }

  /** Calls `listener` after each change; returns the function that stops it. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A listener that fails (a closed event stream) must not fail the request being recorded. */
  #changed(): void {
    for (const listener of this.#listeners) {
      try {
        listener();
      } catch (error) {
        console.error("The cookie panel could not be updated:", error);
      }
    }
  }

  /**
   * Compares the Cookie header the browser sent with the one the model expects for that path (RFC 6265 §5.4). A
   * name that changed in the model after the request left is not compared: the browser sent the older jar.
   */
  #reconcile(observed: ObservedExchange, pathname: string): { sent: SentCookie[]; notes: string[] } {
    const sentAt = observed.at.getTime();
    const settled = (name: string) => (this.#changedAt.get(name) ?? -Infinity) < sentAt;
    const expected = parseCookieHeader(this.#jar.cookieHeaderFor(pathname) ?? "");
    const pairs = parseCookieHeader(observed.cookieHeader ?? "");
    const notes: string[] = [];

    // Each pair sent as the model expects it takes its expected pair; what is left on both sides differs.
    const unmatched = [...expected];
    const asExpected = pairs.map((pair) => {
      const index = unmatched.findIndex((candidate) => candidate.name === pair.name && candidate.value === pair.value);
      if (index !== -1) unmatched.splice(index, 1);
      return index !== -1;
    });

    const sent = pairs.map(({ name, value }, index): SentCookie => {
      const decoded = decodeCookieValue(value);
      const base = { name, value: decoded, rawValue: decoded === value ? undefined : value };
      if (asExpected[index] || !settled(name)) return { ...base, unexpected: undefined };
      // The cookie the model holds for this path, with another value: changed in the browser (exercise 04 asks
      // the learner to do it by hand). The browser still holds it, with its Path and lifetime: the model follows.
      const changed = unmatched.findIndex((pair) => pair.name === name);
      if (changed !== -1 && this.#adoptValue(name, unmatched[changed]!.value, value, pathname)) {
        unmatched.splice(changed, 1);
        return { ...base, unexpected: CHANGED_BY_HAND };
      }
      const known = this.#jar.cookies().some((cookie) => cookie.name === name);
      this.#beforeRecording.set(name, { value, seenOn: pathname });
      return {
        ...base,
        unexpected: known
          ? "the browser sent another value than the workbook saw set: a page script or another app on localhost may have changed it"
          : BEFORE_RECORDING,
      };
    });

    // A cookie seen only in Cookie headers, that a request to the same path no longer carries, is gone.
    for (const [name, { seenOn }] of this.#beforeRecording) {
      if (seenOn === pathname && !pairs.some((pair) => pair.name === name)) this.#beforeRecording.delete(name);
    }

    const missing = unmatched.filter((pair) => settled(pair.name));
    if (missing.length > 0 && observed.cookieHeader === undefined) {
      // A request without credentials (fetch with credentials: "omit") sends no Cookie header at all: the
      // browser may still hold the cookies, so the model keeps them.
      notes.push(
        `The browser sent no Cookie header, though the workbook expected ${namesOf(missing)}: a request without cookies, or they were cleared.`,
      );
    } else if (missing.length > 0) {
      notes.push(
        `The browser did not send ${namesOf(missing)}, which the workbook saw set: it no longer has ${missing.length === 1 ? "it" : "them"} ` +
          "(it ended with the browser, as a cookie without Expires or Max-Age does; this is another browser; or it was cleared in the browser's tools or by a page script), so the workbook's jar drops " +
          `${missing.length === 1 ? "it" : "them"} too.`,
      );
      for (const pair of missing) this.#forget(pair.name, pathname);
    }
    return { sent, notes };
  }

  /**
   * Gives the model's cookie `name`, which a request to `pathname` carries with `held`, the value the browser sent
   * instead: the same cookie (name, Domain, Path, lifetime, flags) stored again with it. False when the browser's
   * value cannot be written in a Set-Cookie line the model accepts (a nameless cookie, a control character).
   */
  #adoptValue(name: string, held: string, sent: string, pathname: string): boolean {
    const cookie = this.#jar
      .cookies()
      .find(
        (candidate) => candidate.name === name && candidate.value === held && pathMatches(pathname, candidate.path),
      );
    if (!cookie || name === "") return false;
    const line =
      `${name}=${sent}; Path=${cookie.path}${cookie.hostOnly ? "" : `; Domain=${cookie.domain}`}` +
      `${cookie.expires ? `; Expires=${cookie.expires.toUTCString()}` : ""}${cookie.secure ? "; Secure" : ""}${cookie.httpOnly ? "; HttpOnly" : ""}` +
      `${cookie.sameSite ? `; SameSite=${cookie.sameSite}` : ""}`;
    const verdict = judgeSetCookie(line, new URL(cookie.path, this.#origin).href, this.#clock());
    if (!verdict.accepted || verdict.expired || identity(verdict.cookie) !== identity(cookie)) return false;
    this.#jar.store({ headers: { "set-cookie": [line] } }, { path: cookie.path });
    return true;
  }

  /** Removes from the model the cookies of that name a request to `pathname` would carry. */
  #forget(name: string, pathname: string): void {
    for (const cookie of this.#jar.cookies().filter((candidate) => candidate.name === name)) {
      if (!pathMatches(pathname, cookie.path)) continue;
      const domain = cookie.hostOnly ? "" : `; Domain=${cookie.domain}`;
      // Secure and HttpOnly, so that a name prefix (__Host-, __Http-) does not refuse the deletion.
      const flags = `${cookie.secure ? "; Secure" : ""}${cookie.httpOnly ? "; HttpOnly" : ""}`;
      this.#jar.store(
        { headers: { "set-cookie": [`${name}=; Path=${cookie.path}${domain}${flags}; Max-Age=0`] } },
        { path: pathname },
      );
      this.#setBy.delete(identity(cookie));
    }
  }

  /** Applies one Set-Cookie line to the model, and says what it did. */
  #apply(line: string, pathname: string): RecordedSetCookie {
    const now = this.#clock();
    const verdict = judgeSetCookie(line, new URL(pathname, this.#origin).href, now);
    const decoded = decodeSetCookie(line, verdict, now);
    if (!verdict.accepted)
      return { ...decoded, line, outcome: { kind: "rejected", rule: verdict.rule, reason: verdict.reason }, notes: [] };

    const { cookie, expired } = verdict;
    const before = this.#jar.cookies().filter((held) => held.name === cookie.name);
    const same = before.find((held) => identity(held) === identity(cookie));
    const setBy = same && this.#setBy.get(identity(same));
    this.#jar.store({ headers: { "set-cookie": [line] } }, { path: pathname });
    this.#changedAt.set(cookie.name, now.getTime());
    const notes: string[] = [];

    if (expired) {
      this.#setBy.delete(identity(cookie));
      if (same) return { ...decoded, line, outcome: { kind: "deleted", cookie: same }, notes };
      const other = before[0];
      if (other)
        return {
          ...decoded,
          line,
          outcome: { kind: "did-not-delete", reason: this.#whyNotDeleted(other, line, pathname, now) },
          notes,
        };
      const wasSent = this.#beforeRecording.delete(cookie.name);
      return {
        ...decoded,
        line,
        outcome: {
          kind: "nothing-to-delete",
          reason: wasSent
            ? `the browser sent ${cookie.name} from before the workbook was recording, so the workbook cannot tell whether this Path and Domain match it; the next request will show`
            : `the browser had no cookie named ${cookie.name} that the workbook knows of`,
        },
        notes,
      };
    }

    this.#setBy.set(identity(cookie), { path: pathname, line });
    this.#beforeRecording.delete(cookie.name);
    // An empty value, or an Expires the browser cannot read, meant as a deletion: the classic mistakes. Say what
    // judgeDeletion says about them.
    const lifetimeIgnored = verdict.ignored.some((skip) => /^(expires|max-age)$/i.test(skip.name));
    if (same && setBy && (cookie.value === "" || lifetimeIgnored)) {
      const deletion = safeJudgeDeletion(cookie.name, setBy, { path: pathname, setCookie: [line] }, this.#origin, now);
      if (deletion && !deletion.deleted)
        notes.push(`If this was meant to delete ${cookie.name}, it does not: ${deletion.reason}.`);
    }
    const others = before.filter((held) => identity(held) !== identity(cookie));
    if (others.length > 0) {
      notes.push(
        `The browser now holds ${others.length + 1} cookies named ${cookie.name} (${[cookie, ...others].map(where).join(", ")}); ` +
          "a request to a path under all of them carries them all, the longest Path first.",
      );
    }
    return { ...decoded, line, outcome: { kind: "stored", cookie, replaced: same !== undefined }, notes };
  }

  /**
   * Why an expired line leaves `held` in place, in the grader's words: judgeDeletion replays the line that stored
   * the cookie and this one. The workbook's own sentence stands in when it cannot (the cookie was seen set by a
   * line that no longer stores it now, such as an Expires that has since passed).
   */
  #whyNotDeleted(held: BrowserCookie, line: string, pathname: string, now: Date): string {
    const setBy = this.#setBy.get(identity(held));
    const verdict =
      setBy && safeJudgeDeletion(held.name, setBy, { path: pathname, setCookie: [line] }, this.#origin, now);
    if (verdict && !verdict.deleted) return verdict.reason;
    return `the browser holds ${held.name} with ${where(held)}, and deletes only the cookie with the same name, Domain and Path`;
  }
}

function safeJudgeDeletion(
  name: string,
  setBy: { path: string; line: string },
  deletedBy: { path: string; setCookie: string[] },
  origin: string,
  now: Date,
) {
  try {
    return judgeDeletion(name, { path: setBy.path, setCookie: [setBy.line] }, deletedBy, { origin, now });
  } catch {
    return undefined;
  }
}

/** A browser keys a cookie by name, domain, host-only flag and path (RFC 6265bis §5.7). */
function identity(cookie: BrowserCookie): string {
  return JSON.stringify([cookie.name, cookie.domain, cookie.hostOnly, cookie.path]);
}

function where(cookie: BrowserCookie): string {
  return `Path=${cookie.path}${cookie.hostOnly ? "" : ` Domain=${cookie.domain}`}`;
}

function namesOf(pairs: readonly { name: string }[]): string {
  const names = [...new Set(pairs.map((pair) => pair.name || "(a nameless cookie)"))];
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} and ${names.at(-1)!}`;
}

/** The pairs of a Cookie header (RFC 6265 §4.2.1), raw; a nameless cookie is sent as its bare value. */
export function parseCookieHeader(header: string): { name: string; value: string }[] {
  return header
    .split(";")
    .map((pair) => pair.trim())
    .filter((pair) => pair !== "")
    .map((pair) => {
      const eq = pair.indexOf("=");
      return eq === -1
        ? { name: "", value: pair }
        : { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim() };
    });
}

/** RFC 6265 §5.1.4 path-match. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/";
}

function pathnameOf(path: string): string {
  const end = path.search(/[?#]/);
  const pathname = end === -1 ? path : path.slice(0, end);
  return pathname.startsWith("/") ? pathname : "/";
}

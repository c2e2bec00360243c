import { Cookie as ToughCookie, CookieJar, cookieCompare } from "tough-cookie";
import {
  DEFAULT_ORIGIN,
  judgeSetCookie,
  type BrowserCookie,
  type RejectedSetCookie,
  type SetCookieVerdict,
} from "./judge.js";
import { rawSetCookies, type ResponseWithHeaders } from "./set-cookie.js";

/** A Set-Cookie line the browser rejected, and why. */
export interface Rejection {
  readonly line: string;
  readonly verdict: RejectedSetCookie;
}

export interface BrowserJarOptions {
  /** Where the requests go: `http://localhost` unless told otherwise (`https://…` to judge production). */
  readonly origin?: string;
  /** The browser's clock, for storing and for expiring: the real one (or vitest's fake one) by default. */
  readonly clock?: () => Date;
}

export interface StoreOptions {
  /** The path of the request the response answered: a cookie without Path gets its default-path (RFC 6265 §5.1.4). */
  readonly path?: string;
}

/**
 * A browser's cookie store for one origin, for tests that carry cookies from one response to the next request.
 * supertest's own agent keeps a cookie deleted with `Max-Age=0` (as an empty value), so a broken deletion could
 * look like it worked; this jar deletes, ignores and rejects what Chromium does.
 *
 * tough-cookie's CookieJar (RFC 6265) stores the cookies and picks those a request gets (§5.4: path-match, expiry,
 * order); {@link judgeSetCookie} decides first what a Set-Cookie line stores, with the rules Chromium adds.
 *
 * Two CookieJars, because a browser keys a cookie by name, domain, path and host-only flag (RFC 6265bis §5.7,
 * "Storage Model"; Chromium writes a Domain cookie's domain with a leading dot): `a=1` and `a=2; Domain=<the host>` are two
 * cookies, and neither deletes the other. tough-cookie keys by name, domain and path only (RFC 6265 §5.3 step 11).
 */
export class BrowserJar {
  readonly #origin: string;
  readonly #hostOnly = new CookieJar(undefined, { prefixSecurity: "strict" });
  readonly #domainCookies = new CookieJar(undefined, { prefixSecurity: "strict" });
  readonly #rejections: Rejection[] = [];
  readonly #clock: () => Date;

  constructor({ origin = DEFAULT_ORIGIN, clock = () => new Date() }: BrowserJarOptions = {}) {
    this.#origin = new URL(origin).origin;
    this.#clock = clock;
  }

  /**
   * Applies every `Set-Cookie` of a response, in order, as a browser does (RFC 6265bis §5.7), and returns the
   * verdict on each line.
   */
  store(response: ResponseWithHeaders, { path = "/" }: StoreOptions = {}): SetCookieVerdict[] {
    const url = this.#url(path);
    const now = this.#clock();
    return rawSetCookies(response).map((line) => {
      const verdict = judgeSetCookie(line, url, now);
      if (!verdict.accepted) this.#rejections.push({ line, verdict });
      // An expired cookie replaces the stored one and is then never sent: that is how a browser deletes.
      else
        (verdict.cookie.hostOnly ? this.#hostOnly : this.#domainCookies).setCookieSync(
          toughCookieOf(verdict.cookie),
          url,
          { now },
        );
      return verdict;
    });
  }

  /** The lines this jar rejected so far, oldest first. */
  get rejections(): readonly Rejection[] {
    return this.#rejections;
  }

  /** Whether the jar holds a live cookie of that name, on any path. */
  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** The live cookie of that name; of several (on different paths), the one a request to it would list first. */
  get(name: string): BrowserCookie | undefined {
    return this.#all().find((cookie) => cookie.name === name);
  }

  /** Every live cookie, in the order a request to all their paths would list them (RFC 6265 §5.4 step 2). */
  cookies(): BrowserCookie[] {
    return this.#all();
  }

  /** How many live cookies the jar holds. */
  get size(): number {
    return this.#all().length;
  }

  /** The `Cookie` header a browser would send to `requestPath`, or undefined when it sends none (RFC 6265 §5.4). */
  cookieHeaderFor(requestPath = "/"): string | undefined {
    const cookies = this.#live(this.#url(requestPath), {});
    return cookies.length > 0 ? cookies.map((cookie) => cookie.cookieString()).join("; ") : undefined;
  }

  #all(): BrowserCookie[] {
    return this.#live(this.#url("/"), { allPaths: true }).map(browserCookieOf);
  }

  /**
   * Both jars' unexpired cookies for `url`, in the order of RFC 6265 §5.4 step 2 (longer paths first, then older).
   * Expiry is judged here, on the jar's clock: tough-cookie's own check would read the real one.
   */
  #live(url: string, options: { allPaths?: boolean }): ToughCookie[] {
    const now = this.#clock().getTime();
    const all = [
      ...this.#hostOnly.getCookiesSync(url, { ...options, expire: false }),
      ...this.#domainCookies.getCookiesSync(url, { ...options, expire: false }),
    ];
    return all.filter((cookie) => (cookie.expiryTime() ?? Infinity) > now).sort(cookieCompare);
  }

  #url(path: string): string {
    return new URL(path, this.#origin).href;
  }
}

function toughCookieOf(cookie: BrowserCookie): ToughCookie {
  return new ToughCookie({
    key: cookie.name,
    value: cookie.value,
    // tough-cookie makes a cookie without domain host-only, for the request's host.
    domain: cookie.hostOnly ? null : cookie.domain,
    path: cookie.path,
    expires: cookie.expires ?? "Infinity",
    secure: cookie.secure,
    httpOnly: cookie.httpOnly,
    sameSite: cookie.sameSite,
  });
}

function browserCookieOf(cookie: ToughCookie): BrowserCookie {
  return {
    name: cookie.key,
    value: cookie.value,
    domain: cookie.domain ?? "",
    hostOnly: cookie.hostOnly ?? true,
    path: cookie.path ?? "/",
    expires: cookie.expires instanceof Date ? cookie.expires : undefined,
    secure: cookie.secure,
    httpOnly: cookie.httpOnly,
    sameSite:
      cookie.sameSite === "strict" || cookie.sameSite === "lax" || cookie.sameSite === "none"
        ? cookie.sameSite
        : undefined,
  };
}

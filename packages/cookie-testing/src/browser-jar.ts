import { parseSetCookie } from "set-cookie-parser";
import { deletesCookie, rawSetCookies, type ResponseWithHeaders } from "./set-cookie.js";

interface StoredCookie {
  readonly name: string;
  readonly value: string;
  readonly path: string;
}

/**
 * Just enough of a browser's cookie store for tests that carry cookies from one response to the next request, with
 * its rules written out. supertest's own agent keeps a cookie deleted with `Max-Age=0` (as an empty value), so a
 * broken deletion could look like it worked.
 *
 * One host (127.0.0.1, where supertest sends requests, unless told otherwise). Path and Domain are modelled because
 * a deletion on the wrong Path or Domain is the classic logout bug: the browser ignores it and keeps the cookie.
 */
export class BrowserJar {
  readonly #cookies = new Map<string, StoredCookie>();
  readonly #host: string;

  constructor({ host = "127.0.0.1" }: { host?: string } = {}) {
    this.#host = host.toLowerCase();
  }

  /** Applies every `Set-Cookie` of a response, in order, as a browser does (RFC 6265 §5.3). */
  store(response: ResponseWithHeaders, now: number = Date.now()): void {
    // Keep values as sent: the browser returns them byte for byte, still percent-encoded.
    for (const cookie of parseSetCookie(rawSetCookies(response), { decodeValues: false })) {
      // Step 6: a Domain this host does not belong to makes the browser ignore the whole Set-Cookie.
      const domain = cookie.domain?.replace(/^\./, "").toLowerCase() ?? this.#host;
      if (!domainMatches(this.#host, domain)) continue;
      // Step 11: a cookie replaces (or deletes) only the one with the same name, domain and path. The apps under
      // test serve their routes from the top level, so a missing Path defaults to "/" (§5.1.4 default-path).
      const path = cookie.path ?? "/";
      const key = `${cookie.name}; ${domain}; ${path}`;
      if (deletesCookie(cookie, now)) this.#cookies.delete(key);
      else this.#cookies.set(key, { name: cookie.name, value: cookie.value, path });
    }
  }

  /** Whether the jar holds a cookie of that name, on any path. */
  has(name: string): boolean {
    return [...this.#cookies.values()].some((cookie) => cookie.name === name);
  }

  get size(): number {
    return this.#cookies.size;
  }

  /** The `Cookie` header a browser would send to `requestPath`, or undefined when it sends none (§5.4). */
  cookieHeaderFor(requestPath = "/"): string | undefined {
    const pairs = [...this.#cookies.values()]
      .filter((cookie) => pathMatches(requestPath, cookie.path))
      .map((cookie) => `${cookie.name}=${cookie.value}`);
    return pairs.length > 0 ? pairs.join("; ") : undefined;
  }
}

/** RFC 6265 §5.1.3 domain-match: the host itself, or a subdomain of a domain (never of an IP address). */
function domainMatches(host: string, domain: string): boolean {
  if (host === domain) return true;
  return host.endsWith(`.${domain}`) && !/^[\d.]+$|:/.test(host);
}

/** RFC 6265 §5.1.4 path-match. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/";
}

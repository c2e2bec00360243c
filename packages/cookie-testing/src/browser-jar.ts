import { parseSetCookie } from "set-cookie-parser";
import { deletesCookie, type ResponseWithHeaders } from "./set-cookie.js";

/**
 * A cookie jar that stores and deletes as a browser does, for tests that carry cookies from one response to the
 * next request. supertest's own jar keeps a cookie deleted with `Max-Age=0` (as an empty value), so it cannot tell
 * whether a logout really logged out.
 *
 * It keeps one cookie per name: enough for apps whose cookies all live on Path=/ of one host.
 */
export class BrowserJar {
  readonly #values = new Map<string, string>();

  /** Applies every `Set-Cookie` of a response, in order. */
  store(response: ResponseWithHeaders, now: number = Date.now()): void {
    const header = response.headers["set-cookie"];
    if (header === undefined) return;
    const lines = (Array.isArray(header) ? header : [header]).map(String);
    // Keep values as sent: the browser returns them byte for byte, still percent-encoded.
    for (const cookie of parseSetCookie(lines, { decodeValues: false })) {
      if (deletesCookie(cookie, now)) this.#values.delete(cookie.name);
      else this.#values.set(cookie.name, cookie.value);
    }
  }

  has(name: string): boolean {
    return this.#values.has(name);
  }

  /** The `Cookie` request header a browser would send (RFC 6265 §5.4), or undefined when the jar is empty. */
  cookieHeader(): string | undefined {
    if (this.#values.size === 0) return undefined;
    return [...this.#values].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

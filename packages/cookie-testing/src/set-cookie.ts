import { parseSetCookie, type Cookie } from "set-cookie-parser";

export type { Cookie };

/** What supertest (or any Node response) gives: headers with an optional `set-cookie` list. */
export interface ResponseWithHeaders {
  readonly headers: Record<string, unknown>;
}

/** The raw `Set-Cookie` lines of a response. */
export function rawSetCookies(response: ResponseWithHeaders): string[] {
  const header = response.headers["set-cookie"];
  if (header === undefined) return [];
  return (Array.isArray(header) ? header : [header]).map(String);
}

/**
 * Every `Set-Cookie` of a response for one cookie name, in order, with values percent-decoded as a server would
 * read them back.
 */
export function setCookiesNamed(response: ResponseWithHeaders, name: string): Cookie[] {
  return parseSetCookie(rawSetCookies(response)).filter((cookie) => cookie.name === name);
}

/**
 * Whether a browser that receives this `Set-Cookie` removes the cookie: a Max-Age of zero or less
 * (RFC 6265 §5.2.2) or an Expires date in the past (§5.3 step 3). An empty value alone deletes nothing.
 */
export function deletesCookie(cookie: Cookie, now: number = Date.now()): boolean {
  if (cookie.maxAge !== undefined) return cookie.maxAge <= 0;
  return cookie.expires !== undefined && cookie.expires.getTime() <= now;
}

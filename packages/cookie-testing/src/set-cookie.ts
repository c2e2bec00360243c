import { parseSetCookie, type Cookie } from "set-cookie-parser";
import { readAttributes } from "./attributes.js";
import { splitSetCookie } from "./set-cookie-line.js";

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
 * Every `Set-Cookie` of a response for one cookie name, in order (rejected ones too), with values percent-decoded
 * as a server would read them back. `maxAge` and `expires` are what a browser reads: absent when it ignores the
 * attribute (a Max-Age that is no whole number, an Expires that is no cookie-date), never `Date.parse`'s guess.
 * For what a browser stores, use {@link judgeSetCookie} or {@link BrowserJar}.
 */
export function setCookiesNamed(response: ResponseWithHeaders, name: string): Cookie[] {
  return rawSetCookies(response).flatMap((line) => {
    const [parsed] = parseSetCookie([line]);
    if (parsed?.name !== name) return [];
    const { maxAge, expiresDate } = readAttributes(splitSetCookie(line).attributes, new Date());
    const cookie: Cookie = { ...parsed };
    delete cookie.maxAge;
    delete cookie.expires;
    if (maxAge !== undefined) cookie.maxAge = maxAge;
    if (expiresDate !== undefined) cookie.expires = expiresDate;
    return [cookie];
  });
}

/**
 * Whether a browser that accepts this `Set-Cookie` removes the cookie: a Max-Age of zero or less (RFC 6265
 * §5.2.2), else an Expires in the past (§5.3 step 3). An empty value alone deletes nothing. Give it a cookie from
 * {@link setCookiesNamed}, whose Max-Age and Expires are read as a browser reads them.
 */
export function deletesCookie(cookie: Cookie, now: number = Date.now()): boolean {
  if (cookie.maxAge !== undefined) return cookie.maxAge <= 0;
  return cookie.expires !== undefined && cookie.expires.getTime() <= now;
}

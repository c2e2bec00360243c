/**
 * The name of the cookie that remembers a visitor's last visit.
 *
 * RFC 6265 §4.1.1: a cookie name is a `token`, so it may not contain separators such as `=`, `;` or spaces.
 */
export const VISIT_COOKIE_NAME = "last_visit";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The longest lifetime a browser honours. RFC 6265bis §5.5 "Cookie Lifetime Limits" recommends 400 days, and
 * §5.6.1 (Expires) and §5.6.2 (Max-Age) cut anything longer down to that limit.
 */
export const MAX_COOKIE_LIFETIME_MS = 400 * DAY_MS;

/**
 * How long the visit cookie lives: a year, so "last visit" survives closing the browser. A cookie without Max-Age
 * or Expires is a session cookie (RFC 6265 §4.1.2.2, §5.3 step 3); it stays under {@link MAX_COOKIE_LIFETIME_MS}.
 */
export const VISIT_COOKIE_LIFETIME_MS = 365 * DAY_MS;

/**
 * The attributes of the visit cookie (RFC 6265 §4.1.2), in the shape Express's `res.cookie` and `res.clearCookie`
 * take. No `domain`: a host-only cookie (RFC 6265 §4.1.2.3) is not sent to subdomains.
 */
export interface VisitCookieOptions {
  /** RFC 6265 §4.1.2.6: hidden from `document.cookie`, so an injected script cannot read it. */
  readonly httpOnly: true;
  /** RFC 6265bis §4.1.2.7: not sent on cross-site subrequests, which blunts CSRF. */
  readonly sameSite: "lax";
  /** RFC 6265 §4.1.2.4: the whole site sees the cookie, and clearing it must name the same path. */
  readonly path: "/";
  /** RFC 6265 §4.1.2.5: only ever sent over HTTPS. On in production, off for `http://localhost`. */
  readonly secure: boolean;
  /** RFC 6265 §4.1.2.2: lifetime in milliseconds, as Express expects (it sends seconds). */
  readonly maxAge: number;
}

export interface VisitCookieOptionsInput {
  /** Whether the app runs in production. Defaults to `process.env.NODE_ENV === "production"`. */
  readonly production?: boolean;
}

/**
 * One options object to set **and** clear the visit cookie with.
 *
 * A browser deletes a cookie only when the deleting `Set-Cookie` names the same name, Path and Domain as the one
 * that set it (RFC 6265 §5.3 step 11). Passing this same object to `res.cookie` and `res.clearCookie` means they
 * cannot drift apart. Express 5's `clearCookie` ignores `maxAge`, so sharing it is safe.
 *
 * @example
 * const cookieOptions = visitCookieOptions();
 * res.cookie(VISIT_COOKIE_NAME, formatVisitTime(new Date()), cookieOptions);
 * res.clearCookie(VISIT_COOKIE_NAME, cookieOptions);
 */
export function visitCookieOptions(input: VisitCookieOptionsInput = {}): VisitCookieOptions {
  const production = input.production ?? process.env.NODE_ENV === "production";
  return Object.freeze({
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: production,
    maxAge: VISIT_COOKIE_LIFETIME_MS,
  });
}

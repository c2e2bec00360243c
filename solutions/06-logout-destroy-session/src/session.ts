import type { CookieOptions, Request } from "express";

/**
 * The session cookie's own name. express-session's default, connect.sid, tells every visitor which software runs
 * the site, and two apps on one host that both keep it overwrite each other's sessions.
 */
export const SESSION_COOKIE_NAME = "sid";

/** The attributes of the session cookie: what express-session's `cookie` option and res.clearCookie both take. */
export type SessionCookieOptions = Pick<CookieOptions, "httpOnly" | "sameSite" | "path" | "secure" | "maxAge">;

/** How long a login lasts: the cookie's Max-Age, and how long the store keeps the session. */
export const SESSION_LIFETIME_MS = 2 * 60 * 60 * 1000;

declare module "express-session" {
  interface SessionData {
    /** Who logged in. It stays on the server: the browser holds only the session's signed id. */
    username: string;
  }
}

/**
 * The session cookie's attributes, for express-session and for res.clearCookie alike: a browser deletes a cookie
 * only when the deletion names the same Path and Domain.
 * 📜 https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#cookies
 */
export function sessionCookieOptions(production = process.env.NODE_ENV === "production"): SessionCookieOptions {
  return {
    // Out of reach of page scripts: an injected script cannot read the id and take the session away.
    httpOnly: true,
    // Not sent with another site's POST (a forged form), nor with its images or frames.
    sameSite: "lax",
    path: "/",
    // In production, HTTPS only. express-session then sends the cookie only over a connection it knows is secure:
    // behind a proxy that ends HTTPS, Express must be told to trust it (app.set("trust proxy", "loopback") in app.ts).
    secure: production,
    maxAge: SESSION_LIFETIME_MS,
  };
}

/** A new session with a new id, in place of the request's: express-session's regenerate, as a promise. */
export function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.regenerate((error: unknown) => (error ? reject(toError(error)) : resolve())),
  );
}

/** Ends the session on the server: its id, in whatever cookie still holds it, then points at nothing. */
export function destroySession(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.destroy((error: unknown) => (error ? reject(toError(error)) : resolve())),
  );
}

/** Writes the session to the store now, so that the next request (after a redirect, say) finds it there. */
export function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.save((error: unknown) => (error ? reject(toError(error)) : resolve())),
  );
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

import { createHmac } from "node:crypto";
import { setCookiesNamed, type Cookie } from "@cookie-course/cookie-testing";
import type { Express } from "express";
import request from "supertest";

export const SECRET = "a-test-secret-of-thirty-two-chars!";
export const SESSION_COOKIE = "sid";

/** The id inside a session cookie's value, when express-session signed it with `secret`: `s:<id>.<HMAC>`. */
export function signedId(value: string, secret = SECRET): string | undefined {
  const match = /^s:(.+)\.([^.]+)$/.exec(value);
  if (!match) return undefined;
  const [, id, signature] = match;
  const expected = createHmac("sha256", secret).update(id!).digest("base64").replace(/=+$/, "");
  return signature === expected ? id : undefined;
}

/** Submits the login form as a browser does, with the Cookie header it holds (if any). */
export function logIn(app: Express, form: Record<string, string>, cookie?: string) {
  const post = request(app).post("/login").type("form").send(form);
  return cookie === undefined ? post : post.set("Cookie", cookie);
}

/** The session cookie a response sets, if it sets one. */
export function sessionCookieOf(response: { headers: Record<string, unknown> }): Cookie | undefined {
  return setCookiesNamed(response as Parameters<typeof setCookiesNamed>[0], SESSION_COOKIE).at(-1);
}

/** The Cookie header a browser sends back for that session cookie. */
export function cookieFor(cookie: Cookie): string {
  return `${cookie.name}=${encodeURIComponent(cookie.value)}`;
}

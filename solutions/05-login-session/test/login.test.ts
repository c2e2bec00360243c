import { BrowserJar, rawSetCookies } from "@cookie-course/cookie-testing";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../src/app.js";
import { SESSION_LIFETIME_MS } from "../src/session.js";
import { SECRET, SESSION_COOKIE, cookieFor, logIn, sessionCookieOf, signedId } from "./helpers.js";

describe("GET /login", () => {
  it("shows a form that posts a username to /login", async () => {
    const response = await request(createApp()).get("/login");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/html/);
    expect(response.text).toMatch(/<form method="post" action="\/login">/);
    expect(response.text).toMatch(/<input name="username"/);
  });

  it("sets no cookie: nobody has logged in yet", async () => {
    const response = await request(createApp()).get("/login");
    expect(rawSetCookies(response)).toEqual([]);
  });
});

describe("POST /login", () => {
  beforeEach(() => vi.stubEnv("COOKIE_SECRET", SECRET));
  afterEach(() => vi.unstubAllEnvs());

  it("answers 303 See Other to /profile", async () => {
    const response = await logIn(createApp(), { username: "ada" });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe("/profile");
  });

  it("sets one cookie, the session's, named sid and not connect.sid", async () => {
    const response = await logIn(createApp(), { username: "ada" });
    const lines = rawSetCookies(response);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^sid=/);
  });

  it("sets the session cookie HttpOnly, SameSite=Lax, on Path=/, for the host alone, for two hours", async () => {
    const before = Date.now();
    const cookie = sessionCookieOf(await logIn(createApp(), { username: "ada" }));
    const after = Date.now();
    expect(cookie).toMatchObject({ name: SESSION_COOKIE, httpOnly: true, sameSite: "Lax", path: "/" });
    expect(cookie!.domain).toBeUndefined();
    // express-session writes the lifetime as Expires, in whole seconds, from the moment of the login.
    const expires = cookie!.expires!.getTime();
    expect(expires).toBeGreaterThanOrEqual(before - 1000 + SESSION_LIFETIME_MS);
    expect(expires).toBeLessThanOrEqual(after + SESSION_LIFETIME_MS);
    expect(cookie!.secure).toBeUndefined();
  });

  it("puts only the session id, signed with COOKIE_SECRET, in the cookie: never the username", async () => {
    const cookie = sessionCookieOf(await logIn(createApp(), { username: "ada-lovelace" }));
    const id = signedId(cookie!.value);
    expect(id).toMatch(/^[\w-]{32}$/);
    expect(cookie!.value).not.toContain("ada-lovelace");
  });

  it("keeps the username on the server, in the store the app was given", async () => {
    const { MemoryStore } = await import("express-session");
    const sessionStore = new MemoryStore();
    const cookie = sessionCookieOf(await logIn(createApp({ sessionStore }), { username: "ada" }));
    const stored = await new Promise((resolve, reject) =>
      sessionStore.get(signedId(cookie!.value)!, (error, data) => (error ? reject(error) : resolve(data))),
    );
    expect(stored).toMatchObject({ username: "ada" });
  });

  it("gives a new session id at login, and the old one signs nobody in (no session fixation)", async () => {
    const app = createApp();
    const planted = sessionCookieOf(await logIn(app, { username: "mallory" }))!;
    const fresh = sessionCookieOf(await logIn(app, { username: "ada" }, cookieFor(planted)))!;
    expect(signedId(fresh.value)).not.toBe(signedId(planted.value));

    const withPlanted = await request(app).get("/profile").set("Cookie", cookieFor(planted));
    expect(withPlanted.text).not.toContain("Signed in as");
    const withFresh = await request(app).get("/profile").set("Cookie", cookieFor(fresh));
    expect(withFresh.text).toContain("Signed in as <strong>ada</strong>");
  });

  it("trims the username", async () => {
    const app = createApp();
    const cookie = sessionCookieOf(await logIn(app, { username: "  ada  " }))!;
    const profile = await request(app).get("/profile").set("Cookie", cookieFor(cookie));
    expect(profile.text).toContain("Signed in as <strong>ada</strong>.");
  });

  describe("without a usable username", () => {
    it.each([
      ["no username field", {}, /Enter a username/],
      ["an empty username", { username: "" }, /username is empty/],
      ["a username of spaces", { username: "   " }, /username is empty/],
      ["a username of 65 characters", { username: "a".repeat(65) }, /too long: 65 characters, where at most 64/],
    ])("answers 400 with a page that says why, for %s, and starts no session", async (_case, form, why) => {
      const response = await logIn(createApp(), form);
      expect(response.status).toBe(400);
      expect(response.headers["content-type"]).toMatch(/^text\/html/);
      expect(response.text).toMatch(why);
      expect(response.text).toMatch(/<form method="post" action="\/login">/);
      expect(rawSetCookies(response)).toEqual([]);
    });

    it("accepts 64 characters, counting an emoji as one", async () => {
      const response = await logIn(createApp(), { username: "🍪".repeat(64) });
      expect(response.status).toBe(303);
    });

    it("answers 400 for a repeated field rather than guess which one was meant", async () => {
      const response = await request(createApp()).post("/login").type("form").send("username=ada&username=bob");
      expect(response.status).toBe(400);
    });
  });

  describe("in production", () => {
    beforeEach(() => vi.stubEnv("NODE_ENV", "production"));

    it("sends the session cookie only over HTTPS, marked Secure", async () => {
      const app = createApp();
      // As behind a proxy on this machine that ends HTTPS and says so (X-Forwarded-Proto): the app trusts it.
      const response = await logIn(app, { username: "ada" }).set("X-Forwarded-Proto", "https");
      expect(sessionCookieOf(response)).toMatchObject({ secure: true, httpOnly: true, sameSite: "Lax" });
    });

    it("sends no session cookie over plain HTTP: express-session will not send a Secure cookie there", async () => {
      const response = await logIn(createApp(), { username: "ada" });
      expect(response.status).toBe(303);
      expect(sessionCookieOf(response)).toBeUndefined();
    });
  });
});

describe("a browser that logs in", () => {
  beforeEach(() => vi.stubEnv("COOKIE_SECRET", SECRET));
  afterEach(() => vi.unstubAllEnvs());

  it("is signed in on /profile, and the visit cookie still works beside the session", async () => {
    const app = createApp();
    const jar = new BrowserJar();
    jar.store(await request(app).get("/"));
    jar.store(await logIn(app, { username: "ada" }, jar.cookieHeaderFor()));
    expect(jar.has(SESSION_COOKIE)).toBe(true);

    const profile = await request(app).get("/profile").set("Cookie", jar.cookieHeaderFor()!);
    expect(profile.text).toContain("Signed in as <strong>ada</strong>");
    const lastVisit = await request(app).get("/last-visit").set("Cookie", jar.cookieHeaderFor()!);
    expect(lastVisit.text).toContain("Your last visit was at");
  });
});

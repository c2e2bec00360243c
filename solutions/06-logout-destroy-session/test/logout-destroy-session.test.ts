import { BrowserJar, deletesCookie, rawSetCookies, setCookiesNamed } from "@cookie-course/cookie-testing";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../src/app.js";
import { SECRET, SESSION_COOKIE, cookieFor, logIn, sessionCookieOf } from "./helpers.js";

beforeEach(() => vi.stubEnv("COOKIE_SECRET", SECRET));
afterEach(() => vi.unstubAllEnvs());

/** A new app with one browser logged in as ada: the app, the login's response, and the Cookie header it holds. */
async function loggedInAsAda() {
  const app = createApp();
  const login = await logIn(app, { username: "ada" });
  const cookie = cookieFor(sessionCookieOf(login)!);
  return { app, login, cookie };
}

describe("POST /logout", () => {
  it("answers 200 with a page that says 'Successfully logged out'", async () => {
    const { app, cookie } = await loggedInAsAda();
    const response = await request(app).post("/logout").set("Cookie", cookie);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/html/);
    expect(response.text).toContain("Successfully logged out");
  });

  it("ends the session on the server: the old cookie, sent again, signs nobody in", async () => {
    const { app, cookie } = await loggedInAsAda();
    await request(app).post("/logout").set("Cookie", cookie);
    const replayed = await request(app).get("/profile").set("Cookie", cookie);
    expect(replayed.text).toContain("You are not signed in");
    expect(replayed.text).not.toContain("Signed in as");
  });

  it("deletes the session cookie with the attributes it was set with", async () => {
    const { app, login, cookie } = await loggedInAsAda();
    const [set] = setCookiesNamed(login, SESSION_COOKIE);
    const [cleared] = setCookiesNamed(await request(app).post("/logout").set("Cookie", cookie), SESSION_COOKIE);
    expect(deletesCookie(cleared!)).toBe(true);
    expect({
      path: cleared!.path,
      domain: cleared!.domain,
      httpOnly: cleared!.httpOnly,
      sameSite: cleared!.sameSite,
      secure: cleared!.secure,
    }).toEqual({
      path: set!.path,
      domain: set!.domain,
      httpOnly: set!.httpOnly,
      sameSite: set!.sameSite,
      secure: set!.secure,
    });
  });

  it("deletes last_visit too, as exercise 03's logout did", async () => {
    const { app, cookie } = await loggedInAsAda();
    const [cleared] = setCookiesNamed(await request(app).post("/logout").set("Cookie", cookie), "last_visit");
    expect(deletesCookie(cleared!)).toBe(true);
  });

  it("logs out a visitor who has no session, too", async () => {
    const response = await request(createApp()).post("/logout");
    expect(response.status).toBe(200);
    expect(response.text).toContain("Successfully logged out");
  });

  it("ends only this browser's session", async () => {
    const { app, cookie } = await loggedInAsAda();
    const bob = cookieFor(sessionCookieOf(await logIn(app, { username: "bob" }))!);
    await request(app).post("/logout").set("Cookie", cookie);
    expect((await request(app).get("/profile").set("Cookie", bob)).text).toContain("Signed in as <strong>bob</strong>");
  });

  it("deletes the session cookie with Secure in production, as it was set", async () => {
    vi.stubEnv("NODE_ENV", "production");
    // Behind a proxy on this machine that ends HTTPS and says so (X-Forwarded-Proto): the app trusts it.
    const app = createApp();
    const login = await logIn(app, { username: "ada" }).set("X-Forwarded-Proto", "https");
    const response = await request(app)
      .post("/logout")
      .set("X-Forwarded-Proto", "https")
      .set("Cookie", cookieFor(sessionCookieOf(login)!));
    const [cleared] = setCookiesNamed(response, SESSION_COOKIE);
    expect(cleared).toMatchObject({ secure: true, httpOnly: true, sameSite: "Lax", path: "/" });
    expect(deletesCookie(cleared!)).toBe(true);
  });
});

describe("GET /logout", () => {
  it("changes nothing: no Set-Cookie, and the session lives on", async () => {
    const { app, cookie } = await loggedInAsAda();
    const response = await request(app).get("/logout").set("Cookie", cookie);
    expect(rawSetCookies(response)).toEqual([]);
    expect((await request(app).get("/profile").set("Cookie", cookie)).text).toContain(
      "Signed in as <strong>ada</strong>",
    );
  });

  it("offers a button that POSTs to /logout", async () => {
    const response = await request(createApp()).get("/logout");
    expect(response.status).toBe(200);
    expect(response.text).toContain(
      '<form method="post" action="/logout"><button type="submit">Log out</button></form>',
    );
    expect(response.text).not.toContain("Successfully logged out");
  });
});

describe("every page", () => {
  it("offers logging out as a form that POSTs, never as a link", async () => {
    const response = await request(createApp()).get("/");
    expect(response.text).toContain('<form method="post" action="/logout">');
    expect(response.text).not.toContain('href="/logout"');
  });
});

describe("a browser that logs in, then out", () => {
  it("is signed in, then not, and has neither cookie left", async () => {
    const app = createApp();
    const jar = new BrowserJar();
    jar.store(await request(app).get("/"));
    jar.store(await logIn(app, { username: "ada" }, jar.cookieHeaderFor()));
    expect((await request(app).get("/profile").set("Cookie", jar.cookieHeaderFor()!)).text).toContain(
      "Signed in as <strong>ada</strong>",
    );

    jar.store(await request(app).post("/logout").set("Cookie", jar.cookieHeaderFor()!));
    expect(jar.has(SESSION_COOKIE)).toBe(false);
    expect(jar.has("last_visit")).toBe(false);
    expect((await request(app).get("/profile")).text).toContain("You are not signed in");
  });
});

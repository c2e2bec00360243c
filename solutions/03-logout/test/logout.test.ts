import { BrowserJar, deletesCookie, setCookiesNamed } from "@cookie-course/cookie-testing";
import request from "supertest";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../src/app.js";

const STORED = "2026-11-20T09:15:30.000Z";

describe("GET /logout", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("answers 200 with an HTML page that says 'Successfully logged out'", async () => {
    const response = await request(createApp()).get("/logout").set("Cookie", `last_visit=${STORED}`);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/html/);
    expect(response.text).toContain("Successfully logged out");
  });

  it("deletes last_visit: one Set-Cookie, already expired, on the Path it was set with", async () => {
    const response = await request(createApp()).get("/logout").set("Cookie", `last_visit=${STORED}`);
    const cookies = setCookiesNamed(response, "last_visit");
    expect(cookies).toHaveLength(1);
    expect(deletesCookie(cookies[0]!)).toBe(true);
    expect(cookies[0]).toMatchObject({ value: "", path: "/", httpOnly: true, sameSite: "Lax" });
    expect(cookies[0]!.domain).toBeUndefined();
  });

  it("deletes the cookie with the attributes it was set with", async () => {
    const app = createApp();
    const [set] = setCookiesNamed(await request(app).get("/"), "last_visit");
    const [cleared] = setCookiesNamed(await request(app).get("/logout"), "last_visit");
    expect({
      path: cleared!.path,
      domain: cleared!.domain,
      sameSite: cleared!.sameSite,
      secure: cleared!.secure,
    }).toEqual({ path: set!.path, domain: set!.domain, sameSite: set!.sameSite, secure: set!.secure });
  });

  it("deletes with Secure in production, matching the cookie it replaces", async () => {
    vi.stubEnv("NODE_ENV", "production");
    const [cleared] = setCookiesNamed(await request(createApp()).get("/logout"), "last_visit");
    expect(cleared!.secure).toBe(true);
    expect(deletesCookie(cleared!)).toBe(true);
  });

  it("logs out a visitor who has no cookie, too", async () => {
    const response = await request(createApp()).get("/logout");
    expect(response.status).toBe(200);
    expect(response.text).toContain("Successfully logged out");
    expect(setCookiesNamed(response, "last_visit").every((cookie) => deletesCookie(cookie))).toBe(true);
  });

  it("leaves the visitor's other cookies alone", async () => {
    const response = await request(createApp()).get("/logout").set("Cookie", `theme=dark; last_visit=${STORED}`);
    expect(setCookiesNamed(response, "theme")).toEqual([]);
  });
});

describe("a visit, a logout, then GET /last-visit", () => {
  it("shows 'No visit recorded yet': the browser no longer has the cookie", async () => {
    const app = createApp();
    const jar = new BrowserJar();
    jar.store(await request(app).get("/"));
    expect(jar.has("last_visit")).toBe(true);

    jar.store(await request(app).get("/logout").set("Cookie", jar.cookieHeaderFor()!));
    expect(jar.has("last_visit")).toBe(false);

    const response = await request(app).get("/last-visit");
    expect(response.text).toContain("No visit recorded yet");
  });

  it("keeps exercises 01 and 02 working: / records, /last-visit shows it", async () => {
    const app = createApp();
    const jar = new BrowserJar();
    jar.store(await request(app).get("/"));
    const response = await request(app).get("/last-visit").set("Cookie", jar.cookieHeaderFor()!);
    expect(response.text).toMatch(/<time datetime="\d{4}-\d{2}-\d{2}T[\d:.]+Z">/);
  });
});

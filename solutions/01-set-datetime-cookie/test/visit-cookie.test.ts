import { setCookiesNamed } from "@cookie-course/cookie-testing";
import { MAX_COOKIE_LIFETIME_MS } from "@cookie-course/cookie-utils";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../src/app.js";

const FIRST_VISIT = new Date("2026-11-25T17:41:44.123Z");

function visitCookieOf(response: request.Response) {
  const cookies = setCookiesNamed(response, "last_visit");
  expect(cookies, "exactly one Set-Cookie for last_visit").toHaveLength(1);
  return cookies[0]!;
}

describe("GET /", () => {
  beforeEach(() => {
    // Only Date is faked: supertest and Express keep their real timers.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(FIRST_VISIT);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  it("answers 200 with an HTML page", async () => {
    const response = await request(createApp()).get("/");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/html/);
    expect(response.text).toMatch(/^<!doctype html>/i);
  });

  it("sets last_visit to the current date-time as an ISO 8601 string", async () => {
    const response = await request(createApp()).get("/");
    expect(visitCookieOf(response).value).toBe("2026-11-25T17:41:44.123Z");
  });

  it("makes the cookie HttpOnly, SameSite=Lax and Path=/, without Secure outside production", async () => {
    const cookie = visitCookieOf(await request(createApp()).get("/"));
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe("Lax");
    expect(cookie.path).toBe("/");
    expect(cookie.secure).toBeUndefined();
  });

  it("makes the cookie Secure when NODE_ENV is production", async () => {
    vi.stubEnv("NODE_ENV", "production");
    const cookie = visitCookieOf(await request(createApp()).get("/"));
    expect(cookie.secure).toBe(true);
  });

  it("gives the cookie a lifetime of at most 400 days, which browsers honour", async () => {
    const cookie = visitCookieOf(await request(createApp()).get("/"));
    expect(cookie.maxAge).toBeGreaterThan(0);
    expect(cookie.maxAge! * 1000).toBeLessThanOrEqual(MAX_COOKIE_LIFETIME_MS);
    expect(cookie.expires!.getTime() - FIRST_VISIT.getTime()).toBeLessThanOrEqual(MAX_COOKIE_LIFETIME_MS);
  });

  it("sets the cookie again on every visit, with that visit's time", async () => {
    const app = createApp();
    const first = visitCookieOf(await request(app).get("/"));
    vi.setSystemTime(new Date("2026-11-26T08:00:00.000Z"));
    const second = visitCookieOf(await request(app).get("/").set("Cookie", `last_visit=${first.value}`));
    expect(second.value).toBe("2026-11-26T08:00:00.000Z");
  });

  it.each([
    ["a malformed visit cookie", "last_visit=yesterday"],
    ["a JSON cookie", "last_visit=j%3A%7B%22a%22%3A1%7D"],
    ["a cookie carrying markup", "last_visit=%3Cscript%3Ealert(1)%3C%2Fscript%3E"],
    ["other cookies", "theme=dark; session=abc"],
  ])("still answers 200 and records the visit when the browser sends %s", async (_label, cookieHeader) => {
    const response = await request(createApp()).get("/").set("Cookie", cookieHeader);
    expect(response.status).toBe(200);
    expect(visitCookieOf(response).value).toBe(FIRST_VISIT.toISOString());
    expect(response.text).not.toContain("<script>");
  });
});

describe("GET / on the real clock", () => {
  it("stores a moment between the request being sent and its answer", async () => {
    const before = Date.now();
    const response = await request(createApp()).get("/");
    const after = Date.now();
    const stored = Date.parse(visitCookieOf(response).value);
    expect(stored).toBeGreaterThanOrEqual(before);
    expect(stored).toBeLessThanOrEqual(after);
  });
});

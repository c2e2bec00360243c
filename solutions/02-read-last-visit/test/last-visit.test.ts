import { BrowserJar, setCookiesNamed } from "@cookie-course/cookie-testing";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../src/app.js";

const STORED = "2026-11-20T09:15:30.000Z";
const NOW = new Date("2026-11-25T17:41:44.000Z");

function lastVisitWith(cookieHeader?: string) {
  const pending = request(createApp()).get("/last-visit");
  return cookieHeader === undefined ? pending : pending.set("Cookie", cookieHeader);
}

function expectNoVisitPage(response: request.Response) {
  expect(response.status).toBe(200);
  expect(response.text).toContain("No visit recorded yet");
  expect(response.text).not.toMatch(/Invalid Date|undefined|NaN|\[object Object\]/);
}

describe("GET /last-visit", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  it("answers 200 with an HTML page", async () => {
    const response = await lastVisitWith(`last_visit=${encodeURIComponent(STORED)}`);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/html/);
  });

  it("shows the stored moment in a <time> element with its ISO 8601 form", async () => {
    const response = await lastVisitWith(`last_visit=${encodeURIComponent(STORED)}`);
    expect(response.text).toContain(`<time datetime="${STORED}">Fri, 20 Nov 2026 09:15:30 GMT</time>`);
  });

  it("shows the stored moment, not the current time", async () => {
    const response = await lastVisitWith(`last_visit=${encodeURIComponent(STORED)}`);
    expect(response.text).not.toContain(NOW.toISOString());
  });

  it("reads a cookie sent without percent-encoding, as some clients do", async () => {
    const response = await lastVisitWith(`last_visit=${STORED}`);
    expect(response.text).toContain(`datetime="${STORED}"`);
  });

  it("shows a moment stored with a time-zone offset in UTC", async () => {
    const response = await lastVisitWith(`last_visit=${encodeURIComponent("2026-11-20T11:15:30+02:00")}`);
    expect(response.text).toContain(`datetime="${STORED}"`);
  });

  it("says 'No visit recorded yet' to a first-time visitor without cookies", async () => {
    expectNoVisitPage(await lastVisitWith());
  });

  it("says 'No visit recorded yet' when only other cookies are sent", async () => {
    expectNoVisitPage(await lastVisitWith("theme=dark"));
  });

  it.each([
    ["an empty value", "last_visit="],
    ["text that is no date", "last_visit=yesterday"],
    ["an impossible date", `last_visit=${encodeURIComponent("2026-02-30T00:00:00.000Z")}`],
    ["a date without a time zone", `last_visit=${encodeURIComponent("2026-11-20T09:15:30")}`],
    ["a JSON object (cookie-parser's j: prefix)", `last_visit=${encodeURIComponent('j:{"at":"2026-11-20"}')}`],
    ["a broken percent-encoding", "last_visit=%E0%A4%A"],
    ["a 4 kB value", `last_visit=${"9".repeat(4000)}`],
  ])("says 'No visit recorded yet' for %s", async (_label, cookieHeader) => {
    expectNoVisitPage(await lastVisitWith(cookieHeader));
  });

  it.each([
    ["a script tag", "<script>alert(1)</script>"],
    ["a date followed by markup", `${STORED}<img src=x onerror=alert(1)>`],
    // Date.parse accepts this one: "it parses as a date" does not make a value safe to show.
    ["markup that Date.parse accepts", "Fri Nov 20 2026 09:15:30 GMT+0000 (<img src=x onerror=alert(1)>)"],
    ["an attribute breakout", `${STORED}" onmouseover="alert(1)`],
  ])("never reflects the cookie into the page: %s", async (label, value) => {
    if (label.includes("Date.parse")) expect(Date.parse(value)).not.toBeNaN();
    for (const cookieHeader of [`last_visit=${encodeURIComponent(value)}`, `last_visit=${value}`]) {
      const response = await lastVisitWith(cookieHeader);
      expectNoVisitPage(response);
      expect(response.text).not.toMatch(/<script>|<img|<b>|onmouseover="/);
    }
  });

  it("does not change the cookie", async () => {
    const response = await lastVisitWith(`last_visit=${encodeURIComponent(STORED)}`);
    expect(response.headers["set-cookie"]).toBeUndefined();
  });
});

describe("a visit, then GET /last-visit", () => {
  afterEach(() => vi.useRealTimers());

  it("shows the time of the visit, carried by the browser's cookie", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const app = createApp();
    const jar = new BrowserJar();
    vi.setSystemTime(new Date(STORED));
    jar.store(await request(app).get("/"));

    vi.setSystemTime(NOW);
    const response = await request(app).get("/last-visit").set("Cookie", jar.cookieHeaderFor()!);
    expect(response.text).toContain(`datetime="${STORED}"`);
  });

  it("still records every visit to / (exercise 01 keeps working)", async () => {
    const response = await request(createApp()).get("/");
    expect(setCookiesNamed(response, "last_visit")).toHaveLength(1);
  });
});

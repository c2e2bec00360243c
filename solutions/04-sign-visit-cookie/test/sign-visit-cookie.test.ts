import { createHmac } from "node:crypto";
import { BrowserJar, setCookiesNamed } from "@cookie-course/cookie-testing";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../src/app.js";

const SECRET = "a-test-secret-of-thirty-two-chars!";
const STORED = "2026-11-20T09:15:30.000Z";

/** A value signed as cookie-parser signs it (cookie-signature: HMAC-SHA256, base64 without padding), after `s:`. */
function signed(value: string, secret = SECRET): string {
  const signature = createHmac("sha256", secret).update(value).digest("base64").replace(/=+$/, "");
  return `s:${value}.${signature}`;
}

const cookie = (value: string) => `last_visit=${encodeURIComponent(value)}`;

describe("the signed visit cookie", () => {
  beforeEach(() => vi.stubEnv("COOKIE_SECRET", SECRET));
  afterEach(() => vi.unstubAllEnvs());

  it("is signed with COOKIE_SECRET: the value, a dot, and its HMAC", async () => {
    const [visit] = setCookiesNamed(await request(createApp()).get("/"), "last_visit");
    const inside = /^s:(.+)\.[^.]+$/.exec(visit!.value)?.[1];
    expect(inside).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(visit!.value).toBe(signed(inside!));
    expect(visit).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
  });

  it("shows a visit this server signed", async () => {
    const response = await request(createApp())
      .get("/last-visit")
      .set("Cookie", cookie(signed(STORED)));
    expect(response.text).toContain(`<time datetime="${STORED}">`);
  });

  it.each([
    ["an unsigned value", STORED],
    ["a value signed with another secret", signed(STORED, "another secret")],
    ["a signed value changed after signing", signed(STORED).replace("2026-11-20", "2026-11-21")],
    ["a signature alone", "s:.abc"],
  ])("says 'No visit recorded yet' for %s", async (_case, value) => {
    const response = await request(createApp()).get("/last-visit").set("Cookie", cookie(value));
    expect(response.status).toBe(200);
    expect(response.text).toContain("No visit recorded yet");
    expect(response.text).not.toContain("2026-11-2");
  });

  it("takes a browser from a visit to its last-visit page, and logging out forgets it", async () => {
    const app = createApp();
    const jar = new BrowserJar();
    jar.store(await request(app).get("/"));
    const shown = await request(app).get("/last-visit").set("Cookie", jar.cookieHeaderFor()!);
    expect(shown.text).toMatch(/<time datetime="\d{4}-\d{2}-\d{2}T[\d:.]+Z">/);

    jar.store(await request(app).get("/logout").set("Cookie", jar.cookieHeaderFor()!));
    expect(jar.has("last_visit")).toBe(false);
  });

  it("signs with Secure in production, as every cookie there", async () => {
    vi.stubEnv("NODE_ENV", "production");
    const [visit] = setCookiesNamed(await request(createApp()).get("/"), "last_visit");
    expect(visit).toMatchObject({ secure: true, httpOnly: true });
    expect(visit!.value).toMatch(/^s:/);
  });
});

describe("without COOKIE_SECRET", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("refuses to start in production", () => {
    vi.stubEnv("COOKIE_SECRET", "");
    vi.stubEnv("NODE_ENV", "production");
    expect(() => createApp()).toThrow(/COOKIE_SECRET/);
  });

  it("starts in development, with a secret of its own that a cookie from elsewhere does not match", async () => {
    vi.stubEnv("COOKIE_SECRET", "");
    vi.stubEnv("NODE_ENV", "development");
    const response = await request(createApp())
      .get("/last-visit")
      .set("Cookie", cookie(signed(STORED)));
    expect(response.text).toContain("No visit recorded yet");
  });
});

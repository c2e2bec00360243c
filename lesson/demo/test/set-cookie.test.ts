import { parseSetCookie } from "set-cookie-parser";
import request from "supertest";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../src/app.js";

describe("GET /set-cookie", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("sets a cookie named tutorial holding Hello World", async () => {
    const res = await request(createApp()).get("/set-cookie").expect(200);

    const cookies = parseSetCookie(res.headers["set-cookie"] ?? []);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ name: "tutorial", value: "Hello World" });
  });

  it("sends exactly Path=/, HttpOnly and SameSite=Lax, and no Secure outside production", async () => {
    vi.stubEnv("NODE_ENV", "test");

    const res = await request(createApp()).get("/set-cookie").expect(200);

    // Exact, as Express's own tests do: no Secure, no Domain, no lifetime (a session cookie).
    expect(res.headers["set-cookie"]).toEqual(["tutorial=Hello%20World; Path=/; HttpOnly; SameSite=Lax"]);
  });

  it("marks the cookie Secure when the app is created with NODE_ENV=production", async () => {
    vi.stubEnv("NODE_ENV", "production");

    const res = await request(createApp()).get("/set-cookie").expect(200);

    expect(res.headers["set-cookie"]).toEqual(["tutorial=Hello%20World; Path=/; HttpOnly; Secure; SameSite=Lax"]);
  });

  it("answers an HTML page that says Cookie set", async () => {
    const res = await request(createApp())
      .get("/set-cookie")
      .expect(200)
      .expect("Content-Type", /^text\/html/);

    expect(res.text).toContain("<h1>Cookie set</h1>");
  });
});

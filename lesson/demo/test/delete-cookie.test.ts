import { parseSetCookie } from "set-cookie-parser";
import type { Cookie } from "set-cookie-parser";
import request from "supertest";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../src/app.js";

// Judged from the Set-Cookie header, never from supertest's cookie jar: the jar keeps a deleted cookie as "".
async function onlySetCookie(path: string): Promise<Cookie> {
  const res = await request(createApp()).get(path).expect(200);
  const cookies = parseSetCookie(res.headers["set-cookie"] ?? []);
  expect(cookies).toHaveLength(1);
  const [cookie] = cookies;
  if (cookie === undefined) throw new Error(`${path} sent no Set-Cookie`);
  return cookie;
}

function attributesThatNameTheCookie({ name, path, domain, secure, httpOnly, sameSite }: Cookie) {
  return { name, path, domain, secure, httpOnly, sameSite };
}

describe("GET /delete-cookie", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("sends the tutorial cookie empty and already expired", async () => {
    const deletion = await onlySetCookie("/delete-cookie");

    expect(deletion.name).toBe("tutorial");
    expect(deletion.value).toBe("");
    const expiredByDate = deletion.expires !== undefined && deletion.expires.getTime() < Date.now();
    const expiredByMaxAge = deletion.maxAge !== undefined && deletion.maxAge <= 0;
    expect(expiredByDate || expiredByMaxAge).toBe(true);
  });

  it("expires it at the start of 1970, on Path=/, with the attributes it was set with", async () => {
    vi.stubEnv("NODE_ENV", "test");

    const res = await request(createApp()).get("/delete-cookie").expect(200);

    expect(res.headers["set-cookie"]).toEqual([
      "tutorial=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax",
    ]);
  });

  it.each(["test", "production"])(
    "names the same path, domain and flags as /set-cookie did (NODE_ENV=%s)",
    async (nodeEnv) => {
      vi.stubEnv("NODE_ENV", nodeEnv);

      const set = await onlySetCookie("/set-cookie");
      const deletion = await onlySetCookie("/delete-cookie");

      // A browser removes a cookie only when name, Path and Domain match the stored one (RFC 6265 §5.3 step 11).
      expect(attributesThatNameTheCookie(deletion)).toEqual(attributesThatNameTheCookie(set));
      expect(deletion.path).toBe("/");
    },
  );

  it("answers an HTML page that says Cookie deleted", async () => {
    const res = await request(createApp())
      .get("/delete-cookie")
      .expect(200)
      .expect("Content-Type", /^text\/html/);

    expect(res.text).toContain("<h1>Cookie deleted</h1>");
  });
});

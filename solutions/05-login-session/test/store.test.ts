import request from "supertest";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../src/app.js";
import { productionSessionStore } from "../src/store.js";
import { SECRET, cookieFor, logIn, sessionCookieOf, signedId } from "./helpers.js";

describe("productionSessionStore()", () => {
  beforeEach(() => vi.stubEnv("COOKIE_SECRET", SECRET));
  afterEach(() => vi.unstubAllEnvs());

  it("keeps a login between requests, as server.ts uses it", async () => {
    const app = createApp({ sessionStore: productionSessionStore() });
    const cookie = sessionCookieOf(await logIn(app, { username: "ada" }))!;
    const profile = await request(app).get("/profile").set("Cookie", cookieFor(cookie));
    expect(profile.text).toContain("Signed in as <strong>ada</strong>");
  });

  it("stores the username on the server, with the session's lifetime (memorystore's ttl)", async () => {
    const sessionStore = productionSessionStore();
    const app = createApp({ sessionStore });
    const cookie = sessionCookieOf(await logIn(app, { username: "ada" }))!;
    const id = signedId(cookie.value)!;
    const stored = await new Promise<unknown>((resolve, reject) =>
      sessionStore.get(id, (error, data) => (error ? reject(error) : resolve(data))),
    );
    expect(stored).toMatchObject({ username: "ada" });
    // express-session writes the lifetime left when it saves: a moment after login, never more than two hours.
    const { originalMaxAge } = (stored as { cookie: { originalMaxAge: number } }).cookie;
    expect(originalMaxAge).toBeLessThanOrEqual(2 * 60 * 60 * 1000);
    expect(originalMaxAge).toBeGreaterThan(2 * 60 * 60 * 1000 - 60_000);
  });
});

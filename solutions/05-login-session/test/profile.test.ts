import request from "supertest";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { cookieFor, logIn, sessionCookieOf } from "./helpers.js";

describe("GET /profile", () => {
  it("asks a visitor without a session to log in", async () => {
    const response = await request(createApp()).get("/profile");
    expect(response.status).toBe(200);
    expect(response.text).toContain('You are not signed in. <a href="/login">Log in</a>');
    expect(response.text).not.toContain("Signed in as");
  });

  it("says 'Signed in as NAME' to the browser that logged in", async () => {
    const app = createApp();
    const cookie = sessionCookieOf(await logIn(app, { username: "ada" }))!;
    const response = await request(app).get("/profile").set("Cookie", cookieFor(cookie));
    expect(response.status).toBe(200);
    expect(response.text).toContain("Signed in as <strong>ada</strong>.");
  });

  it("escapes the name: markup in a username is shown as text", async () => {
    const app = createApp();
    const cookie = sessionCookieOf(await logIn(app, { username: `<img src=x onerror="alert(1)">` }))!;
    const response = await request(app).get("/profile").set("Cookie", cookieFor(cookie));
    expect(response.text).toContain("Signed in as <strong>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</strong>");
    expect(response.text).not.toContain("<img");
  });

  it("signs nobody in from a forged or unknown session cookie", async () => {
    const app = createApp();
    for (const cookie of [
      "sid=s%3Aforged.signature",
      "sid=not-signed",
      `sid=${encodeURIComponent("s:" + "a".repeat(32) + ".x")}`,
    ]) {
      const response = await request(app).get("/profile").set("Cookie", cookie);
      expect(response.text, cookie).toContain("You are not signed in");
    }
  });

  it("keeps one browser's session from another's", async () => {
    const app = createApp();
    const ada = sessionCookieOf(await logIn(app, { username: "ada" }))!;
    const bob = sessionCookieOf(await logIn(app, { username: "bob" }))!;
    expect((await request(app).get("/profile").set("Cookie", cookieFor(ada))).text).toContain(
      "Signed in as <strong>ada</strong>",
    );
    expect((await request(app).get("/profile").set("Cookie", cookieFor(bob))).text).toContain(
      "Signed in as <strong>bob</strong>",
    );
  });

  it("is never cached by a shared cache", async () => {
    const response = await request(createApp()).get("/profile");
    expect(response.headers["cache-control"]).toBe("no-store");
  });
});

import { BrowserJar } from "@cookie-course/cookie-testing";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";

describe("the cookie demo, followed like a browser", () => {
  it("sets the cookie, reads it back, deletes it, and then no longer sends it", async () => {
    const app = createApp({ production: false });
    const jar = new BrowserJar();

    async function visit(path: string) {
      const req = request(app).get(path);
      const cookieHeader = jar.cookieHeaderFor(path);
      if (cookieHeader !== undefined) req.set("Cookie", cookieHeader);
      const res = await req.expect(200);
      jar.store(res);
      return res;
    }

    expect((await visit("/read-cookie")).text).toContain("No cookie named tutorial was sent");

    await visit("/set-cookie");
    expect(jar.cookieHeaderFor("/read-cookie")).toBe("tutorial=Hello%20World");
    expect((await visit("/read-cookie")).text).toContain("<h1>The cookie value is: Hello World</h1>");

    await visit("/delete-cookie");
    expect(jar.size).toBe(0);
    expect((await visit("/read-cookie")).text).toContain("No cookie named tutorial was sent");
  });
});

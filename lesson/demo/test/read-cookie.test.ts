import request from "supertest";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";

function readWithCookieHeader(cookieHeader: string) {
  return request(createApp()).get("/read-cookie").set("Cookie", cookieHeader).expect(200);
}

describe("GET /read-cookie", () => {
  it("shows the cookie's value in a heading", async () => {
    const res = await readWithCookieHeader("tutorial=Hello%20World");

    expect(res.text).toContain("<h1>The cookie value is: Hello World</h1>");
  });

  it("escapes a cookie carrying a script tag, URL-encoded as a browser would send it", async () => {
    const res = await readWithCookieHeader(`tutorial=${encodeURIComponent("<script>alert(1)</script>")}`);

    expect(res.text).toContain("<h1>The cookie value is: &lt;script&gt;alert(1)&lt;/script&gt;</h1>");
    expect(res.text).not.toContain("<script>");
  });

  it("escapes a cookie carrying a raw script tag", async () => {
    const res = await readWithCookieHeader("tutorial=<script>alert(1)</script>");

    expect(res.text).toContain("<h1>The cookie value is: &lt;script&gt;alert(1)&lt;/script&gt;</h1>");
    expect(res.text).not.toContain("<script>");
  });

  it("escapes quotes too, so a value cannot break out of an attribute", async () => {
    const res = await readWithCookieHeader(`tutorial=${encodeURIComponent(`"><img src=x onerror='alert(1)'>`)}`);

    expect(res.text).toContain("&quot;&gt;&lt;img src=x onerror=&#39;alert(1)&#39;&gt;");
    expect(res.text).not.toContain("<img");
  });

  it("says no cookie named tutorial was sent when there is none, instead of undefined", async () => {
    const res = await request(createApp()).get("/read-cookie").expect(200);

    expect(res.text).toContain("<h1>No cookie named tutorial was sent</h1>");
    expect(res.text).not.toMatch(/undefined|None/);
  });

  it("ignores other cookies when looking for tutorial", async () => {
    const res = await readWithCookieHeader("theme=dark; session=abc");

    expect(res.text).toContain("<h1>No cookie named tutorial was sent</h1>");
  });

  it("says the cookie is empty when its value is empty", async () => {
    const res = await readWithCookieHeader("tutorial=");

    expect(res.text).toContain("<h1>The cookie tutorial is empty</h1>");
  });

  it("shows a j: JSON cookie as text that is not the value, instead of crashing or printing [object Object]", async () => {
    const res = await readWithCookieHeader('tutorial=j:{"a":1}');

    expect(res.text).toContain("<h1>The cookie tutorial does not hold text</h1>");
    expect(res.text).toContain("<code>{&quot;a&quot;:1}</code>");
    expect(res.text).not.toContain("[object Object]");
  });

  it("escapes markup hidden inside a j: JSON cookie", async () => {
    const res = await readWithCookieHeader(`tutorial=j:${encodeURIComponent('{"a":"<script>alert(1)</script>"}')}`);

    expect(res.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(res.text).not.toContain("<script>");
  });
});

import request from "supertest";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";

const routes = ["/", "/set-cookie", "/read-cookie", "/delete-cookie"];

describe("every page", () => {
  it.each(routes)("%s is a minimal HTML5 document: doctype, lang, charset and a title", async (route) => {
    const res = await request(createApp()).get(route).expect(200);

    expect(res.text).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(res.text).toContain('<meta charset="utf-8">');
    expect(res.text).toMatch(/<title>[^<]+<\/title>/);
    expect(res.text.trimEnd()).toMatch(/<\/html>$/);
  });

  it.each(routes)("%s is sent as text/html in UTF-8", async (route) => {
    await request(createApp()).get(route).expect("Content-Type", "text/html; charset=utf-8");
  });

  it.each(routes)("%s tells caches not to store it, since it depends on the visitor's cookie", async (route) => {
    await request(createApp()).get(route).expect("Cache-Control", "no-store");
  });

  it.each(routes)("%s does not announce Express in X-Powered-By", async (route) => {
    const res = await request(createApp()).get(route);

    expect(res.headers["x-powered-by"]).toBeUndefined();
  });
});

describe("GET /", () => {
  it("links to the three cookie routes", async () => {
    const res = await request(createApp()).get("/").expect(200);

    for (const route of ["/set-cookie", "/read-cookie", "/delete-cookie"]) {
      expect(res.text).toContain(`<a href="${route}">`);
    }
  });

  it("sets no cookie by itself", async () => {
    const res = await request(createApp()).get("/").expect(200);

    expect(res.headers["set-cookie"]).toBeUndefined();
  });
});

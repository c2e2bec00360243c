import { describe, expect, it } from "vitest";
import { BrowserJar } from "../src/index.js";

const response = (...setCookie: string[]) => ({ headers: { "set-cookie": setCookie } });

describe("BrowserJar", () => {
  it("sends nothing while empty", () => {
    expect(new BrowserJar().cookieHeaderFor()).toBeUndefined();
  });

  it("sends stored cookies back with their values still encoded", () => {
    const jar = new BrowserJar();
    jar.store(response("last_visit=2026-11-25T17%3A41%3A44.000Z; Path=/", "theme=dark"));
    expect(jar.cookieHeaderFor()).toBe("last_visit=2026-11-25T17%3A41%3A44.000Z; theme=dark");
  });

  it("replaces a cookie set again", () => {
    const jar = new BrowserJar();
    jar.store(response("a=1"));
    jar.store(response("a=2"));
    expect(jar.cookieHeaderFor()).toBe("a=2");
  });

  it("removes a cookie deleted with Max-Age=0, unlike supertest's jar", () => {
    const jar = new BrowserJar();
    jar.store(response("a=1", "b=2"));
    jar.store(response("a=; Max-Age=0"));
    expect(jar.has("a")).toBe(false);
    expect(jar.cookieHeaderFor()).toBe("b=2");
  });

  it("removes a cookie deleted with an Expires in the past, and keeps one that only lost its value", () => {
    const jar = new BrowserJar();
    jar.store(response("a=1", "b=2"));
    jar.store(response("a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT", "b="));
    expect(jar.has("a")).toBe(false);
    expect(jar.cookieHeaderFor()).toBe("b=");
  });

  it("keeps a cookie when the deletion names another Path, as a browser does", () => {
    const jar = new BrowserJar();
    jar.store(response("a=1; Path=/"));
    jar.store(response("a=; Path=/account; Max-Age=0"));
    expect(jar.cookieHeaderFor("/")).toBe("a=1");
  });

  it("sends a cookie only to paths inside its Path (RFC 6265 §5.1.4)", () => {
    const jar = new BrowserJar();
    jar.store(response("a=1; Path=/account"));
    expect(jar.cookieHeaderFor("/account/settings")).toBe("a=1");
    expect(jar.cookieHeaderFor("/account")).toBe("a=1");
    expect(jar.cookieHeaderFor("/accounting")).toBeUndefined();
    expect(jar.cookieHeaderFor("/")).toBeUndefined();
    expect(jar.size).toBe(1);
  });

  it("ignores a Set-Cookie whose Domain the host does not belong to, so such a deletion deletes nothing", () => {
    const jar = new BrowserJar();
    jar.store(response("a=1; Path=/"));
    jar.store(response("a=; Path=/; Domain=example.com; Max-Age=0", "b=2; Domain=example.com"));
    expect(jar.cookieHeaderFor("/")).toBe("a=1");
  });

  it("takes a Domain that the host belongs to, with or without a leading dot", () => {
    const jar = new BrowserJar({ origin: "http://www.Example.com" });
    jar.store(response("a=1; Domain=.example.com", "b=2; Domain=www.example.com", "c=3; Domain=other.com"));
    expect(jar.cookieHeaderFor("/")).toBe("a=1; b=2");
  });

  it("never treats an IP address as a subdomain", () => {
    const jar = new BrowserJar({ origin: "http://10.0.0.1" });
    jar.store(response("a=1; Domain=0.0.1"));
    expect(jar.size).toBe(0);
  });

  it("ignores a response without Set-Cookie", () => {
    const jar = new BrowserJar();
    jar.store({ headers: {} });
    expect(jar.cookieHeaderFor()).toBeUndefined();
  });
});

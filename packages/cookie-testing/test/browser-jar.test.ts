import { describe, expect, it } from "vitest";
import { BrowserJar } from "../src/index.js";

const response = (...setCookie: string[]) => ({ headers: { "set-cookie": setCookie } });

describe("BrowserJar", () => {
  it("sends nothing while empty", () => {
    const jar = new BrowserJar();
    expect(jar.cookieHeaderFor()).toBeUndefined();
    expect(jar.size).toBe(0);
  });

  it("sends stored cookies back with their values still encoded", () => {
    const jar = new BrowserJar();
    jar.store(response("last_visit=2026-11-25T17%3A41%3A44.000Z; Path=/", "theme=dark"));
    expect(jar.cookieHeaderFor()).toBe("last_visit=2026-11-25T17%3A41%3A44.000Z; theme=dark");
  });

  it("sends a nameless cookie as its bare value", () => {
    const jar = new BrowserJar();
    jar.store(response("abc"));
    expect(jar.cookieHeaderFor()).toBe("abc");
  });

  it("replaces a cookie set again", () => {
    const jar = new BrowserJar();
    jar.store(response("a=1"));
    jar.store(response("a=2"));
    expect(jar.cookieHeaderFor()).toBe("a=2");
  });

  it("returns the verdict on each line it stores", () => {
    const verdicts = new BrowserJar().store(response("a=1", "b=1; SameSite=None"));
    expect(verdicts.map((verdict) => verdict.accepted)).toEqual([true, false]);
  });

  describe(".get(name)", () => {
    it("gives the stored cookie with its attributes", () => {
      const jar = new BrowserJar({ clock: () => new Date(0) });
      jar.store(response("a=1; Path=/; HttpOnly; SameSite=Lax; Max-Age=60"));
      expect(jar.get("a")).toEqual({
        name: "a",
        value: "1",
        domain: "localhost",
        hostOnly: true,
        path: "/",
        expires: new Date(60_000),
        secure: false,
        httpOnly: true,
        sameSite: "lax",
      });
      expect(jar.get("b")).toBeUndefined();
    });

    it("gives the one on the longest path when several share the name", () => {
      const jar = new BrowserJar();
      jar.store(response("a=1; Path=/", "a=2; Path=/account"));
      expect(jar.get("a")?.value).toBe("2");
      expect(jar.cookies().map((cookie) => cookie.path)).toEqual(["/account", "/"]);
    });
  });

  describe("deleting", () => {
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

    it("keeps a cookie whose deletion has an Expires that is no cookie-date, or a Max-Age that is no integer", () => {
      const jar = new BrowserJar();
      jar.store(response("a=1", "b=2"));
      jar.store(response("a=; Expires=yesterday", "b=; Max-Age=0.5"));
      expect(jar.cookieHeaderFor()).toBe("a=; b=");
    });

    it("keeps a cookie when the deletion names another Path, as a browser does", () => {
      const jar = new BrowserJar();
      jar.store(response("a=1; Path=/"));
      jar.store(response("a=; Path=/account; Max-Age=0"));
      expect(jar.cookieHeaderFor("/")).toBe("a=1");
    });

    it("ignores a Set-Cookie whose Domain the host does not match, so such a deletion deletes nothing", () => {
      const jar = new BrowserJar();
      jar.store(response("a=1; Path=/"));
      jar.store(response("a=; Path=/; Domain=example.com; Max-Age=0", "b=2; Domain=example.com"));
      expect(jar.cookieHeaderFor("/")).toBe("a=1");
    });

    it("keeps a host-only cookie and a Domain cookie of the same name and domain apart (RFC 6265bis §5.7)", () => {
      const jar = new BrowserJar({ origin: "https://www.example.com" });
      jar.store(response("a=1", "a=2; Domain=www.example.com"));
      expect(jar.cookieHeaderFor()).toBe("a=1; a=2");
      jar.store(response("a=; Domain=www.example.com; Max-Age=0"));
      expect(jar.cookieHeaderFor()).toBe("a=1");
    });
  });

  describe("its clock", () => {
    it("expires a cookie once the clock passes its expiry", () => {
      let now = new Date(0);
      const jar = new BrowserJar({ clock: () => now });
      jar.store(response("a=1; Max-Age=60"));
      expect(jar.has("a")).toBe(true);
      now = new Date(60_000);
      expect(jar.has("a")).toBe(false);
    });
  });

  describe("rejections", () => {
    it("stores nothing for a line a browser rejects, and keeps the line and the reason", () => {
      const jar = new BrowserJar();
      jar.store(response("a=1; SameSite=None", `b=${"v".repeat(4096)}`, "c=1"));
      expect(jar.cookieHeaderFor()).toBe("c=1");
      expect(jar.rejections.map(({ line, verdict }) => [line.slice(0, 20), verdict.reason])).toEqual([
        ["a=1; SameSite=None", "a browser rejects it: SameSite=None needs Secure"],
        [
          `b=${"v".repeat(18)}`,
          "a browser rejects it: its name and value are 4097 bytes, over the 4096 a browser keeps",
        ],
      ]);
    });
  });

  describe("paths", () => {
    it("sends a cookie only to paths inside its Path (RFC 6265 §5.1.4)", () => {
      const jar = new BrowserJar();
      jar.store(response("a=1; Path=/account"));
      expect(jar.cookieHeaderFor("/account/settings")).toBe("a=1");
      expect(jar.cookieHeaderFor("/account")).toBe("a=1");
      expect(jar.cookieHeaderFor("/accounting")).toBeUndefined();
      expect(jar.cookieHeaderFor("/")).toBeUndefined();
      expect(jar.size).toBe(1);
    });

    it("gives a cookie without Path the directory of the request it answered", () => {
      const jar = new BrowserJar();
      jar.store(response("a=1"), { path: "/account/settings" });
      expect(jar.get("a")?.path).toBe("/account");
    });

    it("lists the cookie with the longer path first (RFC 6265 §5.4 step 2)", () => {
      const jar = new BrowserJar();
      jar.store(response("a=1; Path=/", "b=2; Path=/account"));
      expect(jar.cookieHeaderFor("/account")).toBe("b=2; a=1");
    });
  });

  describe("its origin", () => {
    it("is http://localhost by default, where Secure cookies are kept (Chromium counts localhost as secure)", () => {
      const jar = new BrowserJar();
      jar.store(response("a=1; Secure; Domain=localhost"));
      expect(jar.cookieHeaderFor()).toBe("a=1");
    });

    it("refuses Secure cookies over plain HTTP elsewhere", () => {
      const jar = new BrowserJar({ origin: "http://example.com" });
      jar.store(response("a=1; Secure"));
      expect(jar.size).toBe(0);
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
  });

  it("ignores a response without Set-Cookie", () => {
    const jar = new BrowserJar();
    expect(jar.store({ headers: {} })).toEqual([]);
    expect(jar.cookieHeaderFor()).toBeUndefined();
  });
});

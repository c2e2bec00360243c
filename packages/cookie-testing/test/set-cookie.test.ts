import { describe, expect, it } from "vitest";
import { deletesCookie, setCookiesNamed } from "../src/index.js";

const response = (setCookie: string[] | string | undefined) => ({ headers: { "set-cookie": setCookie } });

describe("setCookiesNamed(response, name)", () => {
  it("returns only the cookies with that name, values decoded", () => {
    const cookies = setCookiesNamed(
      response(["other=1; Path=/", "last_visit=2026-11-25T17%3A41%3A44.000Z; Path=/; HttpOnly; SameSite=Lax"]),
      "last_visit",
    );
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ value: "2026-11-25T17:41:44.000Z", path: "/", httpOnly: true, sameSite: "Lax" });
  });

  it("returns every Set-Cookie of the name, in order, so a test can see a cookie set twice", () => {
    const cookies = setCookiesNamed(response(["a=1", "a=; Max-Age=0"]), "a");
    expect(cookies.map((cookie) => cookie.value)).toEqual(["1", ""]);
  });

  it("returns an empty list when the response sets no cookie", () => {
    expect(setCookiesNamed({ headers: {} }, "a")).toEqual([]);
  });

  it("accepts a single header string", () => {
    expect(setCookiesNamed(response("a=1"), "a")).toHaveLength(1);
  });

  it("reads Max-Age and Expires as a browser does, and leaves out what it ignores", () => {
    const [integer, fraction, date, word, dashes] = setCookiesNamed(
      response([
        "a=; Max-Age=0",
        "a=; Max-Age=0.5",
        "a=; Expires=Thursday, 01-Jan-70 00:00:00 GMT",
        "a=; Expires=yesterday",
        "a=; Expires=1970-01-01",
      ]),
      "a",
    );
    expect(integer?.maxAge).toBe(0);
    expect(fraction).not.toHaveProperty("maxAge");
    expect(date?.expires).toEqual(new Date(0));
    expect(word).not.toHaveProperty("expires");
    expect(dashes).not.toHaveProperty("expires");
  });
});

describe("deletesCookie(cookie, now)", () => {
  const now = Date.UTC(2026, 10, 25);

  it("is true for Max-Age=0 and for a negative Max-Age", () => {
    expect(deletesCookie({ name: "a", value: "", maxAge: 0 }, now)).toBe(true);
    expect(deletesCookie({ name: "a", value: "", maxAge: -1 }, now)).toBe(true);
  });

  it("is true for an Expires in the past", () => {
    expect(deletesCookie({ name: "a", value: "", expires: new Date(0) }, now)).toBe(true);
  });

  it("is false for an Expires in the future, and a positive Max-Age wins over a past Expires", () => {
    expect(deletesCookie({ name: "a", value: "", expires: new Date(now + 1000) }, now)).toBe(false);
    expect(deletesCookie({ name: "a", value: "", maxAge: 10, expires: new Date(0) }, now)).toBe(false);
  });

  it("is false for a cookie that only blanks the value", () => {
    expect(deletesCookie({ name: "a", value: "" }, now)).toBe(false);
  });

  it("is false for the Max-Age and Expires a browser ignores, read by setCookiesNamed", () => {
    const cookies = setCookiesNamed(response(["a=; Max-Age=0.5", "a=; Expires=1970-01-01", "a=; Max-Age=abc"]), "a");
    expect(cookies.map((cookie) => deletesCookie(cookie, now))).toEqual([false, false, false]);
  });
});

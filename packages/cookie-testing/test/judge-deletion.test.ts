import { describe, expect, it } from "vitest";
import { judgeDeletion } from "../src/index.js";

const visit = (...setCookie: string[]) => ({ path: "/", setCookie });
const logout = (...setCookie: string[]) => ({ path: "/logout", setCookie });
const SET = visit("last_visit=2031-05-17T08%3A09%3A10.000Z; Path=/; HttpOnly; SameSite=Lax");

describe("judgeDeletion(name, setBy, deletedBy)", () => {
  it.each([
    ["res.clearCookie's line", "last_visit=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax"],
    ["Max-Age=0", "last_visit=; Path=/; Max-Age=0"],
    ["Max-Age=-1 without a Path, from /logout (default-path /)", "last_visit=; Max-Age=-1"],
    ["an Expires in RFC 850 form", "last_visit=; Path=/; Expires=Thursday, 01-Jan-70 00:00:00 GMT"],
  ])("is true for %s", (_label, line) => {
    expect(judgeDeletion("last_visit", SET, logout(line))).toEqual({ deleted: true });
  });

  it("is true when an old cookie elsewhere is cleared too", () => {
    const verdict = judgeDeletion(
      "last_visit",
      SET,
      logout("last_visit=; Path=/visits; Max-Age=0", "last_visit=; Path=/; Max-Age=0"),
    );
    expect(verdict).toEqual({ deleted: true });
  });

  it("says the response does not touch the cookie", () => {
    expect(judgeDeletion("last_visit", SET, logout("theme=; Max-Age=0"))).toEqual({
      deleted: false,
      kept: "untouched",
      reason: "the response has no Set-Cookie for last_visit",
    });
  });

  it("names an Expires that is not a cookie-date", () => {
    expect(judgeDeletion("last_visit", SET, logout("last_visit=; Path=/; Expires=yesterday"))).toEqual({
      deleted: false,
      kept: "not-expired",
      reason: "Expires=yesterday is not a date a browser reads, so it ignores it and keeps the cookie",
    });
  });

  it("names a Max-Age that is not an integer", () => {
    expect(judgeDeletion("last_visit", SET, logout("last_visit=; Path=/; Max-Age=0.5"))).toMatchObject({
      kept: "not-expired",
      reason: "Max-Age=0.5 is not a whole number of seconds, so it ignores it and keeps the cookie",
    });
  });

  it("says an empty value alone deletes nothing", () => {
    expect(judgeDeletion("last_visit", SET, logout("last_visit=; Path=/"))).toMatchObject({
      kept: "not-expired",
      reason: "it has no Expires or Max-Age, so it only replaces the value: an empty value is still a cookie",
    });
  });

  it("says when the new expiry is still ahead", () => {
    const verdict = judgeDeletion("last_visit", SET, logout("last_visit=; Path=/; Max-Age=60"), { now: new Date(0) });
    expect(verdict).toMatchObject({
      kept: "not-expired",
      reason: "it expires at 1970-01-01T00:01:00.000Z, not in the past, so the cookie stays",
    });
  });

  it("names another Path", () => {
    expect(judgeDeletion("last_visit", SET, logout("last_visit=; Path=/logout; Max-Age=0"))).toEqual({
      deleted: false,
      kept: "other-cookie",
      reason:
        "the deletion names Path=/logout, but the cookie has Path=/: a browser deletes only the cookie with the same name, Domain and Path",
    });
  });

  it("gives the reason a browser rejects the deletion", () => {
    expect(judgeDeletion("last_visit", SET, logout("last_visit=; Path=/; Domain=example.com; Max-Age=0"))).toEqual({
      deleted: false,
      kept: "rejected",
      reason: "a browser rejects it: Domain=example.com does not match the host localhost",
    });
    expect(judgeDeletion("last_visit", SET, logout("last_visit=; Path=/; SameSite=None; Max-Age=0"))).toMatchObject({
      kept: "rejected",
      reason: "a browser rejects it: SameSite=None needs Secure",
    });
  });

  it("says when a later line stores the cookie again", () => {
    const verdict = judgeDeletion("last_visit", SET, logout("last_visit=; Path=/; Max-Age=0", "last_visit=x; Path=/"));
    expect(verdict).toMatchObject({
      kept: "set-again",
      reason: "a later Set-Cookie of the same response stores it again",
    });
  });

  it("judges at the origin given", () => {
    const setBy = visit("id=1; Domain=example.com");
    expect(
      judgeDeletion("id", setBy, logout("id=; Domain=example.com; Max-Age=0"), { origin: "https://www.example.com" }),
    ).toEqual({
      deleted: true,
    });
    expect(judgeDeletion("id", setBy, logout("id=; Max-Age=0"), { origin: "https://www.example.com" })).toMatchObject({
      kept: "other-cookie",
      reason: expect.stringContaining(
        "the deletion names Path=/, but the cookie has Path=/ Domain=example.com",
      ) as unknown,
    });
  });

  it("refuses to judge a cookie that was never stored", () => {
    expect(() => judgeDeletion("last_visit", visit("last_visit=1; SameSite=None"), logout())).toThrow(
      "the response to / does not store a cookie named last_visit",
    );
  });
});

import { parseDate as rfc6265ParseDate } from "tough-cookie";
import { describe, expect, it } from "vitest";
import { parseCookieDate } from "../src/cookie-date.js";

const EPOCH = new Date(0);

describe("parseCookieDate(text)", () => {
  it.each([
    ["toUTCString (RFC 1123)", "Thu, 01 Jan 1970 00:00:00 GMT", EPOCH],
    ["RFC 850", "Thursday, 01-Jan-70 00:00:00 GMT", EPOCH],
    ["asctime", "Sun Nov  6 08:49:37 1994", new Date("1994-11-06T08:49:37Z")],
    ["Date#toString", "Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)", EPOCH],
    ["quoted", '"Thu, 01 Jan 1970 00:00:00 GMT"', EPOCH],
    ["fields in another order, one-digit time", "Jan 1970 1 0:0:0", EPOCH],
    ["a full month name", "01 January 2031 12:30:00", new Date("2031-01-01T12:30:00Z")],
  ])("reads %s", (_label, text, date) => {
    expect(parseCookieDate(text)).toEqual(date);
  });

  it("ignores the time zone: every cookie-date is UTC", () => {
    expect(parseCookieDate("Thu, 01 Jan 1970 00:00:00 PST")).toEqual(EPOCH);
  });

  it("expands two-digit years: 70-99 to 19xx, 0-69 to 20xx (RFC 6265 §5.1.1)", () => {
    expect(parseCookieDate("01 Jan 70 00:00:00")?.getUTCFullYear()).toBe(1970);
    expect(parseCookieDate("01 Jan 69 00:00:00")?.getUTCFullYear()).toBe(2069);
  });

  it.each([
    ["a date without a time", "1970-01-01"],
    ["ISO 8601 (toISOString), whose time is glued to the day", "1970-01-01T00:00:00.000Z"],
    ["a word", "yesterday"],
    ["a number", "0"],
    ["no year", "Thu, 01 Jan 00:00:00 GMT"],
    ["no month", "01 1970 00:00:00"],
    ["an hour of 25", "Thu, 01 Jan 1970 25:00:00 GMT"],
    ["a minute of 60", "Thu, 01 Jan 1970 00:60:00 GMT"],
    ["a leap second", "Thu, 01 Jan 2020 23:59:60 GMT"],
    ["30 February", "Sun, 30 Feb 2020 00:00:00 GMT"],
    ["day 0", "00 Jan 2020 00:00:00"],
    ["day 32", "32 Jan 2020 00:00:00"],
    ["a time of two fields", "Thu, 01 Jan 1970 00:00 GMT"],
  ])("rejects %s, which Date.parse may accept", (_label, text) => {
    expect(parseCookieDate(text)).toBeUndefined();
  });

  describe("where Chromium departs from RFC 6265 §5.1.1 (and tough-cookie, which follows it)", () => {
    it("reads a year before 1601: a date in the past", () => {
      const text = "Sat, 01 Jan 1600 00:00:00 GMT";
      expect(parseCookieDate(text)?.getUTCFullYear()).toBe(1600);
      expect(rfc6265ParseDate(text)).toBeUndefined();
    });

    it("reads a one-digit year after the day as 200x", () => {
      const text = "Mon, 01 Jan 1 00:00:00 GMT";
      expect(parseCookieDate(text)).toEqual(new Date("2001-01-01T00:00:00Z"));
      expect(rfc6265ParseDate(text)).toBeUndefined();
    });

    it("reads a five-digit year", () => {
      const text = "Thu, 01 Jan 19700 00:00:00 GMT";
      expect(parseCookieDate(text)?.getUTCFullYear()).toBe(19700);
      expect(rfc6265ParseDate(text)).toBeUndefined();
    });

    it("takes '1st' for a year, not a day, so the date lacks its day", () => {
      const text = "Wed, 1st Jan 2020 00:00:00 GMT";
      expect(parseCookieDate(text)).toBeUndefined();
      expect(rfc6265ParseDate(text)).toEqual(new Date("2020-01-01T00:00:00Z"));
    });

    it("reads only two digits of each time field, as sscanf's %2u", () => {
      const text = "Thu, 01 Jan 1970 00:00:001 GMT";
      expect(parseCookieDate(text)).toEqual(EPOCH);
      expect(rfc6265ParseDate(text)).toBeUndefined();
    });

    it("never takes a token with a colon for the day or the year", () => {
      expect(parseCookieDate("Jan 00:00:00 1:2 1970")).toBeUndefined();
    });
  });
});

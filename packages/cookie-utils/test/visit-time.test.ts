import { describe, expect, it } from "vitest";
import {
  MAX_VISIT_TIME_LENGTH,
  formatVisitTime,
  parseVisitTime,
  type VisitTimeProblem,
  type VisitTimeResult,
} from "../src/visit-time.js";

/** The instant a valid value stands for, or a message that names the problem, so a failure explains itself. */
function instantOf(result: VisitTimeResult): string {
  return result.ok ? result.date.toISOString() : `not ok: ${result.problem}`;
}

function problemOf(result: VisitTimeResult): VisitTimeProblem | "ok" {
  return result.ok ? "ok" : result.problem;
}

describe("MAX_VISIT_TIME_LENGTH", () => {
  it("is 64 characters", () => {
    expect(MAX_VISIT_TIME_LENGTH).toBe(64);
  });

  it("leaves room for the longest value parseVisitTime accepts", () => {
    const longest = "2024-01-01T00:00:00.123456789+05:30";
    expect(longest).toHaveLength(35);
    expect(longest.length).toBeLessThanOrEqual(MAX_VISIT_TIME_LENGTH);
    expect(parseVisitTime(longest).ok).toBe(true);
  });
});

describe("formatVisitTime(date)", () => {
  it("writes a fixed Date as an ISO 8601 UTC string with milliseconds", () => {
    expect(formatVisitTime(new Date(Date.UTC(2026, 10, 25, 17, 41, 44, 7)))).toBe("2026-11-25T17:41:44.007Z");
  });

  it("writes the Unix epoch", () => {
    expect(formatVisitTime(new Date(0))).toBe("1970-01-01T00:00:00.000Z");
  });

  it("writes UTC whatever the date's local offset", () => {
    expect(formatVisitTime(new Date("2024-06-01T02:00:00+02:00"))).toBe("2024-06-01T00:00:00.000Z");
  });

  it("writes only characters a cookie value may hold (RFC 6265 cookie-octet)", () => {
    expect(formatVisitTime(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)))).toMatch(/^[0-9TZ:.-]+$/);
  });

  it("writes the first and last moments of four-digit years", () => {
    expect(formatVisitTime(new Date("0000-01-01T00:00:00.000Z"))).toBe("0000-01-01T00:00:00.000Z");
    expect(formatVisitTime(new Date("9999-12-31T23:59:59.999Z"))).toBe("9999-12-31T23:59:59.999Z");
  });

  it("throws a RangeError for an invalid Date instead of storing 'Invalid Date'", () => {
    expect(() => formatVisitTime(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => formatVisitTime(new Date("not a date"))).toThrow(RangeError);
  });

  it("throws a RangeError for a year after 9999, which RFC 3339 cannot write", () => {
    expect(() => formatVisitTime(new Date("+010000-01-01T00:00:00.000Z"))).toThrow(
      new RangeError("formatVisitTime: +010000-01-01T00:00:00.000Z is outside the years 0000-9999"),
    );
    expect(() => formatVisitTime(new Date(8.64e15))).toThrow(RangeError);
  });

  it("throws a RangeError for a year before 0000", () => {
    expect(() => formatVisitTime(new Date("-000001-12-31T23:59:59.999Z"))).toThrow(
      new RangeError("formatVisitTime: -000001-12-31T23:59:59.999Z is outside the years 0000-9999"),
    );
  });
});

describe("parseVisitTime(value)", () => {
  describe("valid date-times", () => {
    it("reads back what formatVisitTime wrote, to the millisecond", () => {
      const date = new Date(Date.UTC(2026, 10, 25, 17, 41, 44, 123));
      const value = formatVisitTime(date);
      const result = parseVisitTime(value);
      expect(result).toStrictEqual({ ok: true, date, iso: value });
    });

    it.each([
      "0000-01-01T00:00:00.000Z",
      "0001-02-03T04:05:06.007Z",
      "1969-12-31T23:59:59.999Z",
      "1970-01-01T00:00:00.000Z",
      "2000-02-29T12:00:00.500Z",
      "2024-02-29T23:59:59.001Z",
      "9999-12-31T23:59:59.999Z",
    ])("round-trips %s", (value) => {
      const result = parseVisitTime(value);
      expect(result.ok && result.iso).toBe(value);
      expect(result.ok && formatVisitTime(result.date)).toBe(value);
    });

    it("round-trips every day of a leap year", () => {
      const start = Date.UTC(2024, 0, 1, 13, 14, 15, 16);
      for (let day = 0; day < 366; day++) {
        const value = formatVisitTime(new Date(start + day * 86_400_000));
        expect(parseVisitTime(value), value).toMatchObject({ ok: true, iso: value });
      }
    });

    it("accepts a value without fractional seconds", () => {
      expect(parseVisitTime("2024-01-01T00:00:00Z")).toStrictEqual({
        ok: true,
        date: new Date(Date.UTC(2024, 0, 1)),
        iso: "2024-01-01T00:00:00.000Z",
      });
    });

    it("returns a Date that is the same instant as iso", () => {
      const result = parseVisitTime("2024-03-04T05:06:07.089Z");
      expect(result.ok && result.date.getTime()).toBe(Date.UTC(2024, 2, 4, 5, 6, 7, 89));
    });

    it.each([
      ["2024-06-01T12:00:00+02:00", "2024-06-01T10:00:00.000Z"],
      ["2024-06-01T12:00:00-05:30", "2024-06-01T17:30:00.000Z"],
      ["2024-06-01T12:00:00+00:00", "2024-06-01T12:00:00.000Z"],
      ["2024-06-01T12:00:00-00:00", "2024-06-01T12:00:00.000Z"],
      ["2024-06-01T12:00:00+23:59", "2024-05-31T12:01:00.000Z"],
      ["2024-06-01T12:00:00-23:59", "2024-06-02T11:59:00.000Z"],
      ["2024-01-01T01:00:00+05:45", "2023-12-31T19:15:00.000Z"],
      ["2024-02-29T23:00:00-01:00", "2024-03-01T00:00:00.000Z"],
    ])("reads the offset in %s as the UTC instant %s", (value, utc) => {
      expect(instantOf(parseVisitTime(value))).toBe(utc);
    });

    it.each([
      ["2024-01-01T00:00:00.1Z", "2024-01-01T00:00:00.100Z"],
      ["2024-01-01T00:00:00.12Z", "2024-01-01T00:00:00.120Z"],
      ["2024-01-01T00:00:00.123Z", "2024-01-01T00:00:00.123Z"],
      ["2024-01-01T00:00:00.1234Z", "2024-01-01T00:00:00.123Z"],
      ["2024-01-01T00:00:00.12345Z", "2024-01-01T00:00:00.123Z"],
      ["2024-01-01T00:00:00.123456Z", "2024-01-01T00:00:00.123Z"],
      ["2024-01-01T00:00:00.1234567Z", "2024-01-01T00:00:00.123Z"],
      ["2024-01-01T00:00:00.12345678Z", "2024-01-01T00:00:00.123Z"],
      ["2024-01-01T00:00:00.123456789Z", "2024-01-01T00:00:00.123Z"],
      ["2024-01-01T00:00:00.999999999Z", "2024-01-01T00:00:00.999Z"],
      ["2024-01-01T00:00:00.000000001Z", "2024-01-01T00:00:00.000Z"],
      ["2024-01-01T00:00:00.05+01:00", "2023-12-31T23:00:00.050Z"],
    ])("truncates the fraction in %s to milliseconds: %s", (value, utc) => {
      expect(instantOf(parseVisitTime(value))).toBe(utc);
    });

    it("reads year 0050 as the year 50, not 1950", () => {
      const result = parseVisitTime("0050-06-01T00:00:00Z");
      expect(result.ok && result.date.getUTCFullYear()).toBe(50);
      expect(instantOf(result)).toBe("0050-06-01T00:00:00.000Z");
    });

    it.each(["0000", "0001", "0099"])("reads the year %s as written", (year) => {
      const result = parseVisitTime(`${year}-03-15T08:30:00Z`);
      expect(result.ok && result.date.getUTCFullYear()).toBe(Number(year));
      expect(instantOf(result)).toBe(`${year}-03-15T08:30:00.000Z`);
    });

    it("treats the year 0000 as a leap year, as the proleptic Gregorian calendar does", () => {
      expect(instantOf(parseVisitTime("0000-02-29T00:00:00Z"))).toBe("0000-02-29T00:00:00.000Z");
    });
  });

  describe("the calendar", () => {
    it.each([
      ["2024-02-29T00:00:00Z", "ok"],
      ["2000-02-29T00:00:00Z", "ok"],
      ["1600-02-29T00:00:00Z", "ok"],
      ["2023-02-29T00:00:00Z", "impossible-date"],
      ["1900-02-29T00:00:00Z", "impossible-date"],
      ["2100-02-29T00:00:00Z", "impossible-date"],
      ["2024-02-30T00:00:00Z", "impossible-date"],
      ["2023-02-28T00:00:00Z", "ok"],
    ] as const)("accepts or rejects the leap day %s: %s", (value, expected) => {
      expect(problemOf(parseVisitTime(value))).toBe(expected);
    });

    it.each(["04", "06", "09", "11"])("knows that month %s has 30 days", (month) => {
      expect(problemOf(parseVisitTime(`2024-${month}-30T00:00:00Z`))).toBe("ok");
      expect(problemOf(parseVisitTime(`2024-${month}-31T00:00:00Z`))).toBe("impossible-date");
    });

    it.each(["01", "03", "05", "07", "08", "10", "12"])("knows that month %s has 31 days", (month) => {
      expect(problemOf(parseVisitTime(`2024-${month}-31T00:00:00Z`))).toBe("ok");
      expect(problemOf(parseVisitTime(`2024-${month}-32T00:00:00Z`))).toBe("impossible-date");
    });

    it.each([
      ["month 00", "2024-00-10T00:00:00Z"],
      ["month 13", "2024-13-10T00:00:00Z"],
      ["day 00", "2024-01-00T00:00:00Z"],
      ["hour 24", "2024-01-01T24:00:00Z"],
      ["minute 60", "2024-01-01T00:60:00Z"],
      ["second 60 (a leap second)", "2016-12-31T23:59:60Z"],
      ["second 99", "2024-01-01T00:00:99Z"],
      ["offset +24:00", "2024-01-01T00:00:00+24:00"],
      ["offset -24:00", "2024-01-01T00:00:00-24:00"],
      ["offset +00:60", "2024-01-01T00:00:00+00:60"],
      ["offset +99:99", "2024-01-01T00:00:00+99:99"],
    ])("rejects %s as an impossible date", (_what, value) => {
      expect(parseVisitTime(value)).toStrictEqual({ ok: false, problem: "impossible-date" });
    });

    it("rejects February 30th as an impossible date, where Date.parse rolls it over into March", () => {
      expect(new Date(Date.parse("2024-02-30T00:00:00Z")).toISOString()).toBe("2024-03-01T00:00:00.000Z");
      expect(parseVisitTime("2024-02-30T00:00:00Z")).toStrictEqual({ ok: false, problem: "impossible-date" });
    });

    it("rejects a moment that an offset moves before the year 0000", () => {
      expect(parseVisitTime("0000-01-01T00:00:00+00:01")).toStrictEqual({ ok: false, problem: "impossible-date" });
      expect(instantOf(parseVisitTime("0000-01-01T00:01:00+00:01"))).toBe("0000-01-01T00:00:00.000Z");
    });

    it("rejects a moment that an offset moves after the year 9999", () => {
      expect(parseVisitTime("9999-12-31T23:59:59-00:01")).toStrictEqual({ ok: false, problem: "impossible-date" });
      expect(instantOf(parseVisitTime("9999-12-31T23:58:59.999-00:01"))).toBe("9999-12-31T23:59:59.999Z");
    });
  });

  describe("problems", () => {
    it.each([
      ["undefined (no cookie)", "missing", undefined],
      ["null", "missing", null],
      ["an empty string", "empty", ""],
      ["false (a badly signed cookie in req.signedCookies)", "bad-signature", false],
      ["a number", "not-a-string", 1704067200000],
      ["a Date", "not-a-string", new Date(0)],
      ["the object cookie-parser makes from a j: JSON cookie", "not-a-string", { a: 1 }],
      ["an array", "not-a-string", ["2024-01-01T00:00:00Z"]],
      ["true", "not-a-string", true],
      ["a bigint", "not-a-string", 1n],
      ["a Symbol", "not-a-string", Symbol("2024-01-01T00:00:00Z")],
      ["a function", "not-a-string", () => "2024-01-01T00:00:00Z"],
      ["a String object", "not-a-string", new String("2024-01-01T00:00:00Z")],
      ["an object without a prototype", "not-a-string", Object.create(null)],
    ] as const)("reports %s as %s", (_what, problem, value) => {
      expect(parseVisitTime(value)).toStrictEqual({ ok: false, problem });
    });

    it("reports a value of 65 characters as too-long", () => {
      const value = "2024-01-01T00:00:00Z".padEnd(65, "0");
      expect(value).toHaveLength(MAX_VISIT_TIME_LENGTH + 1);
      expect(parseVisitTime(value)).toStrictEqual({ ok: false, problem: "too-long" });
    });

    it("looks at a value of exactly 64 characters, and finds it malformed rather than too-long", () => {
      // No valid date-time is longer than 35 characters, so the boundary can only be shown with a malformed one.
      const value = "2024-01-01T00:00:00Z".padEnd(64, "0");
      expect(value).toHaveLength(MAX_VISIT_TIME_LENGTH);
      expect(parseVisitTime(value)).toStrictEqual({ ok: false, problem: "malformed" });
    });

    it("reports a very long value as too-long without running the pattern on it", () => {
      expect(parseVisitTime("9".repeat(1_000_000))).toStrictEqual({ ok: false, problem: "too-long" });
    });
  });

  describe("strings that Date.parse accepts but are not RFC 3339 date-times", () => {
    it.each([
      ["a date without a time", "2024-01-01"],
      ["a date-time without a zone (local time)", "2024-01-01T00:00:00"],
      ["an HTTP date", "Mon, 01 Jan 2024 00:00:00 GMT"],
      ["a US-style date", "1/2/2024"],
      ["a lower-case t and z", "2024-01-01t00:00:00z"],
      ["a lower-case t", "2024-01-01t00:00:00Z"],
      ["a lower-case z", "2024-01-01T00:00:00z"],
      ["an expanded year", "+275760-09-13T00:00:00.000Z"],
      ["an offset without a colon", "2024-01-01T00:00:00.000+0200"],
      ["a script tag before a year", "<script>alert(1)</script> 2024"],
      ["an img onerror tag before a year", "<img src=x onerror=alert(1)> 2024"],
      ["a script tag inside a comment", "Jan 1 2024 (<script>alert(1)</script>)"],
      ["an attribute breakout before a date", '"><script>alert(1)</script> 1 Jan 2024'],
    ])("rejects %s as malformed: %s", (_what, value) => {
      expect(Number.isNaN(Date.parse(value))).toBe(false);
      expect(parseVisitTime(value)).toStrictEqual({ ok: false, problem: "malformed" });
    });
  });

  describe("other malformed strings", () => {
    it.each([
      ["a leading space", " 2024-01-01T00:00:00Z"],
      ["a trailing space", "2024-01-01T00:00:00Z "],
      ["a trailing newline", "2024-01-01T00:00:00Z\n"],
      ["a leading newline", "\n2024-01-01T00:00:00Z"],
      ["markup after the zone", "2024-01-01T00:00:00Z<script>"],
      ["markup after a date", "Jan 1 2024 <script>alert(1)</script>"],
      ["a lone high surrogate", "2024-01-01T00:00:00Z\uD800"],
      ["a lone low surrogate", "\uDC002024-01-01T00:00:00Z"],
      ["a space instead of T", "2024-01-01 00:00:00Z"],
      ["a time without seconds", "2024-01-01T00:00Z"],
      ["a dot without digits", "2024-01-01T00:00:00.Z"],
      ["a fraction of ten digits", "2024-01-01T00:00:00.1234567890Z"],
      ["a comma before the fraction", "2024-01-01T00:00:00,123Z"],
      ["no zone after a fraction", "2024-01-01T00:00:00.123"],
      ["a zone and an offset", "2024-01-01T00:00:00Z+01:00"],
      ["an offset with hours only", "2024-01-01T00:00:00+01"],
      ["a two-digit year", "24-01-01T00:00:00Z"],
      ["a five-digit year", "12024-01-01T00:00:00Z"],
      ["a negative year", "-2024-01-01T00:00:00Z"],
      ["a one-digit month and day", "2024-1-1T00:00:00Z"],
      ["full-width digits", "２０２４-01-01T00:00:00Z"],
      ["Arabic-Indic digits", "٢٠٢٤-01-01T00:00:00Z"],
      ["a percent-encoded value that was not decoded", "2024-01-01T00%3A00%3A00Z"],
      ["a signed cookie that was not unsigned", "s:2024-01-01T00:00:00Z.abc"],
      ["a j: JSON cookie that was not parsed", 'j:"2024-01-01T00:00:00Z"'],
      ["the string Invalid Date", "Invalid Date"],
      ["a number as a string", "1704067200000"],
      ["a NUL byte", "2024-01-01T00:00:00Z\0"],
      ["only spaces", "   "],
    ])("rejects %s as malformed", (_what, value) => {
      expect(parseVisitTime(value)).toStrictEqual({ ok: false, problem: "malformed" });
    });
  });

  it("never throws, whatever it is given", () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const odd: unknown[] = [
      Symbol(),
      Symbol.iterator,
      Object.create(null),
      {
        toString: () => {
          throw new Error("toString was called");
        },
      },
      {
        valueOf: () => {
          throw new Error("valueOf was called");
        },
      },
      {
        [Symbol.toPrimitive]: () => {
          throw new Error("toPrimitive was called");
        },
      },
      revoked.proxy,
      new Proxy(
        {},
        {
          get: () => {
            throw new Error("a property was read");
          },
        },
      ),
      Number.NaN,
      Infinity,
      -0,
      0n,
      [],
      [[]],
      new Map(),
      new Date(Number.NaN),
      /x/,
      new Uint8Array(4),
      Promise.resolve("2024-01-01T00:00:00Z"),
      "\uD800",
      "\uFFFF".repeat(64),
      "Z".repeat(65),
      "T",
      "-",
      ":",
      "0000-00-00T00:00:00Z",
      "9999-99-99T99:99:99.999999999+99:99",
    ];
    for (const value of odd) {
      let result: VisitTimeResult | undefined;
      expect(() => {
        result = parseVisitTime(value);
      }).not.toThrow();
      expect(result?.ok, String(typeof value)).toBe(false);
    }
  });

  it("returns a fresh Date each time, so one caller cannot change another's", () => {
    const first = parseVisitTime("2024-01-01T00:00:00Z");
    const second = parseVisitTime("2024-01-01T00:00:00Z");
    expect(first.ok && second.ok && first.date !== second.date).toBe(true);
  });
});

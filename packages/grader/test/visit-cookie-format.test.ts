import { describe, expect, it } from "vitest";
import {
  cookieHeader,
  liveVisitCookies,
  visitCookieTravelsAs,
  type VisitCookieFormat,
} from "../src/checks/visit-cookie.js";
import type { Exchange } from "../src/harness/exchange.js";

/** A stand-in for a later exercise's format: the value reversed, behind a prefix that says so. */
const reversed = (secret: string): VisitCookieFormat => ({
  encode: (value) => `r:${secret}:${[...value].reverse().join("")}`,
  decode: (stored) =>
    stored.startsWith(`r:${secret}:`) ? [...stored.slice(secret.length + 3)].reverse().join("") : undefined,
});
const travelsReversed = visitCookieTravelsAs(({ cookieSecret }) => reversed(cookieSecret));

const answerSetting = (value: string): Exchange => ({
  method: "GET",
  path: "/",
  cookie: undefined,
  status: 200,
  contentType: "text/html",
  setCookie: [`last_visit=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax`],
  body: "",
});

describe("the visit cookie's format, as the exercise being graded declares it", () => {
  it("sends and reads the value as it is, outside any later exercise", () => {
    expect(cookieHeader("2031-05-17T08:09:10.000Z")).toBe("last_visit=2031-05-17T08%3A09%3A10.000Z");
    expect(liveVisitCookies(answerSetting("2031-05-17T08:09:10.000Z"))[0]?.value).toBe("2031-05-17T08:09:10.000Z");
  });

  it("sends the value in the later format, and reads the value inside it, for every check run in that exercise", async () => {
    await travelsReversed({ cookieSecret: "k" }, async () => {
      expect(cookieHeader("abc")).toBe(`last_visit=${encodeURIComponent("r:k:cba")}`);
      // After an await, still the same exercise's format.
      await Promise.resolve();
      expect(liveVisitCookies(answerSetting("r:k:cba"))[0]?.value).toBe("abc");
      // A value not in the format is judged as it is (and fails as what it is).
      expect(liveVisitCookies(answerSetting("abc"))[0]?.value).toBe("abc");
    });
    expect(cookieHeader("abc")).toBe("last_visit=abc");
  });

  it("keeps two exercises graded at once apart", async () => {
    const seen: string[] = [];
    await Promise.all([
      travelsReversed({ cookieSecret: "one" }, async () => {
        await new Promise((resolve) => setImmediate(resolve));
        seen.push(cookieHeader("x"));
      }),
      (async () => {
        await new Promise((resolve) => setImmediate(resolve));
        seen.push(cookieHeader("x"));
      })(),
    ]);
    expect(seen.sort()).toEqual(["last_visit=r%3Aone%3Ax", "last_visit=x"]);
  });
});

import { describe, expect, it } from "vitest";
import * as cookieTesting from "../src/index.js";

describe("the package entry point", () => {
  it("exports exactly the helpers the solutions' tests and the grader use", () => {
    expect(Object.keys(cookieTesting).sort()).toStrictEqual([
      "BrowserJar",
      "deletesCookie",
      "describeIgnored",
      "judgeDeletion",
      "judgeSetCookie",
      "rawSetCookies",
      "setCookiesNamed",
      "splitSetCookie",
    ]);
  });
});

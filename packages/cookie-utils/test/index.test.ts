import { describe, expect, it } from "vitest";
import * as cookieUtils from "../src/index.js";
import type {
  HtmlValue,
  VisitCookieOptions,
  VisitCookieOptionsInput,
  VisitTimeProblem,
  VisitTimeResult,
} from "../src/index.js";

describe("the package entry point", () => {
  it("exports exactly the public API that apps are written against", () => {
    expect(Object.keys(cookieUtils).sort()).toStrictEqual([
      "MAX_COOKIE_LIFETIME_MS",
      "MAX_VISIT_TIME_LENGTH",
      "SafeHtml",
      "VISIT_COOKIE_LIFETIME_MS",
      "VISIT_COOKIE_NAME",
      "escapeHtml",
      "formatVisitTime",
      "html",
      "parseVisitTime",
      "visitCookieOptions",
    ]);
  });

  it("exports the types that describe that API", () => {
    // Fails to compile (pnpm typecheck) if a type is renamed or changes shape.
    const input: VisitCookieOptionsInput = { production: false };
    const options: VisitCookieOptions = cookieUtils.visitCookieOptions(input);
    const problem: VisitTimeProblem = "malformed";
    const result: VisitTimeResult = { ok: false, problem };
    const value: HtmlValue = ["a", 1, cookieUtils.html`<b></b>`];
    expect([options.path, result.ok, cookieUtils.html`${value}`.toString()]).toStrictEqual(["/", false, "a1<b></b>"]);
  });
});

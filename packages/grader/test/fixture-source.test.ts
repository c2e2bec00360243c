import { describe, expect, it } from "vitest";
import { applyEdits } from "./fixture-source.js";

describe("applyEdits(text, edits)", () => {
  it("replaces each found text, in order", () => {
    expect(applyEdits("httpOnly: true, secure: true", [["httpOnly: true", "httpOnly: false"]], "app.ts")).toBe(
      "httpOnly: false, secure: true",
    );
  });

  it("names a text the base no longer holds, or holds twice: a changed solution breaks its fixtures loudly", () => {
    expect(() => applyEdits("secure: true", [["httpOnly: true", ""]], "07-x: app.ts")).toThrow(
      '07-x: app.ts: not found: "httpOnly: true"',
    );
    expect(() => applyEdits("a; a;", [["a;", "b;"]], "07-x: app.ts")).toThrow("found more than once");
  });
});

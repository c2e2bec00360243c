import { describe, expect, it } from "vitest";
import { StarterError } from "../src/errors.js";
import { replaceRegions } from "../src/starters/regions.js";

const stubs = new Map([
  ["set-cookie", "// 🐨 set the cookie\n\n// 💰 res.cookie(…)"],
  ["empty", ""],
]);

describe("replaceRegions(source, file, stubs)", () => {
  it("replaces a region with its stub, indented like the marker, and keeps everything around it", () => {
    const source = [
      "app.get('/', (_req, res) => {",
      "  // #region solution: set-cookie",
      "  res.cookie('a', 'b');",
      "  // #endregion",
      "  res.send('hi');",
      "});",
    ].join("\n");
    expect(replaceRegions(source, "app.ts", stubs)).toEqual({
      text: [
        "app.get('/', (_req, res) => {",
        "  // 🐨 set the cookie",
        "",
        "  // 💰 res.cookie(…)",
        "  res.send('hi');",
        "});",
      ].join("\n"),
      replaced: ["set-cookie"],
    });
  });

  it("removes a region whose stub is empty", () => {
    const source = "a\n// #region solution: empty\nb\n// #endregion\nc";
    expect(replaceRegions(source, "x.ts", stubs).text).toBe("a\nc");
  });

  it("leaves a file without regions as it is, and other #endregion comments too", () => {
    const source = "// #region helpers\nconst a = 1;\n// #endregion\n";
    expect(replaceRegions(source, "x.ts", stubs)).toEqual({ text: source, replaced: [] });
  });

  it.each([
    [
      "a region with no stub",
      "// #region solution: unknown\nx\n// #endregion",
      'x.ts:1: region "unknown" has no section "## unknown"',
    ],
    [
      "an unclosed region",
      "a\n// #region solution: set-cookie\nx",
      'x.ts:2: region "set-cookie" has no "// #endregion"',
    ],
    [
      "a region inside another",
      "// #region solution: set-cookie\n// #region solution: empty\n// #endregion\n// #endregion",
      'x.ts:2: region "empty" starts inside region "set-cookie"',
    ],
    [
      "a region used twice",
      "// #region solution: empty\n// #endregion\n// #region solution: empty\n// #endregion",
      'x.ts:3: region "empty" appears twice',
    ],
    ["a misspelt marker", "// #region solution:set-cookie\n// #endregion", "x.ts:1: malformed marker"],
  ])("refuses %s, naming the file and line", (_label, source, message) => {
    expect(() => replaceRegions(source, "x.ts", stubs)).toThrow(StarterError);
    expect(() => replaceRegions(source, "x.ts", stubs)).toThrow(message);
  });
});

import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { gradeReport } from "../src/formats/grade-report.js";
import { toJunit } from "../src/formats/junit.js";
import { toMarkdown } from "../src/formats/markdown.js";
import { exerciseResult, firstFailure } from "../src/results.js";
import { exerciseDetail, scoreboard } from "../src/scoreboard.js";

const failed = exerciseResult(
  "02-read-last-visit",
  [
    { id: "app-loads", name: "src/app.ts loads", exercise: "02-read-last-visit", status: "passed", points: 1, maxPoints: 1 },
    { id: "02.no-xss", name: 'Never reflects <script> & "quotes" | pipes', exercise: "02-read-last-visit", status: "failed", points: 0, maxPoints: 3, message: "Reflected <b>\u0007bold</b>\nHint: escape" },
    { id: "02.after-visit", name: "After a visit", exercise: "02-read-last-visit", status: "skipped", points: 0, maxPoints: 1, message: "Skipped until this passes: X" },
  ],
  120,
);
const passed = exerciseResult("01-set-datetime-cookie", [{ id: "app-loads", name: "loads", exercise: "01-set-datetime-cookie", status: "passed", points: 1, maxPoints: 1 }], 80);
const stopped = exerciseResult("03-logout", [], 15_000, "Grading stopped after 15 s");
const report = gradeReport("/tmp/alice", [passed, failed, stopped], new Date("2026-11-25T10:00:00Z"), 1234);

describe("exerciseResult(id, checks, duration, error)", () => {
  it("adds up points, and passes only when every check passed and nothing went wrong", () => {
    expect(failed).toMatchObject({ status: "failed", score: 1, maxScore: 5 });
    expect(passed).toMatchObject({ status: "passed", score: 1, maxScore: 1 });
    expect(stopped).toMatchObject({ status: "failed", score: 0, maxScore: 0, error: "Grading stopped after 15 s" });
    expect(exerciseResult("x", [], 0).status).toBe("failed");
  });

  it("names the first failed check as the thing to fix first", () => {
    expect(firstFailure(failed)?.id).toBe("02.no-xss");
  });
});

describe("gradeReport(submission, exercises, startedAt, duration)", () => {
  it("totals the exercises and carries the grader's name and version", () => {
    expect(report.totals).toEqual({ exercises: 3, passed: 1, failed: 2, score: 2, maxScore: 6 });
    expect(report.grader).toEqual({ name: "@cookie-course/grader", version: expect.stringMatching(/^\d+\.\d+\.\d+/) as unknown });
    expect(report.startedAt).toBe("2026-11-25T10:00:00.000Z");
  });
});

describe("toJunit(report)", () => {
  const xml = toJunit(report);

  it("has a suite per exercise and a test case per check, with failures and skips counted", () => {
    expect(xml).toContain('<testsuites name="cookie-course" tests="4" failures="1" skipped="1" time="1.234">');
    expect(xml).toContain('<testsuite name="02-read-last-visit" tests="3" failures="1" skipped="1" time="0.120">');
  });

  it("escapes markup and quotes, and drops characters XML cannot hold", () => {
    expect(xml).toContain('name="Never reflects &lt;script&gt; &amp; &quot;quotes&quot; | pipes"');
    expect(xml).toContain("Reflected &lt;b&gt;bold&lt;/b&gt;\nHint: escape</failure>");
    expect(xml).not.toContain("\u0007");
  });

  it("reports an exercise whose grading could not finish as a failure", () => {
    expect(xml).toContain('<testcase classname="03-logout" name="grading finishes">');
    expect(xml).toContain('<failure message="Grading stopped after 15 s">');
  });
});

describe("toMarkdown(report)", () => {
  const markdown = toMarkdown(report);

  it("starts with the totals and a table of exercises", () => {
    expect(markdown.split("\n").slice(0, 5)).toEqual([
      "## Cookie course: 1/3 exercises passed (2/6 points)",
      "",
      "| Exercise | Score | Result |",
      "| --- | ---: | --- |",
      "| 01-set-datetime-cookie | 1/1 | ✅ passed |",
    ]);
  });

  it("lists failed and skipped checks with pipes escaped, and folds the failure's message", () => {
    expect(markdown).toContain('- ❌ Never reflects <script> & "quotes" \\| pipes (0/3)');
    expect(markdown).toContain("- ⏭️ After a visit (0/1)");
    expect(markdown).toContain("  <details><summary>What happened</summary>");
    expect(markdown).toContain("- ❌ Grading stopped after 15 s");
  });
});

describe("scoreboard(results) and exerciseDetail(result)", () => {
  it("shows each exercise's score and the first thing to fix, in full", () => {
    const text = stripVTControlCharacters(scoreboard([passed, failed], { rerun: "pnpm test" }));
    expect(text).toContain("01-set-datetime-cookie  ██████████    1/1  ✓ done");
    expect(text).toContain("02-read-last-visit      ██░░░░░░░░    1/5  ▶ current  Never reflects");
    expect(text).toContain("1/2 exercises passed");
    expect(text).toContain("Next: 02-read-last-visit");
    expect(text).toContain("  ✗ Never reflects");
    expect(text).toContain("    Reflected <b>");
    expect(text).toContain("Re-grade it with: pnpm test 02");
  });

  it("congratulates when everything passes", () => {
    expect(scoreboard([passed], { rerun: "pnpm test" })).toContain("All done");
  });

  it("marks passed, failed and skipped checks of one exercise", () => {
    const text = stripVTControlCharacters(exerciseDetail(failed));
    expect(text).toContain("✓ src/app.ts loads (1/1)");
    expect(text).toContain("↓ After a visit (0/1)");
    expect(text).toContain("✗ Never reflects");
  });
});

import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { gradeReport } from "../src/formats/grade-report.js";
import { toJunit } from "../src/formats/junit.js";
import { SUMMARY_LIMIT_BYTES, toMarkdown } from "../src/formats/markdown.js";
import { exerciseResult, firstFailure, type CheckResult, type ExerciseResult } from "../src/results.js";
import { exerciseDetail, scoreboard } from "../src/scoreboard.js";

const failed = exerciseResult(
  "02-read-last-visit",
  [
    {
      id: "app-loads",
      name: "src/app.ts loads",
      exercise: "02-read-last-visit",
      status: "passed",
      points: 1,
      maxPoints: 1,
    },
    {
      id: "02.no-xss",
      name: 'Never reflects <script> & "quotes" | pipes',
      exercise: "02-read-last-visit",
      status: "failed",
      points: 0,
      maxPoints: 3,
      message: "Reflected <b>\u0007bold</b>\nHint: escape",
    },
    {
      id: "02.after-visit",
      name: "After a visit",
      exercise: "02-read-last-visit",
      status: "skipped",
      points: 0,
      maxPoints: 1,
      message: "Skipped until this passes: X",
    },
  ],
  120,
);
const passed = exerciseResult(
  "01-set-datetime-cookie",
  [{ id: "app-loads", name: "loads", exercise: "01-set-datetime-cookie", status: "passed", points: 1, maxPoints: 1 }],
  80,
);
const stopped = exerciseResult("03-logout", [], 15_000, { error: "Grading stopped after 15 s" });
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
    expect(report.grader).toEqual({
      name: "@cookie-course/grader",
      version: expect.stringMatching(/^\d+\.\d+\.\d+/) as unknown,
    });
    expect(report.startedAt).toBe("2026-11-25T10:00:00.000Z");
  });
});

describe("toJunit(report)", () => {
  const xml = toJunit(report);

  it("has a suite per exercise and a test case per check, and a root whose counts are its suites' sums", () => {
    expect(xml).toContain('<testsuites name="cookie-course" tests="5" failures="1" errors="1" time="1.234">');
    expect(xml).toContain(
      '<testsuite name="01-set-datetime-cookie" tests="1" failures="0" errors="0" skipped="0" time="0.080">',
    );
    expect(xml).toContain(
      '<testsuite name="02-read-last-visit" tests="3" failures="1" errors="0" skipped="1" time="0.120">',
    );
    expect(xml).toContain('<testsuite name="03-logout" tests="1" failures="0" errors="1" skipped="0" time="15.000">');
  });

  it("escapes markup and quotes, and shows control characters (which XML cannot hold) as escapes", () => {
    expect(xml).toContain('name="Never reflects &lt;script&gt; &amp; &quot;quotes&quot; | pipes"');
    expect(xml).toContain("Reflected &lt;b&gt;\\u0007bold&lt;/b&gt;\nHint: escape</failure>");
    expect(xml).not.toContain("\u0007");
  });

  it("reports an exercise whose grading could not finish as a test case that errored", () => {
    expect(xml).toContain('<testcase classname="03-logout" name="grading finishes" time="0">');
    expect(xml).toContain('<error message="Grading stopped after 15 s">Grading stopped after 15 s</error>');
  });

  it("times each test case by its check's duration, 0 when the result has none, and keeps what the app printed", () => {
    const timed = exerciseResult(
      "01-set-datetime-cookie",
      [
        {
          id: "app-loads",
          name: "loads",
          exercise: "01-set-datetime-cookie",
          status: "passed",
          points: 1,
          maxPoints: 1,
          durationMs: 42,
        } as CheckResult,
        {
          id: "01.a",
          name: "a",
          exercise: "01-set-datetime-cookie",
          status: "failed",
          points: 0,
          maxPoints: 1,
          message: "why\tnot",
          output: "<printed>",
        },
      ],
      50,
    );
    const text = toJunit(gradeReport("/tmp/bob", [timed], new Date(0), 50));
    expect(text).toContain('<testcase classname="01-set-datetime-cookie" name="loads" time="0.042" />');
    expect(text).toContain('<testcase classname="01-set-datetime-cookie" name="a" time="0.000">');
    expect(text).toContain('<failure message="why&#9;not">why\tnot</failure>');
    expect(text).toContain("<system-out>&lt;printed&gt;</system-out>");
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

  it("lists failed and skipped checks with markup and pipes escaped, and folds the failure's message in a code block", () => {
    expect(markdown).toContain('- ❌ Never reflects &lt;script&gt; &amp; "quotes" \\| pipes (0/3)');
    expect(markdown).toContain("- ⏭️ After a visit (0/1)");
    expect(markdown).toContain(
      "  <details><summary>What happened</summary>\n\n  ```text\n  Reflected <b>\\u0007bold</b>\n  Hint: escape\n  ```\n  </details>",
    );
  });

  it("folds the cause of grading that did not finish like a message", () => {
    expect(markdown).toContain(
      "- ❌ Grading did not finish\n  <details><summary>What happened</summary>\n\n  ```text\n  Grading stopped after 15 s\n  ```",
    );
  });

  it("gives an exercise's reason in the table when the result has one", () => {
    const withReason = { ...failed, reason: "02.no-xss" } as ExerciseResult;
    expect(toMarkdown(gradeReport("/tmp/bob", [withReason], new Date(0), 5))).toContain(
      "| 02-read-last-visit | 1/5 | ❌ failed: 02.no-xss |",
    );
  });

  it("fences a message with more backticks than any run in it", () => {
    const fenced = exerciseResult(
      "04-x",
      [
        {
          id: "04.a",
          name: "a",
          exercise: "04-x",
          status: "failed",
          points: 0,
          maxPoints: 1,
          message: "````\n</details>",
        },
      ],
      5,
    );
    expect(toMarkdown(gradeReport("/tmp/bob", [fenced], new Date(0), 5))).toContain(
      "  `````text\n  ````\n  </details>\n  `````\n  </details>",
    );
  });

  it("leaves out what would take it past 1 MiB, and says how much", () => {
    const checks = Array.from({ length: 80 }, (_, index) => ({
      id: `04.c${index}`,
      name: `c${index}`,
      exercise: "04-x",
      status: "failed" as const,
      points: 0,
      maxPoints: 1,
      message: "🍪".repeat(10_000),
    }));
    const text = toMarkdown(gradeReport("/tmp/bob", [exerciseResult("04-x", checks, 5)], new Date(0), 5));
    expect(Buffer.byteLength(text, "utf8")).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    expect(text).toMatch(
      /\n\d+ more failures left out to keep this summary under GitHub's 1 MiB: the JSON report has them all\.\n/,
    );
    expect(text).toContain("- ❌ c0 (0/1)");
    expect(text).not.toContain("- ❌ c79 (0/1)");
    expect(text.trimEnd().endsWith("</sub>")).toBe(true);
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

  it("folds an earlier exercise's checks (its gate) into one line while they hold, and names a regression", () => {
    const gate = (id: string, status: "passed" | "failed") =>
      ({
        id,
        name: `gate ${id}`,
        exercise: "01-set-datetime-cookie",
        status,
        points: 0,
        maxPoints: 0,
        gate: true,
        ...(status === "failed" ? { message: "It broke." } : {}),
      }) as const;
    const own = {
      id: "02.a",
      name: "own check",
      exercise: "02-read-last-visit",
      status: "passed",
      points: 2,
      maxPoints: 2,
    } as const;
    const holding = stripVTControlCharacters(
      exerciseDetail(exerciseResult("02-read-last-visit", [gate("01.a", "passed"), gate("01.b", "passed"), own], 10)),
    );
    expect(holding).toContain("✓ 01 still holds (its 2 checks, run again; no points here)");
    expect(holding).not.toContain("gate 01.a");
    expect(holding).toContain("✓ own check (2/2)");

    const broken = stripVTControlCharacters(
      exerciseDetail(exerciseResult("02-read-last-visit", [gate("01.a", "passed"), gate("01.b", "failed"), own], 10)),
    );
    expect(broken).toContain("✗ 01 no longer holds");
    expect(broken).toContain("    ✗ gate 01.b");
    expect(broken).toContain("Exercise 01 asked for this, and this exercise's app no longer does it");
    expect(exerciseResult("02-read-last-visit", [gate("01.a", "passed"), gate("01.b", "failed"), own], 10).reason).toBe(
      "01 no longer holds: 01.b",
    );

    // Failed only in the terms this exercise changed (a cookie now signed): this exercise's work, not a regression.
    const changed = { ...gate("01.b", "failed"), changedTerms: "from 02 on, the cookie travels signed." };
    const notYet = exerciseResult("02-read-last-visit", [gate("01.a", "passed"), changed, own], 10);
    const notYetText = stripVTControlCharacters(exerciseDetail(notYet));
    expect(notYetText).toContain("✗ 01 does not hold yet");
    expect(notYetText).toContain(
      "Exercise 01 asked for this, and it runs again here as a later exercise changed it: from 02 on, the cookie travels signed.",
    );
    expect(notYetText).not.toContain("a change here broke it");
    expect(notYet.reason).toBe("01 does not hold yet: 01.b");
    expect(toMarkdown(gradeReport("/tmp/carol", [notYet], new Date(0), 5))).toContain(
      "- ❌ gate 01.b (0/0)\n  It runs again here as a later exercise changed it: from 02 on, the cookie travels signed.\n  <details>",
    );

    // The checks that wait on a failed one are counted, not listed.
    const skipped = {
      ...gate("01.c", "passed"),
      status: "skipped",
      message: "Skipped until this passes: gate 01.b",
    } as const;
    const counted = stripVTControlCharacters(
      exerciseDetail(exerciseResult("02-read-last-visit", [gate("01.b", "failed"), skipped, own], 10)),
    );
    expect(counted).toContain("    ✗ gate 01.b\n    ↓ 1 more, not run until it passes");
    expect(counted).not.toContain("gate 01.c");
  });

  it("says in two lines that nothing else ran when the app does not load, then why", () => {
    const loads = {
      id: "app-loads",
      name: "src/app.ts loads",
      exercise: "02-read-last-visit",
      status: "failed",
      points: 0,
      maxPoints: 0,
      gate: true,
      message: "syntax error at src/app.ts:3",
    } as const;
    const wait = (id: string, exercise: string) =>
      ({
        id,
        name: `check ${id}`,
        exercise,
        status: "skipped",
        points: 0,
        maxPoints: 1,
        message: "Skipped until this passes: src/app.ts loads",
      }) as const;
    const text = stripVTControlCharacters(
      exerciseDetail(
        exerciseResult(
          "02-read-last-visit",
          [
            loads,
            { ...wait("01.a", "01-set-datetime-cookie"), gate: true, maxPoints: 0 },
            wait("02.a", "02-read-last-visit"),
          ],
          10,
        ),
      ),
    );
    expect(text).toContain("  ✗ src/app.ts loads\n  ↓ the other 2 checks wait for the app to load\n");
    expect(text).not.toContain("check 01.a");
    expect(text).not.toContain("check 02.a");
    expect(text).toContain("syntax error at src/app.ts:3");
  });
});

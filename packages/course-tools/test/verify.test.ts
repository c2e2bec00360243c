import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExerciseResult } from "@cookie-course/grader/report";
import { gradeVerdicts, progressLine } from "../src/verify.js";

type Check = ExerciseResult["checks"][number];

const check = (id: string, exercise: string, points: number, extra: Partial<Check> = {}): Check => ({
  id,
  name: `check ${id}`,
  exercise,
  status: points > 0 || extra.gate ? "passed" : "failed",
  points,
  maxPoints: 2,
  ...extra,
});

const result = (status: "passed" | "failed", checks: Check[]): ExerciseResult => ({
  id: "02-x",
  status,
  score: checks.reduce((sum, one) => sum + one.points, 0),
  maxScore: checks.reduce((sum, one) => sum + one.maxPoints, 0),
  durationMs: 10,
  checks,
});

const gate = (id: string, exercise: string) => check(id, exercise, 0, { gate: true, maxPoints: 0 });

describe("gradeVerdicts(task, grade, isSolution)", () => {
  it("holds a solution that passes with every point, its gates worth nothing", () => {
    const grade = result("passed", [gate("app-loads", "02-x"), gate("01.a", "01-x"), check("02.a", "02-x", 2)]);
    expect(gradeVerdicts("s#grade", grade, true).map(([, passed]) => passed)).toEqual([true, true]);
  });

  it("names an earlier exercise's check that pays again in a later exercise", () => {
    const grade = result("passed", [check("01.a", "01-x", 2), check("02.a", "02-x", 2)]);
    expect(gradeVerdicts("s#grade", grade, true)[1]).toEqual([
      "s#grade: gates must be worth 0 points, and 01.a are not",
      false,
    ]);
  });

  it("names the checks an untouched starter earns points for: they must require the feature's own check", () => {
    const grade = result("failed", [check("02.a", "02-x", 0), check("02.safe-page", "02-x", 2)]);
    expect(gradeVerdicts("e#grade", grade, false)).toEqual([
      ["e#grade: the untouched starter must earn 0 points, and earns them for 02.safe-page", false],
    ]);
  });

  it("fails a starter that passes, or an app that was not graded", () => {
    expect(gradeVerdicts("e#grade", result("passed", [check("02.a", "02-x", 2)]), false)[0]![1]).toBe(false);
    expect(gradeVerdicts("s#grade", undefined, true)[0]).toEqual([
      "s#grade: the solution scores nothing, and must pass",
      false,
    ]);
  });
});

describe("progressLine(elapsed, root)", () => {
  it("counts the reports the finished tasks left, of the packages that have the task", () => {
    const root = mkdtempSync(join(tmpdir(), "verify-progress-"));
    try {
      const app = (path: string, scripts: Record<string, string>, reports: string[]) => {
        mkdirSync(join(root, path, "reports"), { recursive: true });
        writeFileSync(join(root, path, "package.json"), JSON.stringify({ scripts }));
        for (const report of reports) writeFileSync(join(root, path, "reports", report), "{}");
      };
      app("solutions/01-a", { test: "vitest", grade: "grade" }, ["vitest.json", "grade.json"]);
      app("exercises/01-a", { grade: "grade" }, []);
      app("packages/x", { test: "vitest" }, []);
      expect(progressLine(125_000, root)).toBe("… 2m05s: 1 of 2 test suites and 1 of 2 grades done");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

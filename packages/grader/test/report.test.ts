import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gradeReport, toJson } from "../src/formats/grade-report.js";
import { GradeReportError, readExerciseReport, readGradeReport, type GradeReportProblem } from "../src/report.js";
import { exerciseResult } from "../src/results.js";

const environment = {
  node: "v20.20.2",
  platform: "linux",
  arch: "x64",
  pnpm: "12.4.2",
  lockfileSha256: null,
  grader: { name: "@cookie-course/grader", version: "0.1.0" },
};
const check = {
  id: "01.sets-cookie",
  name: "GET / sets a cookie",
  exercise: "01-set-datetime-cookie",
  status: "failed",
  points: 0,
  maxPoints: 3,
  hints: ["a nudge"],
} as const;
const exercise = exerciseResult("01-set-datetime-cookie", [check], 12);
const report = gradeReport("/class/ada", [exercise], new Date("2026-01-05T10:00:00Z"), 12, environment);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "grader-report-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

/** The error a read throws: its kind and its message. */
function refusal(read: () => unknown): { problem: GradeReportProblem; message: string } {
  try {
    read();
  } catch (error) {
    if (error instanceof GradeReportError) return { problem: error.problem, message: error.message };
    throw error;
  }
  throw new Error("the file was read as a report");
}

describe("readGradeReport(file)", () => {
  it("reads back the report the grader writes", () => {
    expect(readGradeReport(file("ada.json", toJson(report)))).toEqual(JSON.parse(toJson(report)));
  });

  it("names a missing file", () => {
    const missing = join(dir, "nobody.json");
    expect(refusal(() => readGradeReport(missing))).toEqual({
      problem: "unreadable",
      message: `${missing} cannot be read: there is no such file.`,
    });
  });

  it("names a file cut short", () => {
    const cut = file("cut.json", toJson(report).slice(0, 50));
    expect(refusal(() => readGradeReport(cut))).toEqual({
      problem: "not-json",
      message: `${cut} is not a grade report: it is not JSON (cut short, or edited?).`,
    });
  });

  it("names another schema", () => {
    const other = file("other.json", JSON.stringify({ ...report, schema: "cookie-course/grade-report@2" }));
    expect(refusal(() => readGradeReport(other)).message).toBe(
      `${other} is not a grade report (cookie-course/grade-report@1): its schema is "cookie-course/grade-report@2".`,
    );
  });

  it("names the first field that is not what the report's type says, down to a check", () => {
    const edited = JSON.parse(toJson(report)) as { exercises: { checks: { points: unknown }[] }[] };
    edited.exercises[0]!.checks[0]!.points = "3";
    const path = file("edited.json", JSON.stringify(edited));
    expect(refusal(() => readGradeReport(path))).toEqual({
      problem: "wrong-shape",
      message: `${path} is not a grade report (cookie-course/grade-report@1): exercises[0].checks[0].points is "3", where a number belongs.`,
    });
  });

  it("adds what to do, when the command reading it knows", () => {
    const cut = file("cut-again.json", "{");
    const error = (() => {
      try {
        readGradeReport(cut);
      } catch (caught) {
        return caught as GradeReportError;
      }
    })();
    expect(error?.withAdvice("Grade that shard again.").message).toBe(
      `${cut} is not a grade report: it is not JSON (cut short, or edited?). Grade that shard again.`,
    );
  });
});

describe("readExerciseReport(file)", () => {
  it("reads back an app's reports/grade.json", () => {
    const path = file("grade.json", `${JSON.stringify(exercise, null, 2)}\n`);
    expect(readExerciseReport(path)).toEqual(JSON.parse(readFileSync(path, "utf8")));
  });

  it("refuses a whole submission's report in its place", () => {
    const path = file("submission.json", toJson(report));
    expect(refusal(() => readExerciseReport(path)).message).toBe(`${path} is not an exercise's grade: id is missing.`);
  });

  it("refuses a status the grader never writes", () => {
    const path = file("status.json", JSON.stringify({ ...exercise, status: "ok" }));
    expect(refusal(() => readExerciseReport(path)).message).toBe(
      `${path} is not an exercise's grade: status is "ok", where "passed" or "failed" belongs.`,
    );
  });

  it("refuses hints that are not text", () => {
    const path = file("hints.json", JSON.stringify({ ...exercise, checks: [{ ...check, hints: [1] }] }));
    expect(refusal(() => readExerciseReport(path)).message).toBe(
      `${path} is not an exercise's grade: checks[0].hints is a list, where a list of strings belongs.`,
    );
  });
});

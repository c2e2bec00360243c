import { describe, expect, it } from "vitest";
import { githubAnnotations } from "../src/formats/annotations.js";
import { gradeReport } from "../src/formats/grade-report.js";
import { exerciseResult } from "../src/results.js";

const environment = { node: "v20.20.2", platform: "linux", arch: "x64", pnpm: "12.4.2", lockfileSha256: null, grader: { name: "@cookie-course/grader", version: "0.1.0" } };
const check = (id: string, status: "passed" | "failed", message?: string) => ({
  id,
  name: `check ${id}, with: punctuation`,
  exercise: "01-set-datetime-cookie",
  status,
  points: status === "passed" ? 2 : 0,
  maxPoints: 2,
  ...(message ? { message } : {}),
});
const reportFor = (student: string, statuses: ("passed" | "failed")[]) =>
  gradeReport(
    `/class/${student}`,
    statuses.map((status, index) => exerciseResult(`0${index + 1}-x`, [check(`0${index + 1}.a`, status, "Line one\nLine two: 100%")], 10)),
    new Date(0),
    10,
    environment,
  );

describe("githubAnnotations(report)", () => {
  it("writes one ::error per failed check, with GitHub's escaping of %, newlines, colons and commas", () => {
    const text = githubAnnotations(reportFor("al", ["passed", "failed"]));
    expect(text).toBe(
      "::error file=exercises/02-x/src/app.ts,title=02-x%3A check 02.a%2C with%3A punctuation::Line one%0ALine two: 100%25\n",
    );
  });

  it("writes nothing when everything passed", () => {
    expect(githubAnnotations(reportFor("al", ["passed"]))).toBe("");
  });
});

import { describe, expect, it } from "vitest";
import { githubAnnotations } from "../src/formats/annotations.js";
import { gradeReport } from "../src/formats/grade-report.js";
import { exerciseResult } from "../src/results.js";

const environment = {
  node: "v20.20.2",
  platform: "linux",
  arch: "x64",
  pnpm: "12.4.2",
  lockfileSha256: null,
  grader: { name: "@cookie-course/grader", version: "0.1.0" },
};
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
    statuses.map((status, index) =>
      exerciseResult(`0${index + 1}-x`, [check(`0${index + 1}.a`, status, "Line one\nLine two: 100%")], 10),
    ),
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

  // The runner keeps ten ::error annotations a step and drops the rest.
  it("sends the ten most useful: each exercise's first failure, then the others in order, and a notice of the rest", () => {
    const failing = (exercise: string, count: number) =>
      exerciseResult(
        exercise,
        Array.from({ length: count }, (_, index) => ({
          ...check(`${exercise.slice(0, 2)}.c${index}`, "failed", "why"),
          exercise,
        })),
        10,
      );
    const report = gradeReport(
      "/class/al",
      [failing("01-x", 8), failing("02-x", 8), failing("03-x", 8)],
      new Date(0),
      10,
      environment,
    );
    const lines = githubAnnotations(report).trimEnd().split("\n");
    const titles = lines
      .filter((line) => line.startsWith("::error "))
      .map((line) => /title=(.*?)%3A check (\S+?)%2C/.exec(line)?.[2]);
    expect(titles).toEqual(["01.c0", "02.c0", "03.c0", "01.c1", "01.c2", "01.c3", "01.c4", "01.c5", "01.c6", "01.c7"]);
    expect(lines.at(-1)).toBe(
      "::notice title=More failed checks::14 more failed checks not annotated (GitHub keeps ten a step): see the job summary.",
    );
  });

  it("cuts a message to the runner's 4096 characters between characters, and shows control characters", () => {
    const report = gradeReport(
      "/class/al",
      [exerciseResult("01-x", [check("01.a", "failed", `\u001b[31m${"🍪".repeat(5_000)}`)], 10)],
      new Date(0),
      10,
      environment,
    );
    const message = githubAnnotations(report).trimEnd().split("::").at(-1)!.replace(/%0A/g, "\n").replace(/%25/g, "%");
    expect(message.length).toBeLessThanOrEqual(4096);
    expect(message.isWellFormed()).toBe(true);
    expect(message.startsWith("\\u001b[31m🍪")).toBe(true);
    expect(message.endsWith("\n… (cut: the job summary and the JSON report have all of it)")).toBe(true);
  });
});

import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gradeReport, studentOf, type GradeReport } from "../src/formats/grade-report.js";
import { toGradebookCsv, toGradebookMarkdown } from "../src/formats/gradebook.js";
import { exerciseResult, type CheckResult } from "../src/results.js";
import { FIRST, SLUGS } from "./course.js";
import { fixtureSrc } from "./fixture-source.js";

const bin = fileURLToPath(new URL("../bin/cookie-grader.js", import.meta.url));
const workspace = fileURLToPath(new URL("../../../", import.meta.url));

const solution = (slug: string) => join(workspace, "solutions", slug, "src");
const starter = (slug: string) => join(workspace, "exercises", slug, "src");

/**
 * A class as a teacher meets it, graded through the CLI on the first exercise (the rest are missing: verify grades
 * the whole course once, and the formats below are proven on hand-built results): a reason for every exercise that
 * did not pass, 0% for an untouched starter, and the full maximum for a student whose app loops.
 */
describe("the gradebook of a class", () => {
  let root: string;
  let out: string;
  let run: { code: number | null; stdout: string; stderr: string };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "grader-gradebook-"));
    const klass = join(root, "class");
    const student = (name: string, src?: string) => {
      mkdirSync(join(klass, name, "exercises"), { recursive: true });
      if (src !== undefined) cpSync(src, join(klass, name, "exercises", FIRST, "src"), { recursive: true });
    };
    student("finished", solution(FIRST));
    student("looping", fixtureSrc("01-infinite-loop"));
    student("starters", starter(FIRST));
    student("typo", fixtureSrc("01-syntax-error"));
    student("empty");
    writeFileSync(join(klass, "README.txt"), "not a student");
    out = join(root, "out");
    const result = spawnSync(process.execPath, [bin, "grade", "--submissions", klass, "--out", out], {
      encoding: "utf8",
      timeout: 240_000,
      env: { ...process.env, FORCE_COLOR: "0" },
    });
    run = { code: result.status, stdout: result.stdout, stderr: result.stderr };
  }, 270_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const report = (name: string) => JSON.parse(readFileSync(join(out, `${name}.json`), "utf8")) as GradeReport;
  const percent = (name: string) => (report(name).totals.score / report(name).totals.maxScore) * 100;

  it("reads 0% for an untouched starter or nothing at all, and keeps every student's full maximum", () => {
    expect(run.code, run.stderr).toBe(0);
    expect(percent("starters")).toBe(0);
    expect(percent("empty")).toBe(0);
    expect(percent("finished")).toBeGreaterThan(0);
    const max = report("finished").totals.maxScore;
    for (const name of ["looping", "starters", "typo", "empty"]) expect(report(name).totals.maxScore, name).toBe(max);
    expect(report("looping").exercises[0]).toMatchObject({ status: "failed", score: 0, reason: "timed out" });
  });

  it("gives a reason for every exercise that did not pass, and none for one that did", () => {
    const csv = readFileSync(join(out, "gradebook.csv"), "utf8")
      .trim()
      .split("\n")
      .map((line) => line.split(","));
    const header = csv[0]!;
    const cell = (student: string, column: string) => csv.find((row) => row[0] === student)![header.indexOf(column)];
    expect(cell("typo", `${FIRST} reason`)).toMatch(/^syntax error at src\/app\.ts:\d+$/);
    expect(cell("typo", `${SLUGS[1]} reason`)).toBe("missing");
    expect(cell("empty", `${SLUGS.at(-1)} reason`)).toBe("missing");
    expect(cell("looping", `${FIRST} reason`)).toBe("timed out");
    expect(cell("starters", `${FIRST} reason`)).toBe("01.sets-cookie");
    expect(cell("finished", `${FIRST} status`)).toBe("passed");
    expect(cell("finished", `${FIRST} reason`)).toBe("");
    expect(cell("starters", "percent")).toBe("0.0%");
    expect(readFileSync(join(out, "gradebook.md"), "utf8")).toMatch(/Class average: \d+\.\d%/);
  });
});

describe("toGradebookCsv and toGradebookMarkdown", () => {
  const environment = {
    node: "v20.20.2",
    platform: "linux",
    arch: "x64",
    pnpm: "12.4.2",
    lockfileSha256: null,
    grader: { name: "@cookie-course/grader", version: "0.1.0" },
  };
  const check = (id: string, status: "passed" | "failed", extra: Partial<CheckResult> = {}): CheckResult => ({
    id,
    name: `check ${id}`,
    exercise: `${id.slice(0, 2)}-x`,
    status,
    points: status === "passed" ? 2 : 0,
    maxPoints: 2,
    ...extra,
  });
  const reportFor = (student: string, statuses: ("passed" | "failed")[]) =>
    gradeReport(
      `/class/${student}`,
      statuses.map((status, index) =>
        exerciseResult(
          `0${index + 1}-x`,
          [
            check(`0${index + 1}.a`, status),
            check(`0${index + 1}.b`, "passed", { visibility: "hidden", points: 1, maxPoints: 1 }),
          ],
          10,
        ),
      ),
      new Date(0),
      10,
      environment,
    );

  it("has a row per student, sorted: points, status and reason per exercise, then visible, hidden, total and percent", () => {
    const csv = toGradebookCsv([reportFor("zoe", ["passed", "failed"]), reportFor("al", ["passed", "passed"])]);
    expect(csv).toBe(
      [
        "student,01-x points (of 3),01-x status,01-x reason,02-x points (of 3),02-x status,02-x reason,visible points,visible max,hidden points,hidden max,total,max,percent,passed (of 2)",
        "al,3,passed,,3,passed,,4,4,2,2,6,6,100.0%,2",
        "zoe,3,passed,,1,failed,02.a,2,4,2,2,4,6,66.7%,1",
        "",
      ].join("\n"),
    );
  });

  it("names, under the Markdown table, the check a gate's failure gives as its reason", () => {
    const gated = exerciseResult(
      "02-x",
      [
        check("01.a", "failed", { exercise: "01-x", gate: true, maxPoints: 0, visibility: "hidden" }),
        check("02.a", "passed"),
      ],
      10,
    );
    const report = gradeReport("/class/al", [gated], new Date(0), 10, environment);
    expect(toGradebookMarkdown([report])).toContain("- `01.a` (hidden): check 01.a\n");
    expect(toGradebookMarkdown([report])).not.toContain("`02.a`");
  });

  it("counts a gate's failure as the exercise's reason, and never its points", () => {
    const gated = exerciseResult(
      "02-x",
      [check("01.a", "failed", { exercise: "01-x", gate: true, maxPoints: 0 }), check("02.a", "passed")],
      10,
    );
    expect(gated).toMatchObject({ status: "failed", score: 2, maxScore: 2, reason: "01 no longer holds: 01.a" });
  });

  it("names a student by their folder's whole name: on Linux x\\alice is not alice, whose row it would pass for", () => {
    const rows = toGradebookCsv([reportFor("alice", ["passed"]), reportFor("x\\alice", ["failed"])])
      .split("\n")
      .slice(1, 3);
    expect(rows.map((row) => row.split(",")[0])).toEqual(["alice", "x\\alice"]);
    // A report written on Windows (merged on Linux) still names its student by the last part of its path.
    expect(studentOf({ submission: "C:\\class\\bob" })).toBe("bob");
    expect(studentOf({ submission: "/class/x\\alice" })).toBe("x\\alice");
  });

  it("shows escape codes and bidirectional overrides in a folder's name as \\u001b, never as themselves", () => {
    const hiding = "mallory\u001b[1A\u001b[2K\u202Eecila";
    for (const table of [
      toGradebookCsv([reportFor(hiding, ["passed"])]),
      toGradebookMarkdown([reportFor(hiding, ["passed"])]),
    ]) {
      expect([...table].filter((char) => char === "\u001b" || char === "\u202E")).toEqual([]);
      // Markdown escapes the backslash once more: \\u001b, which a reader sees as \u001b.
      expect(table).toMatch(/mallory\\{1,2}u001b\[1A\\{1,2}u001b\[2K\\{1,2}u202eecila/);
    }
  });

  it("quotes commas and quotes, and defuses cells a spreadsheet would run as formulas", () => {
    const csv = toGradebookCsv([reportFor('=HYPERLINK("x")', ["passed"]), reportFor("doe, jane", ["passed"])]);
    expect(csv).toContain(`"'=HYPERLINK(""x"")",3,passed,`);
    expect(csv).toContain(`"doe, jane",3,passed,`);
  });

  it("is a Markdown table with a mark, the points and the reason per exercise, and the class average", () => {
    expect(toGradebookMarkdown([reportFor("al", ["passed", "failed"]), reportFor("b|o<b>\nx", ["failed"])])).toBe(
      [
        "## Gradebook: 2 submissions",
        "",
        "| student | 01-x | 02-x | visible | hidden | total | % |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: |",
        "| al | ✅ 3/3 | ❌ 1/3 · 02.a | 2/4 | 2/2 | 4/6 | 66.7% |",
        "| b\\|o&lt;b> x | ❌ 1/3 · 01.a | — missing | 0/2 | 1/1 | 1/3 | 33.3% |",
        "",
        "Class average: 50.0%",
        "",
        "*visible*: the checks learners run themselves (`pnpm test`); *hidden*: the checks only the course's grader has.",
        "",
        "The checks named as reasons:",
        "",
        "- `01.a` (visible): check 01.a",
        "- `02.a` (visible): check 02.a",
        "",
      ].join("\n"),
    );
  });
});

import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GradeReport } from "../src/formats/grade-report.js";
import { COUNT, FIRST, SLUGS } from "./course.js";

const bin = fileURLToPath(new URL("../bin/cookie-grader.js", import.meta.url));
const workspace = fileURLToPath(new URL("../../../", import.meta.url));

function grader(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    timeout: 240_000,
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** A learner's checkout holding, for each exercise, the src/ of `from` (solutions or exercises). */
function submissionFrom(from: "solutions" | "exercises", root: string): string {
  const dir = join(root, from);
  for (const slug of SLUGS)
    cpSync(join(workspace, from, slug, "src"), join(dir, "exercises", slug, "src"), { recursive: true });
  return dir;
}

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "grader-cli-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("cookie-grader grade --submission DIR", () => {
  it("passes the solutions, exits 0, and writes the JSON, JUnit and Markdown reports", () => {
    const submission = submissionFrom("solutions", root);
    const out = join(root, "out");
    const { code, out: stdout } = grader(
      "grade",
      "--submission",
      submission,
      "--json",
      join(out, "r.json"),
      "--junit",
      join(out, "r.xml"),
      "--markdown",
      join(out, "r.md"),
    );
    expect(code).toBe(0);
    expect(stdout).toContain(`${COUNT}/${COUNT} exercises passed`);

    const report = JSON.parse(readFileSync(join(out, "r.json"), "utf8")) as GradeReport;
    expect(report.schema).toBe("cookie-course/grade-report@1");
    expect(report.grader.name).toBe("@cookie-course/grader");
    expect(report.grader.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(report.exercises.map((exercise) => [exercise.id, exercise.status])).toEqual(
      SLUGS.map((slug) => [slug, "passed"]),
    );
    expect(report.totals).toMatchObject({ exercises: COUNT, passed: COUNT, failed: 0 });
    expect(report.totals.score).toBe(report.totals.maxScore);
    expect(report.exercises[0]!.checks[0]).toMatchObject({
      id: "app-loads",
      status: "passed",
      points: 0,
      maxPoints: 0,
      gate: true,
    });

    const junit = readFileSync(join(out, "r.xml"), "utf8");
    expect(junit).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="cookie-course" tests="\d+" failures="0"/,
    );
    expect(junit.match(/<testsuite /g)).toHaveLength(COUNT);
    expect(readFileSync(join(out, "r.md"), "utf8")).toContain(`| ${FIRST} | `);
  });

  it("fails the untouched starters with exit 1, and says what to fix first", () => {
    const submission = submissionFrom("exercises", root);
    const json = join(root, "starters.json");
    const { code, out } = grader(
      "grade",
      "--submission",
      submission,
      "--json",
      json,
      "--junit",
      join(root, "starters.xml"),
    );
    expect(code).toBe(1);
    expect(out).toContain(`0/${COUNT} exercises passed`);
    expect(out).toContain(`Next: ${FIRST}`);
    const report = JSON.parse(readFileSync(json, "utf8")) as GradeReport;
    expect(report.exercises.every((exercise) => exercise.status === "failed")).toBe(true);
    const junit = readFileSync(join(root, "starters.xml"), "utf8");
    expect(junit).toContain('<failure message="The response to GET / stores no last_visit cookie.">');
  });

  it("grades what is there and fails a missing exercise with its cause", () => {
    const submission = join(root, "partial");
    cpSync(join(workspace, "solutions", SLUGS[0]!, "src"), join(submission, "exercises", SLUGS[0]!, "src"), {
      recursive: true,
    });
    const json = join(root, "partial.json");
    expect(grader("grade", "--submission", submission, "--json", json).code).toBe(1);
    const report = JSON.parse(readFileSync(json, "utf8")) as GradeReport;
    expect(report.exercises[0]!.status).toBe("passed");
    expect(report.exercises[1]!.error).toBe("exercises/02-read-last-visit is missing: nothing to grade.");
  });

  it("ignores everything a submission carries besides exercises/*/src", () => {
    const submission = submissionFrom("exercises", join(root, "tampered"));
    mkdirSync(join(submission, "packages", "grader", "specs"), { recursive: true });
    writeFileSync(
      join(submission, "packages", "grader", "specs", "01-set-datetime-cookie.spec.ts"),
      "it('passes', () => {});\n",
    );
    writeFileSync(
      join(submission, "exercises", SLUGS[0]!, "package.json"),
      JSON.stringify({ scripts: { grade: "echo passed" } }),
    );
    writeFileSync(join(submission, "exercises", SLUGS[0]!, "vitest.config.ts"), "export default {};\n");
    const json = join(root, "tampered.json");
    expect(grader("grade", "--submission", submission, "--json", json).code).toBe(1);
    const report = JSON.parse(readFileSync(json, "utf8")) as GradeReport;
    expect(report.exercises[0]!.status).toBe("failed");
  });

  it.each([
    [["grade"], "Give --submission DIR (one checkout), --submissions PARENT (a class) or --merge."],
    [["grade", "--submission", "/no/such/folder"], "No folder at /no/such/folder."],
    [["grade", "--submission", tmpdir()], "has no exercises/ folder"],
    [["grade", "--submision", "x"], "unknown option --submision. Did you mean --submission?"],
    [["frobnicate"], 'unknown command "frobnicate": one of test, grade, exercise, manifest, watch.'],
  ])("exits 2 with a clear message when grading cannot run: %j", (args, message) => {
    const { code, err } = grader(...args);
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(err).not.toMatch(/^\s+at /m);
  });
});

describe("cookie-grader exercise DIR", () => {
  it("writes the exercise's grade and exits 0 whatever the verdict, so turbo can cache a failing grade", () => {
    const out = join(root, "exercise.json");
    const { code, out: stdout } = grader("exercise", join(workspace, "exercises", SLUGS[2]!), "--out", out);
    expect(code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(JSON.parse(readFileSync(out, "utf8"))).toMatchObject({ id: SLUGS[2], status: "failed" });
    expect(stdout).toContain("✗ Logging out deletes last_visit (Expires in the past, or Max-Age=0)");
  });
});

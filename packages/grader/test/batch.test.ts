import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GradeReport } from "../src/formats/grade-report.js";
import { COUNT, FIRST, SLUGS } from "./course.js";
import { fixtureSrc } from "./fixture-source.js";

const bin = fileURLToPath(new URL("../bin/cookie-grader.js", import.meta.url));
const workspace = fileURLToPath(new URL("../../../", import.meta.url));

function grader(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    timeout: 240_000,
    env: { ...process.env, FORCE_COLOR: "0", ...env },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

const SECOND = SLUGS[1]!;
const solution = (slug: string) => join(workspace, "solutions", slug, "src");

let root: string;
let klass: string;

/**
 * A class of five, each with the first exercise or none (the rest are missing, and cost no app process): a batch's
 * rows, reports and shards do not need the whole course graded again (verify grades it once). Cy's 01 loops for
 * ever, and her 02 is still graded; Dee's 01 is graded after Cy's loop.
 */
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "grader-batch-"));
  klass = join(root, "class");
  const student = (name: string, sources: Record<string, string>) => {
    for (const [slug, src] of Object.entries(sources))
      cpSync(src, join(klass, name, "exercises", slug, "src"), { recursive: true });
  };
  student("ada", { [FIRST]: solution(FIRST) });
  student("bob", { [FIRST]: join(workspace, "exercises", FIRST, "src") });
  student("cy", { [FIRST]: fixtureSrc("01-infinite-loop"), [SECOND]: solution(SECOND) });
  student("dee", { [FIRST]: solution(FIRST) });
  mkdirSync(join(klass, "eve", "exercises"), { recursive: true });
  writeFileSync(join(klass, "notes.txt"), "not a student");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("cookie-grader grade --submissions PARENT --out DIR", () => {
  it("grades every student, gives a hanging one its own row, and writes the gradebook and a report each", () => {
    const out = join(root, "out");
    const { code, out: stdout, err } = grader(["grade", "--submissions", klass, "--out", out]);
    expect(code).toBe(0);
    expect(err).toContain("Grading 5 submissions");
    expect(stdout).toContain("## Gradebook: 5 submissions");

    const csv = readFileSync(join(out, "gradebook.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toMatch(
      new RegExp(
        `^student,${SLUGS[0]} points \\(of \\d+\\),${SLUGS[0]} status,${SLUGS[0]} reason,.*,total,max,percent,passed \\(of ${COUNT}\\)$`,
      ),
    );
    expect(csv.slice(1).map((row) => row.split(",")[0])).toEqual(["ada", "bob", "cy", "dee", "eve"]);
    const row = (name: string) => csv.find((line) => line.startsWith(`${name},`))!.split(",");
    // On failure, the whole gradebook and the grader's stderr say what happened.
    expect(csv.length, `${csv.join("\n")}\n${err}`).toBe(6);
    expect(row("ada").slice(-1)).toEqual(["1"]);
    expect(row("bob").slice(-1)).toEqual(["0"]);
    expect(row("cy").slice(-1)).toEqual(["1"]);
    expect(row("eve").slice(-1)).toEqual(["0"]);

    expect(
      readdirSync(out)
        .filter((name) => name.endsWith(".json"))
        .sort(),
    ).toEqual(["ada.json", "bob.json", "cy.json", "dee.json", "eve.json"]);
    const cy = JSON.parse(readFileSync(join(out, "cy.json"), "utf8")) as GradeReport;
    expect(cy.exercises[0]!.error).toContain("loop that never ends");
    expect(cy.exercises.map((exercise) => [exercise.id, exercise.status])).toEqual(
      SLUGS.map((slug) => [slug, slug === SECOND ? "passed" : "failed"]),
    );
    // Every student keeps the course's whole maximum: a missing exercise counts, failed.
    expect(cy.totals.exercises).toBe(COUNT);
    // Dee comes after Cy: her 01 was graded again, after Cy's loop, and passed.
    const dee = JSON.parse(readFileSync(join(out, "dee.json"), "utf8")) as GradeReport;
    expect(
      dee.totals.passed,
      JSON.stringify(dee.exercises.map((exercise) => [exercise.id, exercise.status, exercise.error])),
    ).toBe(1);
    expect(dee.environment.node).toBe(process.version);
  });

  it("grades one shard of the class, and merges shards into one gradebook", () => {
    const one = join(root, "shard-1");
    const two = join(root, "shard-2");
    expect(grader(["grade", "--submissions", klass, "--out", one, "--shard", "1/2"]).code).toBe(0);
    expect(grader(["grade", "--submissions", klass, "--out", two, "--shard", "2/2"]).code).toBe(0);
    expect(
      readdirSync(one)
        .filter((name) => name.endsWith(".json"))
        .sort(),
    ).toEqual(["ada.json", "cy.json", "eve.json"]);
    expect(
      readdirSync(two)
        .filter((name) => name.endsWith(".json"))
        .sort(),
    ).toEqual(["bob.json", "dee.json"]);

    const merged = join(root, "merged");
    expect(grader(["grade", "--merge", one, two, "--out", merged]).code).toBe(0);
    const csv = readFileSync(join(merged, "gradebook.csv"), "utf8").trim().split("\n");
    expect(csv.slice(1).map((line) => line.split(",")[0])).toEqual(["ada", "bob", "cy", "dee", "eve"]);
  });

  it.each([
    [["grade", "--submissions", "/no/such/class", "--out", "x"], "No folder at /no/such/class."],
    [["grade", "--submissions", "."], "--out DIR is required."],
    [["grade", "--submissions", ".", "--out", "x", "--shard", "3/2"], "--shard must look like 2/4"],
    [["grade", "--merge", "--out", "x"], "--merge needs the shard folders to merge."],
  ])("exits 2 with a message for %j", (args, message) => {
    const { code, err } = grader(args);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });
});

describe("reports for other systems", () => {
  it("prints only the asked-for report on stdout with --format, and GitHub annotations on GitHub", () => {
    const submission = join(klass, "bob");
    const gradescope = grader(["grade", "--submission", submission, "--format", "gradescope"]);
    expect(gradescope.code).toBe(1);
    expect(JSON.parse(gradescope.out)).toMatchObject({
      score: expect.any(Number),
      tests: expect.any(Array) as unknown,
    });

    const exercism = grader(["grade", "--submission", submission, "--format", "exercism"]);
    expect(JSON.parse(exercism.out)).toMatchObject({ version: 3, status: "fail" });

    const github = grader(["grade", "--submission", submission], { GITHUB_ACTIONS: "true" });
    expect(github.out).toContain(
      "::error file=exercises/01-set-datetime-cookie/src/app.ts,title=01-set-datetime-cookie%3A Visiting / sets a cookie named last_visit::The response to GET / stores no last_visit cookie.%0A",
    );
  });
});

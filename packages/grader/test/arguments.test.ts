import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gradeReport, toJson } from "../src/formats/grade-report.js";
import { exerciseResult } from "../src/results.js";

const bin = fileURLToPath(new URL("../bin/cookie-grader.js", import.meta.url));
const workspace = fileURLToPath(new URL("../../../", import.meta.url));

/** Runs the CLI as `pnpm <script>` would: pnpm names the script in npm_lifecycle_event. */
function grader(args: string[], script?: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.FORCE_COLOR;
  delete env.npm_lifecycle_event;
  if (script) env.npm_lifecycle_event = script;
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 120_000, env });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "grader-args-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("a typo in an option", () => {
  it.each([
    [["grade", "--jsno", "x"], "grade", "pnpm grade: unknown option --jsno. Did you mean --json?"],
    [["test", "--soluton"], "test", "pnpm test: unknown option --soluton. Did you mean --solutions?"],
    [["watch", "--soluton"], "watch", "pnpm watch: unknown option --soluton. Did you mean --solutions?"],
    [["manifest", "--chek"], "grader:manifest", "pnpm grader:manifest: unknown option --chek. Did you mean --check?"],
    [["exercise", "--otu", "x"], undefined, "cookie-grader exercise: unknown option --otu. Did you mean --out?"],
  ])("%j exits 2 with one line naming the command typed", (args, script, line) => {
    const { code, out, err } = grader(args, script);
    expect(code).toBe(2);
    expect(err.trim()).toBe(line);
    expect(out).toBe("");
  });
});

describe("--help", () => {
  it.each(["test", "watch", "grade", "exercise", "manifest"])("on %s prints a short usage and exits 0", (command) => {
    const { code, out, err } = grader([command, "--help"]);
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: /);
    expect(out.trim().split("\n").length).toBeLessThanOrEqual(10);
    expect(err).toBe("");
  });
});

describe("grade --merge SHARD… --out DIR", () => {
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
    status: "passed",
    points: 3,
    maxPoints: 3,
  } as const;
  const report = (student: string) =>
    toJson(
      gradeReport(
        `/class/${student}`,
        [exerciseResult("01-set-datetime-cookie", [check], 1)],
        new Date("2026-01-05T10:00:00Z"),
        1,
        environment,
      ),
    );
  const shard = (name: string, files: Record<string, string>) => {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "gradebook.csv"), "student\n");
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    return dir;
  };

  it("merges shards into one gradebook", () => {
    const { code } = grader([
      "grade",
      "--merge",
      shard("m1", { "ada.json": report("ada") }),
      shard("m2", { "bob.json": report("bob") }),
      "--out",
      join(root, "merged"),
    ]);
    expect(code).toBe(0);
  });

  it("refuses a folder that is not a shard", () => {
    const { code, err } = grader(["grade", "--merge", root, "--out", join(root, "out")]);
    expect(code).toBe(2);
    expect(err.trim()).toBe(
      `cookie-grader grade: ${root} is not a shard: it has no gradebook.csv. Give the --out folders of pnpm grade --submissions … --shard I/N.`,
    );
  });

  it("refuses a broken report, naming it, without a stack trace", () => {
    const dir = shard("broken", { "ada.json": report("ada").slice(0, 40) });
    const { code, err } = grader(["grade", "--merge", dir, "--out", join(root, "out")]);
    expect(code).toBe(2);
    expect(err.trim()).toBe(
      `cookie-grader grade: ${join(dir, "ada.json")} is not a grade report: it is not JSON (cut short, or edited?). Grade that shard again.`,
    );
  });

  it("refuses a report of another kind", () => {
    const dir = shard("other", { "ada.json": JSON.stringify({ hello: "world" }) });
    const { code, err } = grader(["grade", "--merge", dir, "--out", join(root, "out")]);
    expect(code).toBe(2);
    expect(err.trim()).toBe(
      `cookie-grader grade: ${join(dir, "ada.json")} is not a grade report (cookie-course/grade-report@1): it has no schema. Grade that shard again.`,
    );
  });

  it("refuses a report that lost a field, naming the field", () => {
    const edited = JSON.parse(report("ada")) as { exercises: { checks: { status?: string }[] }[] };
    delete edited.exercises[0]!.checks[0]!.status;
    const dir = shard("edited", { "ada.json": JSON.stringify(edited) });
    const { code, err } = grader(["grade", "--merge", dir, "--out", join(root, "out")]);
    expect(code).toBe(2);
    expect(err.trim()).toBe(
      `cookie-grader grade: ${join(dir, "ada.json")} is not a grade report (cookie-course/grade-report@1): exercises[0].checks[0].status is missing. Grade that shard again.`,
    );
  });

  it("refuses a student found in two shards", () => {
    const one = shard("d1", { "ada.json": report("ada") });
    const two = shard("d2", { "ada.json": report("ada") });
    const { code, err } = grader(["grade", "--merge", one, two, "--out", join(root, "out")]);
    expect(code).toBe(2);
    expect(err.trim()).toBe(
      `cookie-grader grade: ada is in two shards, ${one} and ${two}: grade each student in one shard only.`,
    );
  });
});

describe("the scoreboard's re-grade line", () => {
  it("is a command that works pasted into a shell, whatever the folder's name", () => {
    // A folder name with a space and a quote; its exercises are missing, which grades at once.
    const submission = join(root, "my class", "ann's work");
    mkdirSync(join(submission, "exercises"), { recursive: true });
    const first = grader(["grade", "--submission", submission]);
    expect(first.code).toBe(1);
    const line = /Re-grade with: (.+)/.exec(first.out)?.[1]?.trim();
    expect(line).toMatch(/^pnpm grade --submission /);
    const again = spawnSync("sh", ["-c", line!], {
      cwd: workspace,
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(again.status, again.stderr).toBe(1);
    expect(again.stdout).toContain(`Re-grade with: ${line}`);
  });
});

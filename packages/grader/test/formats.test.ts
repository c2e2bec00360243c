import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { EXERCISM_MESSAGE_LIMIT, EXERCISM_OUTPUT_LIMIT, toExercism } from "../src/formats/exercism.js";
import { environmentFingerprint } from "../src/formats/fingerprint.js";
import { gradeReport } from "../src/formats/grade-report.js";
import { GRADESCOPE_OUTPUT_LIMIT, toGradescope } from "../src/formats/gradescope.js";
import { exerciseResult, type CheckResult, type ExerciseResult } from "../src/results.js";

const passed = exerciseResult(
  "01-set-datetime-cookie",
  [
    {
      id: "app-loads",
      name: "src/app.ts loads",
      exercise: "01-set-datetime-cookie",
      status: "passed",
      points: 1,
      maxPoints: 1,
    },
    {
      id: "01.http-only",
      name: "Marks the cookie HttpOnly",
      exercise: "01-set-datetime-cookie",
      status: "passed",
      points: 2,
      maxPoints: 2,
    },
  ],
  80,
);
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
      name: "Never reflects <script>",
      exercise: "02-read-last-visit",
      status: "failed",
      points: 0,
      maxPoints: 3,
      message: "Reflected <b>bold</b>\nHint: escape",
    },
    {
      id: "02.after-visit",
      name: "After a visit",
      exercise: "02-read-last-visit",
      status: "skipped",
      points: 0,
      maxPoints: 1,
      message: "Skipped until this passes: Never reflects <script>",
    },
  ],
  120,
);
const stopped = exerciseResult("03-logout", [], 15_000, { error: "Grading stopped after 15 s" });
const environment = {
  node: "v20.20.2",
  platform: "linux",
  arch: "x64",
  pnpm: "12.4.2",
  lockfileSha256: "ab".repeat(32),
  grader: { name: "@cookie-course/grader", version: "0.1.0" },
};
const report = gradeReport(
  "/tmp/alice",
  [passed, failed, stopped],
  new Date("2026-11-25T10:00:00Z"),
  1234,
  environment,
);

const reportOf = (...exercises: ExerciseResult[]) =>
  gradeReport("/tmp/bob", exercises, new Date("2026-11-25T10:00:00Z"), 10, environment);
const check = (overrides: Partial<CheckResult> & Record<string, unknown>): CheckResult => ({
  id: "04.check",
  name: "A check",
  exercise: "04-sign-cookie",
  status: "failed",
  points: 0,
  maxPoints: 1,
  ...overrides,
});

describe("toGradescope(report)", () => {
  it("writes a test per check, skipped checks as failed with their reason, and a worthless failed test for grading that could not finish", () => {
    expect(JSON.parse(toGradescope(report))).toEqual({
      score: 4,
      execution_time: 1.234,
      output: "1/3 exercises passed (4/8 points)",
      output_format: "text",
      test_output_format: "text",
      test_name_format: "text",
      stdout_visibility: "hidden",
      extra_data: { environment, durationMs: 1234 },
      tests: [
        {
          name: "01-set-datetime-cookie › src/app.ts loads",
          number: "1.1",
          score: 1,
          max_score: 1,
          status: "passed",
          output: "",
          tags: ["01-set-datetime-cookie"],
          visibility: "visible",
        },
        {
          name: "01-set-datetime-cookie › Marks the cookie HttpOnly",
          number: "1.2",
          score: 2,
          max_score: 2,
          status: "passed",
          output: "",
          tags: ["01-set-datetime-cookie"],
          visibility: "visible",
        },
        {
          name: "02-read-last-visit › src/app.ts loads",
          number: "2.1",
          score: 1,
          max_score: 1,
          status: "passed",
          output: "",
          tags: ["02-read-last-visit"],
          visibility: "visible",
        },
        {
          name: "02-read-last-visit › Never reflects <script>",
          number: "2.2",
          score: 0,
          max_score: 3,
          status: "failed",
          output: "Reflected <b>bold</b>\nHint: escape",
          tags: ["02-read-last-visit"],
          visibility: "visible",
        },
        {
          name: "02-read-last-visit › After a visit",
          number: "2.3",
          score: 0,
          max_score: 1,
          status: "failed",
          output: "Skipped until this passes: Never reflects <script>",
          tags: ["02-read-last-visit"],
          visibility: "visible",
        },
        {
          name: "03-logout › grading finishes",
          number: "3.1",
          score: 0,
          max_score: 0,
          status: "failed",
          output: "Grading stopped after 15 s",
          tags: ["03-logout"],
          visibility: "visible",
        },
      ],
    });
  });

  it("shows gates as tests worth nothing, tagged, saying what they are, so they neither add to the maximum nor take from it", () => {
    const gated = exerciseResult(
      "02-read-last-visit",
      [
        check({
          id: "app-loads",
          exercise: "02-read-last-visit",
          status: "passed",
          points: 0,
          maxPoints: 0,
          gate: true,
        }),
        check({
          id: "01.http-only",
          name: "Marks the cookie HttpOnly",
          exercise: "01-set-datetime-cookie",
          points: 0,
          maxPoints: 0,
          gate: true,
          message: "No HttpOnly",
        }),
        check({ id: "02.shows", exercise: "02-read-last-visit", status: "passed", points: 2, maxPoints: 2 }),
      ],
      5,
    );
    const results = JSON.parse(toGradescope(reportOf(gated))) as {
      score: number;
      tests: { max_score: number; score: number; status: string; tags: string[]; output: string }[];
    };
    expect(results.tests.map((test) => [test.score, test.max_score, test.status, test.tags])).toEqual([
      [0, 0, "passed", ["02-read-last-visit", "gate"]],
      [0, 0, "failed", ["01-set-datetime-cookie", "gate"]],
      [2, 2, "passed", ["02-read-last-visit"]],
    ]);
    expect(results.tests[1]?.output).toBe(
      "Must pass for 02-read-last-visit to pass (from 01-set-datetime-cookie); it earns no points here.\n\nNo HttpOnly",
    );
    expect(results.tests.reduce((sum, test) => sum + test.max_score, 0)).toBe(gated.maxScore);
    expect(results.score).toBe(2);
  });

  it("adds what the app printed to a test's output, with control characters shown, not sent", () => {
    const exercise = exerciseResult(
      "04-sign-cookie",
      [check({ message: "Expected a cookie", output: "listening\u0000\u001b[31m" })],
      5,
    );
    const [test] = (JSON.parse(toGradescope(reportOf(exercise))) as { tests: { output: string }[] }).tests;
    expect(test?.output).toBe("Expected a cookie\n\nYour app printed:\nlistening\\u0000\\u001b[31m");
  });

  it("cuts a test's output to 64 kB between characters, and says so", () => {
    const exercise = exerciseResult("04-sign-cookie", [check({ message: "🍪".repeat(20_000) })], 5);
    const [test] = (JSON.parse(toGradescope(reportOf(exercise))) as { tests: { output: string }[] }).tests;
    expect(Buffer.byteLength(test?.output ?? "", "utf8")).toBeLessThanOrEqual(GRADESCOPE_OUTPUT_LIMIT);
    expect(test?.output).toMatch(/^(?:🍪)+\n… \(cut: the JSON report has all of it\)$/u);
  });

  it("is JSON indented by two spaces, ending in a newline", () => {
    const text = toGradescope(report);
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    expect(text.startsWith('{\n  "score": 4,\n')).toBe(true);
  });

  it("shows a hidden check only once grades are published, and every other check at once", () => {
    const exercise = exerciseResult(
      "04-sign-cookie",
      [
        check({ id: "a", visibility: "hidden" }),
        check({ id: "b", visibility: "visible" }),
        check({ id: "c", visibility: "secret" as never }),
        check({ id: "d" }),
      ],
      5,
    );
    const tests = (JSON.parse(toGradescope(reportOf(exercise))) as { tests: { visibility: string }[] }).tests;
    expect(tests.map((test) => test.visibility)).toEqual(["after_published", "visible", "visible", "visible"]);
  });

  it("leaves out the number of a test whose exercise has no number", () => {
    const exercise = exerciseResult("bonus", [check({ id: "bonus.a", exercise: "bonus" })], 5);
    const [test] = (JSON.parse(toGradescope(reportOf(exercise))) as { tests: Record<string, unknown>[] }).tests;
    expect(test).not.toHaveProperty("number");
    expect(test).toMatchObject({ name: "bonus › A check" });
  });
});

describe("toExercism(report)", () => {
  /** An exercise's checks after its app loaded, as every graded exercise starts. */
  const loaded = (id: string, ...checks: CheckResult[]) =>
    exerciseResult(
      id,
      [
        check({ id: "app-loads", name: "src/app.ts loads", exercise: id, status: "passed", points: 1 }),
        ...checks.map((one) => ({ ...one, exercise: id })),
      ],
      5,
    );
  const testsOf = (text: string) => (JSON.parse(text) as { tests: Record<string, unknown>[] }).tests;

  it("writes a version 3 file that fails, with a test per check linked to its exercise's number", () => {
    expect(JSON.parse(toExercism(report))).toEqual({
      version: 3,
      environment,
      status: "fail",
      tests: [
        { name: "01-set-datetime-cookie › src/app.ts loads", status: "pass", test_code: "check app-loads", task_id: 1 },
        {
          name: "01-set-datetime-cookie › Marks the cookie HttpOnly",
          status: "pass",
          test_code: "check 01.http-only",
          task_id: 1,
        },
        { name: "02-read-last-visit › src/app.ts loads", status: "pass", test_code: "check app-loads", task_id: 2 },
        {
          name: "02-read-last-visit › Never reflects <script>",
          status: "fail",
          message: "Reflected <b>bold</b>\nHint: escape",
          test_code: "check 02.no-xss",
          task_id: 2,
        },
        {
          name: "02-read-last-visit › After a visit",
          status: "fail",
          message: "Skipped until this passes: Never reflects <script>",
          test_code: "check 02.after-visit",
          task_id: 2,
        },
        {
          name: "03-logout › grading finishes",
          status: "error",
          message: "Grading stopped after 15 s",
          test_code: "grade 03-logout",
          task_id: 3,
        },
      ],
    });
  });

  it("passes, with no message, when every check passed", () => {
    expect(JSON.parse(toExercism(reportOf(passed)))).toEqual({
      version: 3,
      environment,
      status: "pass",
      tests: [
        { name: "01-set-datetime-cookie › src/app.ts loads", status: "pass", test_code: "check app-loads", task_id: 1 },
        {
          name: "01-set-datetime-cookie › Marks the cookie HttpOnly",
          status: "pass",
          test_code: "check 01.http-only",
          task_id: 1,
        },
      ],
    });
  });

  it("fails when only a check was skipped", () => {
    const exercise = loaded("04-sign-cookie", check({ status: "skipped", message: "Skipped until this passes: X" }));
    expect(JSON.parse(toExercism(reportOf(exercise)))).toMatchObject({
      status: "fail",
      tests: [{ status: "pass" }, { status: "fail", message: "Skipped until this passes: X" }],
    });
  });

  it("fails, not errors, when one exercise could not finish but another's checks ran", () => {
    expect(JSON.parse(toExercism(reportOf(passed, stopped)))).toMatchObject({ status: "fail" });
  });

  it("fails, not errors, when grading stopped partway through an exercise's checks", () => {
    const partway = {
      ...loaded("04-sign-cookie", check({ status: "failed", message: "No answer" })),
      error: "Grading stopped after 15 s",
    };
    expect(JSON.parse(toExercism(reportOf(partway)))).toMatchObject({
      status: "fail",
      tests: [{ status: "error" }, { status: "pass" }, { status: "fail" }],
    });
  });

  it("errors, with the compiler's message on top and no tests, when no exercise's app could be loaded", () => {
    const syntax = 'src/app.ts could not be loaded: Expected ")" but found ";" (at src/app.ts:9:40)';
    const unloadable = exerciseResult(
      "01-set-datetime-cookie",
      [
        check({ id: "app-loads", exercise: "01-set-datetime-cookie", message: syntax }),
        check({ status: "skipped", message: "Skipped until this passes: src/app.ts loads" }),
      ],
      30,
    );
    expect(JSON.parse(toExercism(reportOf(unloadable)))).toEqual({
      version: 3,
      status: "error",
      message: `01-set-datetime-cookie: ${syntax}`,
      tests: [],
      environment,
    });
  });

  it("errors, with every cause in the top-level message, when no exercise got to run a check", () => {
    const crashed = exerciseResult("04-sign-cookie", [], 30, { error: "The grading process crashed" });
    expect(JSON.parse(toExercism(reportOf(stopped, crashed)))).toEqual({
      version: 3,
      environment,
      status: "error",
      message: "03-logout: Grading stopped after 15 s\n\n04-sign-cookie: The grading process crashed",
      tests: [],
    });
  });

  it("errors when nothing was graded at all", () => {
    expect(JSON.parse(toExercism(reportOf()))).toEqual({
      version: 3,
      status: "error",
      message: "No exercise was graded.",
      tests: [],
      environment,
    });
  });

  it("marks a failed app-loads as an error of its own when another exercise ran, and its skipped checks as failures", () => {
    const unloadable = exerciseResult(
      "02-read-last-visit",
      [
        check({ id: "app-loads", exercise: "02-read-last-visit", message: "src/app.ts could not be loaded" }),
        check({ status: "skipped" }),
      ],
      30,
    );
    const tests = testsOf(toExercism(reportOf(passed, unloadable)));
    expect(tests.slice(2).map((test) => test.status)).toEqual(["error", "fail"]);
  });

  it("links a check re-run from an earlier exercise to that exercise's task", () => {
    const gated = loaded("02-read-last-visit", check({ id: "01.http-only", gate: true, points: 0, maxPoints: 0 }));
    const regression = {
      ...gated,
      checks: gated.checks.map((one) =>
        one.id === "01.http-only" ? { ...one, exercise: "01-set-datetime-cookie" } : one,
      ),
    };
    expect(testsOf(toExercism(reportOf(regression))).map((test) => test.task_id)).toEqual([2, 1]);
  });

  it("keeps a message at the limit whole and cuts a longer one to the limit in UTF-8 bytes, never inside a character", () => {
    const atLimit = "a".repeat(EXERCISM_MESSAGE_LIMIT);
    const ascii = "b".repeat(EXERCISM_MESSAGE_LIMIT + 1);
    const emoji = "🍪".repeat(20_000); // 80,000 bytes, 40,000 UTF-16 units
    const exercise = loaded(
      "04-sign-cookie",
      check({ message: atLimit }),
      check({ message: ascii }),
      check({ message: emoji }),
    );
    const messages = testsOf(toExercism(reportOf(exercise)))
      .slice(1)
      .map((test) => test.message as string);
    expect(messages[0]).toBe(atLimit);
    for (const message of messages.slice(1)) {
      expect(Buffer.byteLength(message, "utf8")).toBeLessThanOrEqual(EXERCISM_MESSAGE_LIMIT);
      expect(Buffer.byteLength(message, "utf8")).toBeGreaterThan(EXERCISM_MESSAGE_LIMIT - 20);
      expect(message.endsWith("\n… (truncated)")).toBe(true);
    }
    expect(messages[1]?.startsWith("bbbb")).toBe(true);
    expect(messages[2]).toMatch(/^(?:🍪)+\n… \(truncated\)$/u);
  });

  it("shows control characters in a message as escapes, and a lone surrogate as U+FFFD", () => {
    const exercise = loaded("04-sign-cookie", check({ message: "a\u0000b\u001b[31mc\r\nd\uD83C" }));
    expect(testsOf(toExercism(reportOf(exercise)))[1]?.message).toBe("a\\u0000b\\u001b[31mc\nd\uFFFD");
  });

  it("carries what the app printed, on passed and failed checks, cut to 500 characters with the spec's notice", () => {
    const long = `${"x".repeat(300)}${"🍪".repeat(300)}`; // 600 characters, 900 UTF-16 units
    const exercise = loaded(
      "04-sign-cookie",
      check({ id: "a", status: "passed", points: 1, output: "listening\n" }),
      check({ id: "b", output: long }),
      check({ id: "c", output: "" }),
      check({ id: "d" }),
    );
    const tests = testsOf(toExercism(reportOf(exercise))).slice(1) as { output?: string }[];
    expect(tests[0]?.output).toBe("listening\n");
    const notice = "\nOutput was truncated. Please limit to 500 chars";
    expect(tests[1]?.output).toBe(
      `${"x".repeat(300)}${"🍪".repeat(EXERCISM_OUTPUT_LIMIT - 300 - notice.length)}${notice}`,
    );
    expect(Array.from(tests[1]?.output ?? "")).toHaveLength(EXERCISM_OUTPUT_LIMIT);
    expect(tests[2]).not.toHaveProperty("output");
    expect(tests[3]).not.toHaveProperty("output");
  });

  it("keeps output of exactly 500 characters whole", () => {
    const output = "🍪".repeat(EXERCISM_OUTPUT_LIMIT);
    const tests = testsOf(toExercism(reportOf(loaded("04-sign-cookie", check({ output }))))) as { output?: string }[];
    expect(tests[1]?.output).toBe(output);
  });

  it("leaves out the task of a test whose exercise has no number, and reads a two-digit number", () => {
    const tests = testsOf(toExercism(reportOf(loaded("bonus"), loaded("12-rotate-keys"))));
    expect(tests[0]).not.toHaveProperty("task_id");
    expect(tests[1]).toHaveProperty("task_id", 12);
  });

  it("is JSON indented by two spaces, ending in a newline", () => {
    const text = toExercism(report);
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
  });
});

describe("environmentFingerprint(workspaceRoot)", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "cookie-fingerprint-"));
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(root, { recursive: true, force: true });
  });

  it("names this Node, platform and architecture, and the grader's package", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      name: string;
      version: string;
    };
    expect(environmentFingerprint(root)).toMatchObject({
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      grader: { name: "@cookie-course/grader", version: manifest.version },
    });
  });

  it("hashes the workspace's pnpm-lock.yaml as bytes with SHA-256", () => {
    const lockfile = "lockfileVersion: '9.0'\n\nimporters:\n  .: {}\n# café\n";
    writeFileSync(join(root, "pnpm-lock.yaml"), lockfile);
    const expected = createHash("sha256").update(Buffer.from(lockfile, "utf8")).digest("hex");
    expect(environmentFingerprint(root).lockfileSha256).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it("has no lockfile hash when the workspace has no pnpm-lock.yaml", () => {
    expect(environmentFingerprint(root).lockfileSha256).toBeNull();
  });

  it("reads pnpm's version from the user agent pnpm gives scripts", () => {
    vi.stubEnv("npm_config_user_agent", "pnpm/12.4.2 npm/? node/v20.20.2 linux x64");
    expect(environmentFingerprint(root).pnpm).toBe("12.4.2");
  });

  it("has no pnpm version when another client or none ran the grader", () => {
    vi.stubEnv("npm_config_user_agent", "npm/10.8.2 node/v20.20.2 linux x64 workspaces/false");
    expect(environmentFingerprint(root).pnpm).toBeNull();
    vi.stubEnv("npm_config_user_agent", "");
    expect(environmentFingerprint(root).pnpm).toBeNull();
    vi.stubEnv("npm_config_user_agent", undefined);
    expect(environmentFingerprint(root).pnpm).toBeNull();
  });
});

import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { EXERCISM_MESSAGE_LIMIT, EXERCISM_OUTPUT_LIMIT, toExercism } from "../src/formats/exercism.js";
import { environmentFingerprint } from "../src/formats/fingerprint.js";
import { gradeReport } from "../src/formats/grade-report.js";
import { toGradescope } from "../src/formats/gradescope.js";
import { exerciseResult, type CheckResult, type ExerciseResult } from "../src/results.js";

const passed = exerciseResult(
  "01-set-datetime-cookie",
  [
    { id: "app-loads", name: "src/app.ts loads", exercise: "01-set-datetime-cookie", status: "passed", points: 1, maxPoints: 1 },
    { id: "01.http-only", name: "Marks the cookie HttpOnly", exercise: "01-set-datetime-cookie", status: "passed", points: 2, maxPoints: 2 },
  ],
  80,
);
const failed = exerciseResult(
  "02-read-last-visit",
  [
    { id: "app-loads", name: "src/app.ts loads", exercise: "02-read-last-visit", status: "passed", points: 1, maxPoints: 1 },
    { id: "02.no-xss", name: "Never reflects <script>", exercise: "02-read-last-visit", status: "failed", points: 0, maxPoints: 3, message: "Reflected <b>bold</b>\nHint: escape" },
    { id: "02.after-visit", name: "After a visit", exercise: "02-read-last-visit", status: "skipped", points: 0, maxPoints: 1, message: "Skipped until this passes: Never reflects <script>" },
  ],
  120,
);
const stopped = exerciseResult("03-logout", [], 15_000, "Grading stopped after 15 s");
const environment = { node: "v20.20.2", platform: "linux", arch: "x64", pnpm: "12.4.2", lockfileSha256: "ab".repeat(32), grader: { name: "@cookie-course/grader", version: "0.1.0" } };
const report = gradeReport("/tmp/alice", [passed, failed, stopped], new Date("2026-11-25T10:00:00Z"), 1234, environment);

const reportOf = (...exercises: ExerciseResult[]) => gradeReport("/tmp/bob", exercises, new Date("2026-11-25T10:00:00Z"), 10, environment);
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
      stdout_visibility: "hidden",
      extra_data: { environment, durationMs: 1234 },
      tests: [
        { name: "01-set-datetime-cookie › src/app.ts loads", number: "1.1", score: 1, max_score: 1, status: "passed", output: "", visibility: "visible" },
        { name: "01-set-datetime-cookie › Marks the cookie HttpOnly", number: "1.2", score: 2, max_score: 2, status: "passed", output: "", visibility: "visible" },
        { name: "02-read-last-visit › src/app.ts loads", number: "2.1", score: 1, max_score: 1, status: "passed", output: "", visibility: "visible" },
        { name: "02-read-last-visit › Never reflects <script>", number: "2.2", score: 0, max_score: 3, status: "failed", output: "Reflected <b>bold</b>\nHint: escape", visibility: "visible" },
        { name: "02-read-last-visit › After a visit", number: "2.3", score: 0, max_score: 1, status: "failed", output: "Skipped until this passes: Never reflects <script>", visibility: "visible" },
        { name: "03-logout › grading finishes", number: "3.1", score: 0, max_score: 0, status: "failed", output: "Grading stopped after 15 s", visibility: "visible" },
      ],
    });
  });

  it("is JSON indented by two spaces, ending in a newline", () => {
    const text = toGradescope(report);
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    expect(text.startsWith('{\n  "score": 4,\n')).toBe(true);
  });

  it("shows a hidden check only once grades are published, and every other check at once", () => {
    const exercise = exerciseResult("04-sign-cookie", [check({ id: "a", visibility: "hidden" }), check({ id: "b", visibility: "visible" }), check({ id: "c", visibility: "secret" as never }), check({ id: "d" })], 5);
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
  it("writes a version 3 file that fails, with a test per check linked to its exercise's number", () => {
    expect(JSON.parse(toExercism(report))).toEqual({
      version: 3,
      environment,
      status: "fail",
      tests: [
        { name: "01-set-datetime-cookie › src/app.ts loads", status: "pass", test_code: "check app-loads", task_id: 1 },
        { name: "01-set-datetime-cookie › Marks the cookie HttpOnly", status: "pass", test_code: "check 01.http-only", task_id: 1 },
        { name: "02-read-last-visit › src/app.ts loads", status: "pass", test_code: "check app-loads", task_id: 2 },
        { name: "02-read-last-visit › Never reflects <script>", status: "fail", message: "Reflected <b>bold</b>\nHint: escape", test_code: "check 02.no-xss", task_id: 2 },
        { name: "02-read-last-visit › After a visit", status: "fail", message: "Skipped until this passes: Never reflects <script>", test_code: "check 02.after-visit", task_id: 2 },
        { name: "03-logout › grading finishes", status: "error", message: "Grading stopped after 15 s", test_code: "grade 03-logout", task_id: 3 },
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
        { name: "01-set-datetime-cookie › Marks the cookie HttpOnly", status: "pass", test_code: "check 01.http-only", task_id: 1 },
      ],
    });
  });

  it("fails when only a check was skipped", () => {
    const exercise = exerciseResult("04-sign-cookie", [check({ status: "skipped", message: "Skipped until this passes: X" })], 5);
    expect(JSON.parse(toExercism(reportOf(exercise)))).toMatchObject({ status: "fail", tests: [{ status: "fail", message: "Skipped until this passes: X" }] });
  });

  it("fails, not errors, when one exercise could not finish but another's checks ran", () => {
    expect(JSON.parse(toExercism(reportOf(passed, stopped)))).toMatchObject({ status: "fail" });
  });

  it("fails, not errors, when grading stopped partway through an exercise's checks", () => {
    const partway = exerciseResult("04-sign-cookie", [check({ status: "passed", points: 1 })], 15_000, "Grading stopped after 15 s");
    expect(JSON.parse(toExercism(reportOf(partway)))).toMatchObject({ status: "fail", tests: [{ status: "error" }, { status: "pass" }] });
  });

  it("errors, with every cause in the top-level message, when no exercise got to run a check", () => {
    const crashed = exerciseResult("04-sign-cookie", [], 30, "The grading process crashed");
    expect(JSON.parse(toExercism(reportOf(stopped, crashed)))).toEqual({
      version: 3,
      environment,
      status: "error",
      message: "03-logout: Grading stopped after 15 s\n04-sign-cookie: The grading process crashed",
      tests: [
        { name: "03-logout › grading finishes", status: "error", message: "Grading stopped after 15 s", test_code: "grade 03-logout", task_id: 3 },
        { name: "04-sign-cookie › grading finishes", status: "error", message: "The grading process crashed", test_code: "grade 04-sign-cookie", task_id: 4 },
      ],
    });
  });

  it("errors when nothing was graded at all", () => {
    expect(JSON.parse(toExercism(reportOf()))).toEqual({ version: 3, status: "error", message: "No exercise was graded.", tests: [], environment });
  });

  it("keeps a message at the limit whole and cuts a longer one to the limit in UTF-8 bytes, never inside a character", () => {
    const atLimit = "a".repeat(EXERCISM_MESSAGE_LIMIT);
    const ascii = "b".repeat(EXERCISM_MESSAGE_LIMIT + 1);
    const emoji = "🍪".repeat(20_000); // 80,000 bytes, 40,000 UTF-16 units
    const exercise = exerciseResult("04-sign-cookie", [check({ message: atLimit }), check({ message: ascii }), check({ message: emoji })], 5);
    const messages = (JSON.parse(toExercism(reportOf(exercise))) as { tests: { message: string }[] }).tests.map((test) => test.message);
    expect(messages[0]).toBe(atLimit);
    for (const message of messages.slice(1)) {
      expect(Buffer.byteLength(message, "utf8")).toBeLessThanOrEqual(EXERCISM_MESSAGE_LIMIT);
      expect(Buffer.byteLength(message, "utf8")).toBeGreaterThan(EXERCISM_MESSAGE_LIMIT - 20);
      expect(message.endsWith("\n… (truncated)")).toBe(true);
    }
    expect(messages[1]?.startsWith("bbbb")).toBe(true);
    expect(messages[2]).toMatch(/^(?:🍪)+\n… \(truncated\)$/u);
  });

  it("carries what the app printed, on passed and failed checks, cut to 500 characters with the spec's notice", () => {
    const long = `${"x".repeat(300)}${"🍪".repeat(300)}`; // 600 characters, 900 UTF-16 units
    const exercise = exerciseResult(
      "04-sign-cookie",
      [check({ id: "a", status: "passed", points: 1, output: "listening\n" }), check({ id: "b", output: long }), check({ id: "c", output: "" }), check({ id: "d" })],
      5,
    );
    const tests = (JSON.parse(toExercism(reportOf(exercise))) as { tests: { output?: string }[] }).tests;
    expect(tests[0]?.output).toBe("listening\n");
    const notice = "\nOutput was truncated. Please limit to 500 chars";
    expect(tests[1]?.output).toBe(`${"x".repeat(300)}${"🍪".repeat(EXERCISM_OUTPUT_LIMIT - 300 - notice.length)}${notice}`);
    expect(Array.from(tests[1]?.output ?? "")).toHaveLength(EXERCISM_OUTPUT_LIMIT);
    expect(tests[2]).not.toHaveProperty("output");
    expect(tests[3]).not.toHaveProperty("output");
  });

  it("keeps output of exactly 500 characters whole", () => {
    const output = "🍪".repeat(EXERCISM_OUTPUT_LIMIT);
    const [test] = (JSON.parse(toExercism(reportOf(exerciseResult("04-sign-cookie", [check({ output })], 5)))) as { tests: { output?: string }[] }).tests;
    expect(test?.output).toBe(output);
  });

  it("leaves out the task of a test whose exercise has no number, and reads a two-digit number", () => {
    const tests = (JSON.parse(toExercism(reportOf(exerciseResult("bonus", [check({})], 1), exerciseResult("12-rotate-keys", [check({})], 1)))) as { tests: Record<string, unknown>[] }).tests;
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
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { name: string; version: string };
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

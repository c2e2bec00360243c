import { existsSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { GradeReportError, readExerciseReport, type ExerciseResult } from "@cookie-course/grader/report";
import pc from "picocolors";
import { globSync } from "tinyglobby";
import { parseCommandArgs } from "./args.js";
import { courseLayoutProblems } from "./course-layout.js";
import { starters } from "./starters/command.js";
import { runTurbo } from "./turbo.js";
import { workspaceRoot } from "./workspace.js";

/** The turbo tasks `pnpm verify` runs in every package that has them. */
export const VERIFY_TASKS = [
  "lint",
  "format:check",
  "typecheck",
  "build",
  "publint",
  "test",
  "grade",
  "test:browser",
] as const;

const VERIFY_USAGE = `Usage: pnpm verify
  The course's full check: starters, lint, typecheck, build, publint, every test, every grade, the browser suite.
  Ends with "verify: N passed, N failed"; exit 1 when anything failed.`;

const TEST_REPORT = "reports/vitest.json";
const GRADE_REPORT = "reports/grade.json";

export interface Tally {
  passed: number;
  failed: number;
  failures: string[];
  /** Exercises not finished yet (no checks, TODO(author) left): the tests that grade every exercise fail with them. */
  unfinished: boolean;
}

/** What turbo's `--summarize` file says of one task (only the fields we read). */
interface TaskSummary {
  taskId: string;
  task: string;
  directory: string;
  execution?: { exitCode?: number | null };
}

/**
 * `pnpm verify`: the course's own full check. Counts every test case of every package (from vitest's JSON
 * reports) and every other check (lint, typecheck, build, publint per package; the starter sync) as one, and ends
 * with `verify: N passed, N failed`.
 */
export async function verify(args: readonly string[] = []): Promise<number> {
  if (!parseCommandArgs(args, { usage: VERIFY_USAGE, options: {} })) return 0;
  const tally: Tally = { passed: 0, failed: 0, failures: [], unfinished: false };

  console.log(pc.bold("Starters match their solutions"));
  record(tally, "starters are generated from solutions (pnpm starters)", (await starters(["--check"])) === 0);

  console.log(pc.bold("\nEvery part of the course knows every exercise"));
  const layout = courseLayoutProblems();
  for (const problem of layout) record(tally, problem, false);
  tally.unfinished = layout.length > 0;
  if (layout.length === 0) record(tally, "the grader, the browser suite and the READMEs follow solutions/", true);
  console.log(
    layout.length === 0
      ? pc.green("✓ The grader's checks, the browser suite and the tables follow solutions/.")
      : pc.red(`✗ ${layout.length} to fix (listed at the end).`),
  );

  // A report left by an earlier run must not be counted: turbo restores it on a cache hit, or the task rewrites it.
  for (const report of globSync([`**/${TEST_REPORT}`, `**/${GRADE_REPORT}`], {
    cwd: workspaceRoot,
    ignore: ["**/node_modules/**"],
  })) {
    rmSync(join(workspaceRoot, report));
  }
  const started = Date.now();
  console.log(pc.bold(`\nturbo run ${VERIFY_TASKS.join(" ")}`));
  const heartbeat = setInterval(() => console.log(pc.dim(progressLine(Date.now() - started))), PROGRESS_MS);
  try {
    await runTurbo([
      "run",
      ...VERIFY_TASKS,
      "--continue",
      "--summarize",
      "--output-logs=errors-only",
      // Each test suite and grade runs processes of its own: turbo's default of ten at once kept a 2-core machine at
      // a load of 10 to 20, where checks ran out of time. One task more than the cores keeps them busy.
      `--concurrency=${availableParallelism() + 1}`,
    ]);
  } finally {
    clearInterval(heartbeat);
  }
  for (const task of readTurboSummary(started)) tallyTask(tally, task);

  const skipped = browserSkipped();
  if (skipped) console.log(pc.yellow(`⚠ The browser suite was skipped: ${skipped}`));
  for (const failure of tally.failures) console.log(pc.red(`✗ ${failure}`));
  if (tally.unfinished) {
    console.log(
      pc.yellow(
        "An exercise under way also fails the tests that grade every exercise: fix the lines naming an exercise first.",
      ),
    );
  }
  const line = `verify: ${tally.passed} passed, ${tally.failed} failed`;
  console.log(tally.failed === 0 ? pc.green(line) : pc.red(line));
  return tally.failed === 0 ? 0 : 1;
}

/** How often verify says it is still at work: turbo prints only failures, and a full run takes minutes. */
const PROGRESS_MS = 10_000;

/**
 * Where the run is, from what it has left behind: each test suite writes its vitest report when it ends, and each
 * app's grade its grade report (both were removed before the run).
 */
export function progressLine(elapsedMs: number, root: string = workspaceRoot): string {
  const done = (report: string) => globSync(`**/${report}`, { cwd: root, ignore: ["**/node_modules/**"] }).length;
  const seconds = Math.round(elapsedMs / 1000);
  const elapsed = `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
  const scripts = countScripts(root);
  return `… ${elapsed}: ${done(TEST_REPORT)} of ${scripts.get("test") ?? 0} test suites and ${done(GRADE_REPORT)} of ${scripts.get("grade") ?? 0} grades done`;
}

/** How many of the workspace's packages have each script (a script is one turbo task). */
function countScripts(root: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const manifest of globSync("*/*/package.json", { cwd: root, ignore: ["**/node_modules/**"] })) {
    const { scripts = {} } = JSON.parse(readFileSync(join(root, manifest), "utf8")) as {
      scripts?: Record<string, string>;
    };
    for (const name of Object.keys(scripts)) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

function tallyTask(tally: Tally, task: TaskSummary): void {
  const succeeded = task.execution?.exitCode === 0;
  if (task.task === "grade") {
    tallyGrade(tally, task, succeeded);
    return;
  }
  const report = join(workspaceRoot, task.directory, TEST_REPORT);
  if (!task.task.startsWith("test") || !existsSync(report)) {
    record(tally, task.taskId, succeeded);
    return;
  }
  const results = JSON.parse(readFileSync(report, "utf8")) as VitestReport;
  tally.passed += results.numPassedTests;
  tally.failed += results.numFailedTests;
  for (const file of results.testResults) {
    for (const test of file.assertionResults) {
      if (test.status === "failed") tally.failures.push(`${task.taskId}: ${test.fullName}`);
    }
  }
  // A run whose tests all passed can still fail (a coverage threshold, a file that does not load).
  if (!succeeded && results.numFailedTests === 0) record(tally, task.taskId, false);
}

/**
 * The hidden suite against the course itself: every solution must score 100%, and every untouched starter must
 * fail (a starter that passes would teach nothing).
 */
function tallyGrade(tally: Tally, task: TaskSummary, succeeded: boolean): void {
  const report = join(workspaceRoot, task.directory, GRADE_REPORT);
  const grade = succeeded ? readGrade(report) : undefined;
  const isSolution = task.directory.replace(/\\/g, "/").startsWith("solutions/");
  // An exercise whose checks earn nothing has no checks of its own yet (a new exercise): its starter "passes" on
  // the earlier exercises' checks alone. Said once, on the solution, rather than as a starter that passes.
  if (grade?.maxScore === 0) {
    const slug = task.directory.replace(/^.*[\\/]/, "");
    if (isSolution)
      record(tally, `exercise ${slug} has no checks yet: write them in packages/grader/src/checks/${slug}.ts`, false);
    tally.unfinished = true;
    return;
  }
  for (const [name, passed] of gradeVerdicts(task.taskId, grade, isSolution)) record(tally, name, passed);
}

/**
 * What verify holds an app's grade to, a line each: a solution passes with every point, and its gates (app-loads, an
 * earlier exercise's checks) earn none; an untouched starter fails and earns nothing, for a check that an app without
 * the feature passes must require the feature's own check. `grade` is undefined when the app was not graded.
 */
export function gradeVerdicts(
  taskId: string,
  grade: ExerciseResult | undefined,
  isSolution: boolean,
): [name: string, passed: boolean][] {
  if (isSolution) {
    const gates = grade?.checks.filter((check) => check.exercise !== grade.id || check.id === "app-loads") ?? [];
    const paying = gates.filter((check) => !check.gate || check.maxPoints !== 0).map((check) => check.id);
    return [
      [
        `${taskId}: the solution scores ${grade ? `${grade.score}/${grade.maxScore}` : "nothing"}, and must pass`,
        grade?.status === "passed" && grade.score === grade.maxScore,
      ],
      [`${taskId}: gates must be worth 0 points, and ${paying.join(", ")} are not`, paying.length === 0],
    ];
  }
  const earned = grade?.checks.filter((check) => check.points > 0).map((check) => check.id) ?? [];
  return [
    [
      grade?.status !== "failed"
        ? `${taskId}: the untouched starter must fail, and ${grade ? "passes" : "was not graded"}`
        : `${taskId}: the untouched starter must earn 0 points, and earns them for ${earned.join(", ")}`,
      grade?.status === "failed" && earned.length === 0,
    ],
  ];
}

/** An app's grade, or undefined when its task left none that reads as a grade (counted as not graded). */
function readGrade(report: string): ExerciseResult | undefined {
  try {
    return readExerciseReport(report);
  } catch (error) {
    if (error instanceof GradeReportError) return undefined;
    throw error;
  }
}

/** Why the real-browser suite did not run (no Chromium here), as it wrote it down; undefined when it ran. */
function browserSkipped(): string | undefined {
  const note = join(workspaceRoot, "packages", "browser-tests", "reports", "browser-skipped.txt");
  return existsSync(note) ? readFileSync(note, "utf8").trim() : undefined;
}

function record(tally: Tally, name: string, passed: boolean): void {
  if (passed) tally.passed += 1;
  else {
    tally.failed += 1;
    tally.failures.push(name);
  }
}

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  testResults: { assertionResults: { fullName: string; status: string }[] }[];
}

/** The tasks of the summary turbo wrote for the run that began at `started`. */
function readTurboSummary(started: number): TaskSummary[] {
  const runs = join(workspaceRoot, ".turbo", "runs");
  const newest = existsSync(runs)
    ? readdirSync(runs)
        .filter((name) => name.endsWith(".json"))
        .map((name) => join(runs, name))
        .filter((path) => statSync(path).mtimeMs >= started)
        .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0]
    : undefined;
  if (!newest) throw new Error("turbo wrote no run summary: was it interrupted?");
  return (JSON.parse(readFileSync(newest, "utf8")) as { tasks: TaskSummary[] }).tasks;
}

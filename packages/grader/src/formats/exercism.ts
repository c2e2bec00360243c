import type { CheckResult, ExerciseResult } from "../results.js";
import { codePointLength, cutCodePoints } from "../sandbox/text.js";
import type { GradeReport } from "./grade-report.js";
import { limitBytes, printable } from "./learner-text.js";
import { APP_LOADS, appLoaded, exerciseNumber } from "./result-fields.js";

/** One entry of `tests` in Exercism's results.json, version 3. */
interface ExercismTest {
  name: string;
  status: "pass" | "fail" | "error";
  message?: string;
  output?: string;
  test_code: string;
  task_id?: number;
}

/**
 * The spec limits a message to 65535 characters, fewer when they are multibyte: Exercism stores it in a
 * 65535-byte column, so it is cut here in UTF-8 bytes.
 */
export const EXERCISM_MESSAGE_LIMIT = 65_535;
/** The spec's limit on a test's output, in characters. */
export const EXERCISM_OUTPUT_LIMIT = 500;
/** The spec's own wording for cut output. */
const OUTPUT_CUT = "\nOutput was truncated. Please limit to 500 chars";
const MESSAGE_CUT = "\n… (truncated)";

/**
 * Exercism's test-runner `results.json`, version 3 (https://exercism.org/docs/building/tooling/test-runners/interface).
 *
 * When no exercise's app could even be loaded (a syntax error, a missing app, a crash at import), no test ran: the
 * file is `"status": "error"` with the cause in the top-level `message`, as the spec asks of code that does not
 * compile, and no tests. Otherwise a test per check in the report's order, which is the order learners fix them in;
 * `task_id` links each test to the number of the exercise its check comes from, and `output` holds what the
 * learner's app printed during the check.
 */
export function toExercism(report: GradeReport): string {
  // Exercism reads version, status, message and tests; `environment` is the fingerprint every report carries.
  const { environment } = report;
  if (!report.exercises.some(appLoaded)) {
    const causes = report.exercises.map((exercise) => `${exercise.id}: ${causeOf(exercise)}`);
    const message = causes.length > 0 ? causes.join("\n\n") : "No exercise was graded.";
    return json({
      version: 3,
      status: "error",
      message: limitBytes(printable(message), EXERCISM_MESSAGE_LIMIT, MESSAGE_CUT),
      tests: [],
      environment,
    });
  }
  const tests = report.exercises.flatMap(exerciseTests);
  const status = tests.every((test) => test.status === "pass") ? "pass" : "fail";
  return json({ version: 3, status, tests, environment });
}

function exerciseTests(exercise: ExerciseResult): ExercismTest[] {
  const tests: ExercismTest[] = [];
  if (exercise.error) {
    tests.push({
      name: `${exercise.id} › grading finishes`,
      status: "error",
      message: message(exercise.error),
      test_code: `grade ${exercise.id}`,
      ...task(exercise.id),
    });
  }
  for (const check of exercise.checks) {
    const status = check.status === "passed" ? "pass" : check.id === APP_LOADS ? "error" : "fail";
    tests.push({
      name: `${exercise.id} › ${check.name}`,
      status,
      ...(status !== "pass" && check.message !== undefined ? { message: message(check.message) } : {}),
      ...printed(check),
      test_code: `check ${check.id}`,
      ...task(check.exercise),
    });
  }
  return tests;
}

/** Why an exercise's app never ran a check: what the grader said of it, or its app-loads failure. */
function causeOf(exercise: ExerciseResult): string {
  const loads = exercise.checks.find((check) => check.id === APP_LOADS);
  return exercise.error ?? loads?.message ?? "no check ran.";
}

/** The task a test belongs to: the number of the exercise its check comes from, when it has one. */
function task(exerciseId: string): { task_id?: number } {
  const number = exerciseNumber(exerciseId);
  return number === undefined ? {} : { task_id: number };
}

function message(text: string): string {
  return limitBytes(printable(text), EXERCISM_MESSAGE_LIMIT, MESSAGE_CUT);
}

/** What the app printed, cut to the spec's 500 characters (code points, the cut notice included). */
function printed(check: CheckResult): { output?: string } {
  if (check.output === undefined || check.output === "") return {};
  const output = printable(check.output);
  if (codePointLength(output) <= EXERCISM_OUTPUT_LIMIT) return { output };
  return { output: `${cutCodePoints(output, EXERCISM_OUTPUT_LIMIT - codePointLength(OUTPUT_CUT))}${OUTPUT_CUT}` };
}

function json(results: object): string {
  return `${JSON.stringify(results, null, 2)}\n`;
}

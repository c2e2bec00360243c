import type { CheckResult, ExerciseResult } from "../results.js";
import type { GradeReport } from "./grade-report.js";
import { limitBytes, printable } from "./learner-text.js";
import { exerciseNumber, isGate } from "./result-fields.js";

/** One entry of `tests` in Gradescope's results.json. */
interface GradescopeTest {
  name: string;
  number?: string;
  score: number;
  max_score: number;
  status: "passed" | "failed";
  output: string;
  tags: string[];
  visibility: "visible" | "after_published";
}

/**
 * The most of one test's output kept, in UTF-8 bytes. Gradescope folds it into a <pre>; a page of it is more than
 * anyone reads, and a class's results stay small.
 */
export const GRADESCOPE_OUTPUT_LIMIT = 64 * 1024;
const OUTPUT_CUT = "\n… (cut: the JSON report has all of it)";

/**
 * Gradescope's autograder `results.json` (https://gradescope-autograders.readthedocs.io/en/latest/specs/#output-format):
 * a test per check, in the report's order, numbered `exercise.place`.
 *
 * - Points: a test's score and max_score are its check's, so the tests add up to the report's total and maximum
 *   (an exercise that could not finish keeps its whole maximum: its checks that did not run are failed tests).
 *   The top-level `score` is that same total.
 * - Gates (a check re-run from an earlier exercise, and app-loads) are worth nothing where they are re-run: they
 *   are tests of max_score 0, passed or failed, tagged "gate". Shown, because a failed gate is why an exercise
 *   failed; worth 0, so they neither add to the maximum nor take from it.
 * - An exercise whose grading could not finish adds a failed test worth nothing, so the cause shows.
 * - Every text is plain (`"text"` formats): a learner's error or page is shown as written, never rendered as HTML or
 *   Markdown. The grader's own stdout stays hidden from students: it may name hidden checks' internals.
 */
export function toGradescope(report: GradeReport): string {
  const { totals } = report;
  const results = {
    score: totals.score,
    execution_time: Math.round(report.durationMs) / 1000,
    output: `${totals.passed}/${totals.exercises} exercises passed (${totals.score}/${totals.maxScore} points)`,
    output_format: "text",
    test_output_format: "text",
    test_name_format: "text",
    stdout_visibility: "hidden",
    tests: report.exercises.flatMap(exerciseTests),
    // Not shown to learners: what the grade was made with, for the staff.
    extra_data: { environment: report.environment, durationMs: report.durationMs },
  };
  return `${JSON.stringify(results, null, 2)}\n`;
}

function exerciseTests(exercise: ExerciseResult): GradescopeTest[] {
  const tests: GradescopeTest[] = [];
  const number = exerciseNumber(exercise.id);
  const numbered = () => (number === undefined ? {} : { number: `${number}.${tests.length + 1}` });
  if (exercise.error) {
    tests.push({
      name: `${exercise.id} › grading finishes`,
      ...numbered(),
      score: 0,
      max_score: 0,
      status: "failed",
      output: text(exercise.error),
      tags: [exercise.id],
      visibility: "visible",
    });
  }
  for (const check of exercise.checks) {
    const gate = isGate(check);
    tests.push({
      name: `${exercise.id} › ${check.name}`,
      ...numbered(),
      score: check.status === "passed" ? check.points : 0,
      max_score: check.maxPoints,
      status: check.status === "passed" ? "passed" : "failed",
      output: text(testOutput(check, exercise.id, gate)),
      tags: gate ? [check.exercise, "gate"] : [check.exercise],
      visibility: visibility(check),
    });
  }
  return tests;
}

/** What a learner reads under a test: what a gate is, why it failed or was skipped, and what the app printed. */
function testOutput(check: CheckResult, exerciseId: string, gate: boolean): string {
  const parts: string[] = [];
  if (gate) {
    const from = check.exercise === exerciseId ? "" : ` (from ${check.exercise})`;
    parts.push(`Must pass for ${exerciseId} to pass${from}; it earns no points here.`);
  }
  if (check.status !== "passed" && check.message) parts.push(check.message);
  if (check.output) parts.push(`Your app printed:\n${check.output}`);
  return parts.join("\n\n");
}

function text(value: string): string {
  return limitBytes(printable(value), GRADESCOPE_OUTPUT_LIMIT, OUTPUT_CUT);
}

/** A hidden check shows once grades are published; every other check at once. */
function visibility(check: CheckResult): GradescopeTest["visibility"] {
  return check.visibility === "hidden" ? "after_published" : "visible";
}

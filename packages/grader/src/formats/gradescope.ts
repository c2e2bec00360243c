import type { CheckResult } from "../results.js";
import type { GradeReport } from "./grade-report.js";

/** One entry of `tests` in Gradescope's results.json. */
interface GradescopeTest {
  name: string;
  number?: string;
  score: number;
  max_score: number;
  status: "passed" | "failed";
  output: string;
  visibility: "visible" | "after_published";
}

/**
 * Gradescope's autograder `results.json` (https://gradescope-autograders.readthedocs.io/en/latest/specs/#output-format):
 * a test per check; a skipped check fails with no points, and an exercise whose grading could not finish adds a failed
 * test worth nothing, so the cause shows without changing the maximum.
 */
export function toGradescope(report: GradeReport): string {
  const tests: GradescopeTest[] = [];
  for (const exercise of report.exercises) {
    const exerciseNumber = /^(\d+)-/.exec(exercise.id)?.[1];
    let place = 0;
    const number = () => (exerciseNumber === undefined ? {} : { number: `${Number(exerciseNumber)}.${++place}` });
    if (exercise.error) {
      tests.push({ name: `${exercise.id} › grading finishes`, ...number(), score: 0, max_score: 0, status: "failed", output: exercise.error, visibility: "visible" });
    }
    for (const check of exercise.checks) {
      tests.push({
        name: `${exercise.id} › ${check.name}`,
        ...number(),
        score: check.status === "skipped" ? 0 : check.points,
        max_score: check.maxPoints,
        status: check.status === "passed" ? "passed" : "failed",
        output: check.message ?? "",
        visibility: visibility(check),
      });
    }
  }
  const { totals } = report;
  const results = {
    score: totals.score,
    execution_time: report.durationMs / 1000,
    output: `${totals.passed}/${totals.exercises} exercises passed (${totals.score}/${totals.maxScore} points)`,
    // The grader's own stdout can name hidden checks' internals; learners read each test's output instead.
    stdout_visibility: "hidden",
    tests,
    // Not shown to learners: what the grade was made with, for the staff.
    extra_data: { environment: report.environment, durationMs: report.durationMs },
  };
  return `${JSON.stringify(results, null, 2)}\n`;
}

/** Checks may come to carry a visibility; until then every check is visible. A hidden one shows once grades are published. */
function visibility(check: CheckResult): GradescopeTest["visibility"] {
  return (check as { visibility?: string }).visibility === "hidden" ? "after_published" : "visible";
}

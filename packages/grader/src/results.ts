/** The grade of one check. */
export interface CheckResult {
  /** Stable across versions: `01.sets-cookie`. */
  readonly id: string;
  /** A sentence that says what a correct app does. */
  readonly name: string;
  /** The exercise the check comes from (02's grade includes 01's checks). */
  readonly exercise: string;
  readonly status: "passed" | "failed" | "skipped";
  /** Points earned: all of them or none. */
  readonly points: number;
  readonly maxPoints: number;
  /** "hidden" checks are not in the learner edition's grader (Gradescope's visibility). */
  readonly visibility?: "visible" | "hidden";
  /** For a failed check, what went wrong and a hint; for a skipped one, the reason. */
  readonly message?: string;
  /** What the app printed (console, stdout) during the check: the first 2 kB. */
  readonly output?: string;
  /** Progressive hints, revealed one at a time by `pnpm hint NN`. */
  readonly hints?: readonly string[];
}

/** The grade of one exercise of one target. */
export interface ExerciseResult {
  /** The exercise folder's slug: `01-set-datetime-cookie`. */
  readonly id: string;
  readonly status: "passed" | "failed";
  readonly score: number;
  readonly maxScore: number;
  readonly durationMs: number;
  readonly checks: readonly CheckResult[];
  /** Set when grading could not finish (a hang, a crash of the grading process): the cause, in plain words. */
  readonly error?: string;
  /** What of the submission's exercise folder was not graded, and why: "src/lib (a symbolic link)". */
  readonly ignored?: readonly string[];
}

/** Sums an exercise's checks into its grade. */
export function exerciseResult(id: string, checks: readonly CheckResult[], durationMs: number, error?: string): ExerciseResult {
  const score = checks.reduce((sum, check) => sum + check.points, 0);
  const maxScore = checks.reduce((sum, check) => sum + check.maxPoints, 0);
  const passed = error === undefined && checks.length > 0 && checks.every((check) => check.status === "passed");
  return { id, status: passed ? "passed" : "failed", score, maxScore, durationMs, checks, ...(error === undefined ? {} : { error }) };
}

/** The first failed check of an exercise: what to fix first. */
export function firstFailure(result: ExerciseResult): CheckResult | undefined {
  return result.checks.find((check) => check.status === "failed");
}

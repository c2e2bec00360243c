/**
 * What made a check fail, as a kind rather than a message to be read back: the app's behaviour (the check's own
 * verdict), no answer, the check's time limit, no app to run, an app that could not be loaded or built (the host's
 * kinds), an app process that ended, or the check itself.
 */
export type FailureCause =
  | "behaviour"
  | "no-response"
  | "check-timeout"
  | "app-unavailable"
  | "missing-create-app"
  | "load-failed"
  | "create-app-threw"
  | "not-an-app"
  | "listen-failed"
  | "bad-request"
  | "process-ended"
  | "check-error"
  /** Skipped: a check it requires did not pass. */
  | "prerequisite"
  /** Skipped: the exercise's time limit ran out before it. */
  | "exercise-timeout";

/** The grade of one check. */
export interface CheckResult {
  /** Stable across versions: `01.sets-cookie`. */
  readonly id: string;
  /** A sentence that says what a correct app does. */
  readonly name: string;
  /** The exercise the check comes from (02's grade runs 01's checks again, as a gate). */
  readonly exercise: string;
  readonly status: "passed" | "failed" | "skipped";
  /** Points earned: all of them or none. */
  readonly points: number;
  /** 0 for a gate. */
  readonly maxPoints: number;
  /**
   * A check that must hold but earns nothing here: `app-loads`, and the earlier exercises' checks run again (02's
   * app must still do what 01 asked). A failed gate fails the exercise and is named; its points were earned once,
   * in its own exercise.
   */
  readonly gate?: true;
  /** "hidden" checks are not in the learner edition's grader (Gradescope's visibility). */
  readonly visibility?: "visible" | "hidden";
  /** For a failed check, what went wrong and a hint; for a skipped one, the reason. */
  readonly message?: string;
  /** For a failed or skipped check, what kind of thing made it so. */
  readonly cause?: FailureCause;
  /** The learner's line the failure points at, when it names one (`src/app.ts:12`): what to open first. */
  readonly at?: string;
  /** What the app printed (console, stdout) during the check: the first 2 kB. */
  readonly output?: string;
  /** Progressive hints, revealed one at a time by `pnpm hint NN`. */
  readonly hints?: readonly string[];
  /**
   * On an earlier exercise's check that failed here, run in terms this exercise changed (from 04 on, the visit
   * cookie travels signed): what the change asks of the app. Such a failure is likely this exercise's work not yet
   * done rather than a regression, and its hints are this exercise's.
   */
  readonly changedTerms?: string;
  /** How long the check took (0 for one that did not run). */
  readonly durationMs?: number;
}

/** The grade of one exercise of one target. */
export interface ExerciseResult {
  /** The exercise folder's slug: `01-set-datetime-cookie`. */
  readonly id: string;
  readonly status: "passed" | "failed";
  /** The points of the exercise's own checks: gates earn none. */
  readonly score: number;
  /** Every point the exercise's own checks could earn, whether they ran or not. */
  readonly maxScore: number;
  readonly durationMs: number;
  readonly checks: readonly CheckResult[];
  /** Set when grading could not finish (a hang, a crash of the grading process): the cause, in plain words. */
  readonly error?: string;
  /**
   * Why a failed exercise failed, in a few words, for a gradebook: "missing", "syntax error at src/app.ts:12",
   * "timed out", "memory limit", "01 no longer holds: 01.http-only", or the first failed check's id.
   */
  readonly reason?: string;
  /** What of the submission's exercise folder was not graded, and why: "src/lib (a symbolic link)". */
  readonly ignored?: readonly string[];
}

/** What grading found out about an exercise besides its checks. */
export interface ExerciseOutcome {
  /** Why it could not be graded in full, in a sentence. */
  readonly error?: string;
  /** The gradebook's few words for why it failed, when the checks alone cannot tell (a syntax error, a loop). */
  readonly reason?: string;
}

/** Sums an exercise's own checks into its grade; a gate or an error fails it without changing its maximum. */
export function exerciseResult(
  id: string,
  checks: readonly CheckResult[],
  durationMs: number,
  { error, reason: given }: ExerciseOutcome = {},
): ExerciseResult {
  const score = checks.reduce((sum, check) => sum + check.points, 0);
  const maxScore = checks.reduce((sum, check) => sum + check.maxPoints, 0);
  const passed = error === undefined && checks.length > 0 && checks.every((check) => check.status === "passed");
  const reason = passed ? undefined : (given ?? reasonOf(checks));
  return {
    id,
    status: passed ? "passed" : "failed",
    score,
    maxScore,
    durationMs,
    checks,
    ...(error === undefined ? {} : { error }),
    ...(reason === undefined ? {} : { reason }),
  };
}

/**
 * What to fix first: the exercise's own first failed check, else a gate's. A later exercise may change what the
 * earlier checks send (a signed cookie): until its own work is done, a gate may fail for want of it, and the own
 * check says what to do.
 */
export function firstFailure(result: ExerciseResult): CheckResult | undefined {
  return firstFailed(result.checks);
}

function firstFailed(checks: readonly CheckResult[]): CheckResult | undefined {
  const failed = checks.filter((check) => check.status === "failed");
  return failed.find((check) => check.gate !== true || check.id === "app-loads") ?? failed[0];
}

/** A gradebook's few words for a failed exercise, from its checks. */
function reasonOf(checks: readonly CheckResult[]): string {
  const failed = firstFailed(checks);
  if (!failed) return checks.some((check) => check.cause === "exercise-timeout") ? "timed out" : "not every check ran";
  if (failed.id === "app-loads") {
    // The learner's line, where the failure names one (src/app.ts:12): the first thing to open.
    const where = failed.at === undefined ? "" : ` at ${failed.at}`;
    switch (failed.cause) {
      case "create-app-threw":
        return `createApp() throws${where}`;
      case "load-failed":
        return `fails to load${where}`;
      case "missing-create-app":
        return "no createApp export";
      case "not-an-app":
        return "createApp() returns no app";
      default:
        return "app-loads";
    }
  }
  if (!failed.gate) return failed.id;
  return `${failed.exercise.slice(0, 2)} ${failed.changedTerms ? "does not hold yet" : "no longer holds"}: ${failed.id}`;
}

/**
 * The earlier exercises' checks run again in this exercise as gates, by exercise, in the order they were run: the
 * scoreboard and the workbook each fold them into a line per exercise.
 */
export function gatesByExercise(result: ExerciseResult): Map<string, CheckResult[]> {
  const byExercise = new Map<string, CheckResult[]>();
  for (const check of result.checks) {
    if (!check.gate || check.exercise === result.id) continue;
    byExercise.set(check.exercise, [...(byExercise.get(check.exercise) ?? []), check]);
  }
  return byExercise;
}

/**
 * How an earlier exercise's checks, run again here, fare: they all hold; they do not hold yet (this exercise's own
 * checks fail, or one fails in the terms this exercise changed: its work is not done); one no longer holds, a
 * regression; or none ran, for want of an earlier check.
 */
export type GateStanding = "holds" | "not-yet" | "broken" | "not-run";

export function gateStanding(result: ExerciseResult, gates: readonly CheckResult[]): GateStanding {
  const broken = gates.filter((check) => check.status !== "passed");
  if (broken.length === 0) return "holds";
  // None failed, none ran: they wait on a check before them (the app loading, most often).
  if (broken.every((check) => check.status === "skipped")) return "not-run";
  const ownFailing = result.checks.some((check) => check.gate !== true && check.status === "failed");
  return ownFailing || broken.some((check) => check.changedTerms !== undefined) ? "not-yet" : "broken";
}

/** An earlier exercise's line, told the same in the scoreboard and the workbook: its standing, then what that means. */
export function gateWords(
  standing: GateStanding,
  exercise: string,
  count: number,
): { readonly title: string; readonly detail: string } {
  const number = exercise.slice(0, 2);
  switch (standing) {
    case "holds":
      return { title: `${number} still holds`, detail: `(its ${count} checks, run again; no points here)` };
    case "not-run":
      return { title: `${number} not run`, detail: `(its ${count} checks wait for an earlier check to pass)` };
    case "not-yet":
      return {
        title: `${number} does not hold yet`,
        detail: "(its checks, run again: they wait for work not done yet, named below)",
      };
    case "broken":
      return { title: `${number} no longer holds`, detail: "(its checks, run again: each must still pass)" };
  }
}

/**
 * For the first failure, when it is an earlier exercise's check: why it runs here and what its failure means (a
 * change of terms not made yet, or a regression). Undefined for the exercise's own checks.
 */
export function gateContext(check: CheckResult, exercise: string): string | undefined {
  if (!check.gate || check.exercise === exercise) return undefined;
  const earlier = check.exercise.slice(0, 2);
  return check.changedTerms
    ? `Exercise ${earlier} asked for this, and it runs again here as a later exercise changed it: ${check.changedTerms}`
    : `Exercise ${earlier} asked for this, and this exercise's app no longer does it: a change here broke it.`;
}

import type {} from "vitest";

/**
 * What the grading run inside vitest and the grader's CLI outside it agree on: where the apps to grade are, and
 * what each check leaves in its test's `meta` for the reporter.
 */

/** The environment variable that names the apps to grade (JSON {@link GradeTarget}[]). */
export const TARGETS_ENV = "COOKIE_GRADER_TARGETS";

/**
 * One place that holds exercise folders to grade: `exercises/` of the workspace, `solutions/`, or a submission
 * staged for grading. The app of exercise `01-set-datetime-cookie` is `<dir>/01-set-datetime-cookie`.
 */
export interface GradeTarget {
  /** A label for reports: "exercises", "solutions", a student's folder name. */
  readonly id: string;
  readonly dir: string;
}

/** The environment variable that carries the {@link GradingLimits} into vitest's workers (JSON). */
export const LIMITS_ENV = "COOKIE_GRADER_LIMITS";

/** How long learner code may take before the grader gives up on it. All in milliseconds. */
export interface GradingLimits {
  /** One HTTP request: an app that never answers fails the check with "no response". */
  readonly requestMs: number;
  /** One check (vitest's testTimeout): an await that never settles. */
  readonly checkMs: number;
  /** All checks of one exercise of one target: past it, the remaining checks are skipped (a slow but living app). */
  readonly exerciseMs: number;
  /**
   * No check finishing for this long stops the whole run: only an infinite synchronous loop does that, and only a
   * limit outside the blocked worker can end it.
   */
  readonly stallMs: number;
}

export const DEFAULT_LIMITS: GradingLimits = { requestMs: 2_000, checkMs: 10_000, exerciseMs: 60_000, stallMs: 15_000 };

/** What a check writes into its vitest test's meta, for the reporter. */
export interface CheckMeta {
  readonly target: string;
  /** The exercise the check belongs to (02's grade includes 01's checks). */
  readonly exercise: string;
  readonly checkId: string;
  readonly points: number;
  readonly visibility: "visible" | "hidden";
  readonly hints?: readonly string[];
  /** The check's place in its exercise: results are listed in this order. */
  readonly order: number;
  /** The teaching message of a failed check, or the reason of a skipped one. */
  message?: string;
  /** What the learner's code printed during the check (capped). */
  output?: string;
}

declare module "vitest" {
  interface TaskMeta {
    check?: CheckMeta;
  }
}

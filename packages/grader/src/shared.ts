/**
 * One place that holds exercise folders to grade: `exercises/` of the workspace, `solutions/`, or a submission
 * staged for grading. The app of exercise `01-set-datetime-cookie` is `<dir>/01-set-datetime-cookie`.
 */
export interface GradeTarget {
  /** A label for reports: "exercises", "solutions", a student's folder name. */
  readonly id: string;
  readonly dir: string;
  /** The exercises to grade of this target, when not the run's: one run grades every fixture for its own exercise. */
  readonly exercises?: readonly string[];
}

/** How long learner code may take, and how much memory it may use, before the grader gives up on it. */
export interface GradingLimits {
  /** One HTTP request: an app that never answers fails the check with "no response". */
  readonly requestMs: number;
  /** One check: an await in the grader that never settles. */
  readonly checkMs: number;
  /** All checks of one exercise of one target: past it, the remaining checks are skipped (a slow but living app). */
  readonly exerciseMs: number;
  /** The app process's memory, in MB: past it, the process is ended and its check fails. */
  readonly memoryMb: number;
}

/**
 * A check's limit is a backstop (each request has its own, and the exercise its 60 s): it is sized for a machine
 * busy with other work. At 10 s, a correct solution's check that logs in a dozen times in two deployments ran out
 * of it while pnpm verify kept a 2-core machine at a load of 10 to 20, and failed the course's own CI.
 */
export const DEFAULT_LIMITS: GradingLimits = { requestMs: 3_000, checkMs: 30_000, exerciseMs: 60_000, memoryMb: 512 };

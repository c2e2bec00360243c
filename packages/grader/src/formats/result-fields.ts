import type { CheckResult, ExerciseResult } from "../results.js";

/**
 * Optional fields of a result that reports read, each with what its absence means (a JSON report of an older
 * grader, read back by `--merge`, may not carry them).
 */

/** The first check of every exercise: whether the app could be loaded and built at all. */
export const APP_LOADS = "app-loads";

/** A gate must pass for its exercise to pass but is worth no points there (a check re-run from an earlier exercise). */
export function isGate(check: CheckResult): boolean {
  return check.gate === true;
}

/** How long the check took, in milliseconds; 0 when the result does not say. */
export function durationMsOf(check: CheckResult): number {
  const duration = check.durationMs ?? 0;
  return Number.isFinite(duration) && duration >= 0 ? duration : 0;
}

/** Why an exercise did not pass, in a few words ("timed out", "01.http-only"), when the result says. */
export function reasonOf(exercise: ExerciseResult): string | undefined {
  return exercise.reason === "" ? undefined : exercise.reason;
}

/** Whether the exercise's checks could run at all: its app loaded. A syntax error, a missing app or a crash at import: no. */
export function appLoaded(exercise: ExerciseResult): boolean {
  return exercise.checks.some((check) => check.id === APP_LOADS && check.status === "passed");
}

/** The number an exercise's folder starts with (`02-read-last-visit` → 2), or undefined. */
export function exerciseNumber(id: string): number | undefined {
  const digits = /^(\d+)-/.exec(id)?.[1];
  return digits === undefined ? undefined : Number(digits);
}

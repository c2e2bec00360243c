import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A learner's progress, kept on their own machine in `.course/progress.json` (git ignores it): no account, no
 * server. It remembers when each exercise first passed and how many hints of each check were shown.
 */
export interface Progress {
  readonly exercises: Record<string, ExerciseProgress>;
}

export interface ExerciseProgress {
  /** When it first passed (ISO 8601). */
  passedAt?: string;
  lastGradedAt?: string;
  /** Hints shown so far, per {@link hintKey} of a check. */
  hintsShown?: Record<string, number>;
}

export function progressFile(root: string): string {
  return join(root, ".course", "progress.json");
}

export function readProgress(root: string): Progress {
  const file = progressFile(root);
  if (!existsSync(file)) return { exercises: {} };
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<Progress>;
    return { exercises: parsed.exercises ?? {} };
  } catch {
    // A damaged file loses only the record, never the learner's work.
    return { exercises: {} };
  }
}

export function writeProgress(root: string, progress: Progress): void {
  mkdirSync(join(root, ".course"), { recursive: true });
  writeFileSync(progressFile(root), `${JSON.stringify(progress, null, 2)}\n`);
}

/** Records a grading: the time, and the first pass of each exercise that passed. */
export function recordGrades(
  root: string,
  grades: readonly { id: string; status: string }[],
  now = new Date(),
): Progress {
  const progress = readProgress(root);
  for (const grade of grades) {
    const entry = (progress.exercises[grade.id] ??= {});
    entry.lastGradedAt = now.toISOString();
    if (grade.status === "passed") entry.passedAt ??= now.toISOString();
  }
  writeProgress(root, progress);
  return progress;
}

/**
 * Where the hints shown of a check are counted: its id, and apart from it when the check awaits a later exercise's
 * change of terms, whose hints are that exercise's (a learner who saw them all has seen none of the check's own).
 */
export function hintKey(check: { readonly id: string; readonly changedTerms?: string }): string {
  return check.changedTerms === undefined ? check.id : `${check.id} in changed terms`;
}

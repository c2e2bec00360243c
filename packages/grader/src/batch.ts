import { exerciseResult, type ExerciseResult } from "./results.js";
import { runGrading, type GradingResults } from "./run.js";
import type { GradeTarget, GradingLimits } from "./shared.js";

const STOPPED = "Grading stopped";

/**
 * Grades many targets (a class's submissions) in as few vitest runs as possible: one run grades every target, in
 * parallel across the exercises' workers. A target whose code never gives control back stalls its exercise's
 * worker; then it alone gets the error, and the targets after it are graded again in a new run. A broken
 * submission costs its own row, never the batch.
 */
export async function gradeBatch(
  targets: readonly GradeTarget[],
  exercises: readonly string[],
  { limits, onExerciseDone }: { limits?: Partial<GradingLimits>; onExerciseDone?: (target: string, exercise: string) => void } = {},
): Promise<GradingResults> {
  const grades = new Map<string, Map<string, ExerciseResult>>(targets.map((target) => [target.id, new Map()]));
  let pending: { exercise: string; targets: GradeTarget[] }[] = [{ exercise: "*", targets: [...targets] }];

  while (pending.length > 0) {
    const next: typeof pending = [];
    for (const round of pending) {
      const roundExercises = round.exercise === "*" ? exercises : [round.exercise];
      const results = await runGrading({ targets: round.targets, exercises: roundExercises, ...(limits ? { limits } : {}), ...(onExerciseDone ? { onExerciseDone } : {}) });
      for (const exercise of roundExercises) {
        // Targets run in order within an exercise: the first one that did not finish is the one that hung.
        const stopped = round.targets.filter((target) => results.get(target.id)?.find((result) => result.id === exercise)?.error?.startsWith(STOPPED));
        const culprit = stopped[0];
        for (const target of round.targets) {
          const result = results.get(target.id)!.find((candidate) => candidate.id === exercise)!;
          if (!stopped.includes(target) || target === culprit) grades.get(target.id)!.set(exercise, result);
        }
        const retry = stopped.slice(1);
        if (retry.length > 0) next.push({ exercise, targets: retry });
      }
    }
    pending = next;
  }

  return new Map(
    targets.map((target) => [
      target.id,
      exercises.map((exercise) => grades.get(target.id)!.get(exercise) ?? exerciseResult(exercise, [], 0, "The grader could not run this exercise's checks.")),
    ]),
  );
}
